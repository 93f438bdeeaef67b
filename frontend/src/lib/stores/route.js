// Hash routing: #/<page>?<parameters>, e.g. #/buyers?ws=3&ds=12&from=2025-01-01.
// `route` is the page, `routeQuery` the parameters after "?" (a dashboard's
// view state, or a magic link's token). Both change on navigation and on
// links opened in the address bar; replaceQuery rewrites the parameters
// without a navigation (the address follows the dashboard's filters).
import { writable } from 'svelte/store'

function parse() {
  const h = location.hash.replace(/^#\/?/, '')
  const i = h.indexOf('?')
  return { page: (i < 0 ? h : h.slice(0, i)) || 'import', query: i < 0 ? '' : h.slice(i + 1) }
}

export const route = writable(parse().page)
export const routeQuery = writable(parse().query)

window.addEventListener('hashchange', () => {
  const r = parse()
  route.set(r.page)
  routeQuery.set(r.query)
})

export function go(name) {
  location.hash = '#/' + name
}

/** The page in the address now (not waiting for the store). */
export const currentPage = () => parse().page

/** Replaces the address's parameters of `page` (only while it is the page shown); no history entry, no navigation. */
export function replaceQuery(page, query) {
  if (parse().page !== page) return
  const hash = '#/' + page + (query ? '?' + query : '')
  if (location.hash === hash) return
  history.replaceState(history.state, '', location.pathname + location.search + hash)
  routeQuery.set(query)
}
