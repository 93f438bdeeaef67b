// The open workspace's datasets and the import that is running (if any).
// Progress comes from "import:progress" events tagged with the job id this
// page chose, so events of other windows' imports are ignored.
import { writable, get } from 'svelte/store'
import { call, on } from '../api.js'
import { token } from './session.js'

export const datasets = writable([])

const idle = { running: false, jobId: '', file: '', phase: '', percent: 0, rows: 0, bytesDone: 0, bytesTotal: 0, eta: -1, mbps: 0, ticks: 0, error: '' }
export const importState = writable({ ...idle })

let started = 0

on('import:progress', (p) => {
  const s = get(importState)
  if (!s.running || p.jobId !== s.jobId) return
  const secs = (performance.now() - started) / 1000
  const total = p.bytesTotal || s.bytesTotal
  // While DuckDB parses, the importer cannot count bytes; estimate them
  // from the overall percentage so throughput does not drop to zero.
  const estimated = !p.bytesDone && total > 0
  const done = estimated ? (total * (p.percent || 0)) / 100 : p.bytesDone || 0
  importState.set({
    ...s,
    phase: p.phase,
    percent: p.percent || 0,
    rows: p.rows || 0,
    bytesDone: Math.min(done, total || done),
    bytesTotal: total,
    estimated,
    eta: p.etaSeconds ?? -1,
    mbps: secs > 0 ? done / 1e6 / secs : 0,
    ticks: s.ticks + 1,
  })
})

export async function loadDatasets(workspaceId) {
  const list = await call('ListDatasets', token(), workspaceId)
  datasets.set(list)
  return list
}

const newJobId = () => 'job-' + Math.random().toString(36).slice(2) + Date.now().toString(36)
const baseName = (path) => path.split(/[\\/]/).pop()

/**
 * Imports a file the backend can read (a picked/dropped path, or the server
 * path of an upload). Resolves with the ImportSummary; on failure sets
 * importState.error to the backend's message and rethrows.
 */
export async function importPath(workspaceId, path, displayName = baseName(path)) {
  const jobId = newJobId()
  started = performance.now()
  importState.set({ ...idle, running: true, jobId, file: displayName, phase: 'starting' })
  try {
    const summary = await call('ImportFile', token(), workspaceId, path, jobId)
    importState.update((s) => ({ ...s, running: false, phase: 'done', percent: 100 }))
    await loadDatasets(workspaceId)
    return summary
  } catch (e) {
    importState.update((s) => ({ ...s, running: false, error: e.message }))
    throw e
  }
}

/** Marks the start of a browser upload (before the backend import begins). */
export function uploading(file) {
  importState.set({ ...idle, running: true, file, phase: 'uploading' })
}

export function uploadFailed(message) {
  importState.update((s) => ({ ...s, running: false, error: message }))
}

export function clearImportError() {
  importState.update((s) => ({ ...s, error: '' }))
}

export async function cancelImport() {
  const s = get(importState)
  if (s.running && s.jobId) await call('CancelImport', token(), s.jobId)
}

export const previewDataset = (workspaceId, id, limit = 100) => call('PreviewDataset', token(), workspaceId, id, limit)
export const getDataset = (workspaceId, id) => call('GetDataset', token(), workspaceId, id)
export const getMapping = (workspaceId, id) => call('GetMapping', token(), workspaceId, id)
export const saveMapping = (workspaceId, id, mapping) => call('SaveMapping', token(), workspaceId, id, mapping)

export async function setKind(workspaceId, id, kind) {
  await call('SetDatasetKind', token(), workspaceId, id, kind)
  await loadDatasets(workspaceId)
}

export async function deleteDataset(workspaceId, id) {
  await call('DeleteDataset', token(), workspaceId, id)
  await loadDatasets(workspaceId)
}

export async function loadSampleData(workspaceId) {
  const jobs = await call('LoadSampleData', token(), workspaceId)
  await loadDatasets(workspaceId)
  return jobs
}
