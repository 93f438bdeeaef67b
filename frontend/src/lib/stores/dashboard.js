// Loads a dashboard (all KPIs and chart series, computed by the backend)
// whenever its filters or granularity change, debounced so quick clicks
// cost one computation, and ignoring answers that arrive out of order.
import { writable } from 'svelte/store'
import { call } from '../api.js'
import { token } from './session.js'
import { filtersKey } from './filters.js'

export const DEBOUNCE_MS = 250

const methods = { buyers: 'BuyersDashboard', visitors: 'VisitorsDashboard' }

/**
 * createDashboard('buyers', workspaceId) -> { state, request(filters, granularity), reload() }.
 * state: { loading, data, error, empty } where empty means the workspace has no file for it.
 */
export function createDashboard(kind, workspaceId) {
  const state = writable({ loading: true, data: null, error: '', empty: false })
  let timer = null
  let seq = 0
  let lastKey = ''
  let last = null

  async function run(filters, granularity) {
    const my = ++seq
    state.update((s) => ({ ...s, loading: true }))
    try {
      const datasetId = 0
      const data = await call(methods[kind], token(), workspaceId, datasetId, { filters, granularity })
      if (my === seq) state.set({ loading: false, data, error: '', empty: false })
    } catch (e) {
      if (my !== seq) return
      const empty = /no file for this dashboard/.test(e.message)
      state.update((s) => ({ ...s, loading: false, error: empty ? '' : e.message, empty }))
    }
  }

  return {
    state,
    /** Asks for the dashboard under these filters (debounced; repeated identical requests are dropped). */
    request(filters, granularity) {
      const key = filtersKey(filters) + '|' + (granularity || '')
      if (key === lastKey) return
      const first = lastKey === ''
      lastKey = key
      last = { filters, granularity }
      clearTimeout(timer)
      if (first) run(filters, granularity)
      else timer = setTimeout(() => run(filters, granularity), DEBOUNCE_MS)
    },
    reload() {
      if (last) run(last.filters, last.granularity)
    },
    destroy() {
      clearTimeout(timer)
      seq++
    },
  }
}

/** Values of one column with counts under the other active filters. */
export function filterOptions(workspaceId, datasetId, column, search, active) {
  return call('FilterOptions', token(), workspaceId, datasetId, column, search || '', active)
}
