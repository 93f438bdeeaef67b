// What a dashboard shows — its dataset, filters, date range and
// granularity — kept where it survives: in the page address
// (#/buyers?ws=3&ds=12&from=2025-01-01&f.channel=Email), which also makes
// it a link another member can open, and in this browser session, so
// leaving the page and coming back (or reloading) shows the same view.
//
// Filters on fields both dashboards have (channel, gender, state, ... by
// their canonical field, whatever the column is called in each file) and
// the date range carry over from one dashboard to the other.
import { emptyFilters, filtersKey } from './filters.js'
import { isDesktop } from '../api.js'

export const GRANULARITIES = ['', 'day', 'week', 'month']
const isDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '')

/** A view: { dataset (0 = the newest of the dashboard's kind), filters, granularity }. */
export const emptyView = () => ({ dataset: 0, filters: emptyFilters(), granularity: '' })

/** The dataset kinds a dashboard can show, in order of preference (as the backend picks). */
export const dashboardKinds = { buyers: ['buyers'], visitors: ['visitors', 'leads'] }

/** The dataset a dashboard shows by default: the newest of its first kind that has one. */
export function defaultDataset(datasets, kind) {
  for (const k of dashboardKinds[kind] || []) {
    const of = (datasets || []).filter((d) => d.kind === k)
    if (of.length) return of.reduce((a, b) => (b.id > a.id ? b : a))
  }
  return null
}

/** The address parameters of a view in workspace ws (stable order, so equal views give equal text). */
export function encodeView(ws, view) {
  const p = new URLSearchParams()
  if (ws) p.set('ws', String(ws))
  if (view.dataset) p.set('ds', String(view.dataset))
  const f = view.filters || emptyFilters()
  if (f.dateFrom) p.set('from', f.dateFrom)
  if (f.dateTo) p.set('to', f.dateTo)
  if (view.granularity) p.set('g', view.granularity)
  const values = JSON.parse(filtersKey(f)).values
  for (const col of Object.keys(values)) for (const v of values[col]) p.append('f.' + col, v)
  return p.toString()
}

/** Parses address parameters; null when they hold no view (a plain #/buyers). */
export function decodeView(query) {
  const p = new URLSearchParams(query || '')
  if (![...p.keys()].some((k) => ['ws', 'ds', 'from', 'to', 'g'].includes(k) || k.startsWith('f.'))) return null
  const view = emptyView()
  view.dataset = Math.max(0, Math.floor(Number(p.get('ds')) || 0))
  if (isDate(p.get('from'))) view.filters.dateFrom = p.get('from')
  if (isDate(p.get('to'))) view.filters.dateTo = p.get('to')
  if (GRANULARITIES.includes(p.get('g') || '')) view.granularity = p.get('g') || ''
  for (const [k, v] of p) {
    if (!k.startsWith('f.') || k.length < 3) continue
    const col = k.slice(2)
    if (!view.filters.values[col]) view.filters.values[col] = []
    if (!view.filters.values[col].includes(v)) view.filters.values[col].push(v)
  }
  return { ws: Math.floor(Number(p.get('ws')) || 0), view }
}

/** Whether two views show the same thing. */
export const sameView = (a, b) =>
  (a.dataset || 0) === (b.dataset || 0) && (a.granularity || '') === (b.granularity || '') && filtersKey(a.filters) === filtersKey(b.filters)

/** The workspace a page address points to (0 when none). */
export const workspaceInQuery = (query) => Math.floor(Number(new URLSearchParams(query || '').get('ws')) || 0)

// Session storage (per browser tab, survives reloads; cleared when the tab closes).
const store = () => {
  try {
    return window.sessionStorage
  } catch {
    return null
  }
}
const read = (key) => {
  try {
    return JSON.parse(store()?.getItem(key) || 'null')
  } catch {
    return null
  }
}
const write = (key, value) => {
  try {
    store()?.setItem(key, JSON.stringify(value))
  } catch {
    // Storage full or disabled: the address still holds the view.
  }
}
const viewKey = (ws, kind) => `ln.view.${ws}.${kind}`
const sharedKey = (ws) => `ln.shared.${ws}`

// Changes are ordered by a counter as well as the clock, so two saves in
// the same millisecond still tell which came last.
let tick = 0
const stamp = () => Date.now() * 1000 + (tick = (tick + 1) % 1000)

/** The view this session last had on a dashboard: { view, at } or null. */
export function recalledView(ws, kind) {
  const r = read(viewKey(ws, kind))
  if (!r?.view) return null
  const view = { ...emptyView(), ...r.view, filters: { ...emptyFilters(), ...r.view.filters, values: { ...(r.view.filters?.values || {}) } } }
  return { view, at: r.at || 0 }
}

/**
 * Remembers a dashboard's view, and its filters on canonical fields (and
 * its date range, when it has dates) for the other dashboard.
 * fieldColumns: [{ field, column }] of the dashboard's filterable columns.
 */
export function rememberView(ws, kind, view, fieldColumns, hasDate) {
  const at = stamp()
  write(viewKey(ws, kind), { view, at })
  const fields = {}
  for (const { field, column } of fieldColumns || []) if (field) fields[field] = view.filters.values?.[column] || []
  const dates = hasDate ? { from: view.filters.dateFrom || '', to: view.filters.dateTo || '' } : null
  write(sharedKey(ws), { from: kind, at, fields, dates })
}

/**
 * The view with the filters the other dashboard set since this one's was
 * saved (ownAt): each canonical field both have takes the other's
 * selection (an emptied selection clears it), and the date range follows.
 */
export function withSharedFilters(ws, kind, view, ownAt, fieldColumns, hasDate) {
  const s = read(sharedKey(ws))
  if (!s || s.from === kind || !(s.at > ownAt)) return view
  const values = { ...view.filters.values }
  for (const { field, column } of fieldColumns || []) {
    if (!field || !(field in (s.fields || {}))) continue
    if (s.fields[field].length) values[column] = [...s.fields[field]]
    else delete values[column]
  }
  const filters = { ...view.filters, values }
  if (s.dates && hasDate) {
    filters.dateFrom = s.dates.from
    filters.dateTo = s.dates.to
  }
  return { ...view, filters }
}

/** The canonical fields of a dataset's columns, from its mapping: [{ field, column }]. */
export function mappedFields(dataset) {
  return Object.entries(dataset?.mapping || {}).filter(([, c]) => c).map(([field, column]) => ({ field, column }))
}

/**
 * The first and last date of a dataset's mapped date column, from its
 * profile ('' when unknown, or when the column is text whose minimum and
 * maximum are not dates).
 */
export function datasetDates(dataset) {
  const col = (dataset?.columns || []).find((c) => c.name === dataset.mapping?.date)
  const day = (v) => (isDate(String(v || '').slice(0, 10)) ? String(v).slice(0, 10) : '')
  return { from: day(col?.min), to: day(col?.max) }
}

/** Whether a dataset has a mapped date column. */
export const hasDateField = (dataset) => !!dataset?.mapping?.date

/**
 * A link to a view that opens it for another member: the page address in
 * a browser, a leadnavigator://view/... link in the desktop app.
 */
export function viewLink(ws, kind, view) {
  const q = encodeView(ws, view)
  if (isDesktop()) return 'leadnavigator://view/' + kind + '?' + q
  return location.origin + location.pathname + '#/' + kind + '?' + q
}

/** The page address (hash) a leadnavigator://view/<page>?... link opens; '' for other links. */
export function hashOfViewLink(link) {
  const m = String(link || '').match(/^leadnavigator:\/\/view\/([a-z]+)(?:\?(.*))?$/)
  return m ? '#/' + m[1] + (m[2] ? '?' + m[2] : '') : ''
}
