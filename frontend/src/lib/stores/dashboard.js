// Loads a dashboard (all KPIs and chart series, computed by the backend)
// whenever its dataset, filters or granularity change. A change is sent
// at once (no debounce: a click should update the charts as fast as the
// backend answers); while one computation runs, only the newest change
// waits for it, and an answer that a newer request has replaced is
// dropped, so quick clicks cost at most two computations and never show
// an older state last.
import { writable } from 'svelte/store'
import { call } from '../api.js'
import { token } from './session.js'
import { filtersKey } from './filters.js'

const methods = { buyers: 'BuyersDashboard', visitors: 'VisitorsDashboard' }

/**
 * createDashboard('buyers', workspaceId) -> { state, request(datasetId, filters, granularity), reload(), destroy() }.
 * state: { loading, data, error, empty, version } where empty means the
 * workspace has no file for it and version counts the answers shown.
 */
export function createDashboard(kind, workspaceId) {
  const state = writable({ loading: true, data: null, error: '', empty: false, version: 0 })
  let seq = 0
  let version = 0
  let lastKey = ''
  let last = null
  let pending = null
  let running = false
  let destroyed = false

  async function run(req) {
    const my = req.seq
    state.update((s) => ({ ...s, loading: true }))
    try {
      const data = await call(methods[kind], token(), workspaceId, req.datasetId || 0, { filters: req.filters, granularity: req.granularity })
      if (my === seq && !destroyed) state.set({ loading: false, data, error: '', empty: false, version: ++version })
    } catch (e) {
      if (my !== seq || destroyed) return
      const empty = /no file for this dashboard/.test(e.message)
      state.update((s) => ({ ...s, loading: false, error: empty ? '' : e.message, empty }))
    }
  }

  async function pump() {
    if (running) return
    while (pending && !destroyed) {
      const req = pending
      pending = null
      running = true
      try {
        await run(req)
      } finally {
        running = false
      }
    }
  }

  return {
    state,
    /** Asks for the dashboard (repeated identical requests are dropped). */
    request(datasetId, filters, granularity) {
      const key = (datasetId || 0) + '|' + filtersKey(filters) + '|' + (granularity || '')
      if (key === lastKey) return
      lastKey = key
      last = { datasetId, filters, granularity }
      pending = { ...last, seq: ++seq }
      pump()
    },
    /** Computes the last request again (after the data changed). */
    reload() {
      if (!last) return
      pending = { ...last, seq: ++seq }
      pump()
    },
    destroy() {
      destroyed = true
      seq++
    },
  }
}

/** Values of one column with counts under the other active filters. */
export function filterOptions(workspaceId, datasetId, column, search, active) {
  return call('FilterOptions', token(), workspaceId, datasetId, column, search || '', active)
}
