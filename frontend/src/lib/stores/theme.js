// Light or dark: follows the operating system unless the user picked one
// (remembered in this browser). The resolved theme is set as
// <html data-theme="light|dark">, which app.css's colours key on; charts
// redraw when `theme` changes.
import { writable, derived } from 'svelte/store'

const KEY = 'ln.theme'
const modes = ['system', 'light', 'dark']
const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null

const stored = () => {
  try {
    const m = localStorage.getItem(KEY)
    return modes.includes(m) ? m : 'system'
  } catch {
    return 'system'
  }
}

/** The user's choice: 'system', 'light' or 'dark'. */
export const themeMode = writable(stored())
const systemDark = writable(!!media?.matches)
media?.addEventListener?.('change', (e) => systemDark.set(e.matches))

/** The theme in effect: 'light' or 'dark'. */
export const theme = derived([themeMode, systemDark], ([m, dark]) => (m === 'system' ? (dark ? 'dark' : 'light') : m))

themeMode.subscribe((m) => {
  try {
    localStorage.setItem(KEY, m)
  } catch {
    // Private mode: the choice lasts until the page closes.
  }
})
theme.subscribe((t) => {
  if (typeof document !== 'undefined') {
    document.documentElement.dataset.theme = t
    document.documentElement.style.colorScheme = t
  }
})

/** Cycles system -> light -> dark -> system. */
export function cycleTheme() {
  themeMode.update((m) => modes[(modes.indexOf(m) + 1) % modes.length])
}
