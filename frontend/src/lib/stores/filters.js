// Active filters of one dashboard: a date range and selected values per
// column (OR within a column, AND across columns), plus chart granularity.
// The same shape is what the backend's filters.Set expects and what saved
// views store.
import { writable, get } from 'svelte/store'

export const emptyFilters = () => ({ dateFrom: '', dateTo: '', values: {} })

/** Number of active filters (a date range counts once). */
export function countFilters(f) {
  let n = f.dateFrom || f.dateTo ? 1 : 0
  for (const vs of Object.values(f.values || {})) if (vs && vs.length) n++
  return n
}

/** A stable text form, to tell whether filters changed. */
export function filtersKey(f) {
  const values = {}
  for (const k of Object.keys(f.values || {}).sort()) {
    if (f.values[k]?.length) values[k] = [...new Set(f.values[k])].sort()
  }
  return JSON.stringify({ dateFrom: f.dateFrom || '', dateTo: f.dateTo || '', values })
}

/** Creates the filter state of one dashboard page. */
export function createFilters() {
  const filters = writable(emptyFilters())
  const granularity = writable('')

  const update = (fn) => filters.update((f) => {
    const next = { ...f, values: { ...f.values } }
    fn(next)
    for (const k of Object.keys(next.values)) if (!next.values[k]?.length) delete next.values[k]
    return next
  })

  return {
    filters,
    granularity,
    /** Replaces a column's selection. */
    setValues: (column, values) => update((f) => { f.values[column] = [...values] }),
    /** Adds a value to a column's selection (chart clicks). */
    addValue: (column, value) => update((f) => {
      const cur = f.values[column] || []
      if (!cur.includes(value)) f.values[column] = [...cur, value]
    }),
    removeValue: (column, value) => update((f) => { f.values[column] = (f.values[column] || []).filter((v) => v !== value) }),
    removeColumn: (column) => update((f) => { delete f.values[column] }),
    setDates: (dateFrom, dateTo) => update((f) => { f.dateFrom = dateFrom || ''; f.dateTo = dateTo || '' }),
    reset: () => filters.set(emptyFilters()),
    /** Loads a saved view's filters and granularity. */
    apply: (view) => {
      filters.set({ ...emptyFilters(), ...view.filters, values: { ...(view.filters?.values || {}) } })
      granularity.set(view.granularity || '')
    },
    snapshot: () => ({ filters: get(filters), granularity: get(granularity) }),
  }
}
