// Hash routing: #/import, #/buyers, #/visitors, #/assistant, #/members, #/audit, #/settings.
import { writable } from 'svelte/store'

const current = () => (location.hash.replace(/^#\/?/, '') || 'import').split('?')[0]

export const route = writable(current())
window.addEventListener('hashchange', () => route.set(current()))

export function go(name) {
  location.hash = '#/' + name
}
