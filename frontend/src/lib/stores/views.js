// Saved views of the open workspace: named filters + date range +
// granularity of one dashboard, shared with the whole team.
import { writable } from 'svelte/store'
import { call } from '../api.js'
import { token } from './session.js'

export const savedViews = writable([])

export async function loadViews(workspaceId, dashboard) {
  const list = await call('ListViews', token(), workspaceId, dashboard)
  savedViews.set(list)
  return list
}

export async function saveView(workspaceId, dashboard, name, filters, granularity) {
  const v = await call('SaveView', token(), workspaceId, { name, dashboard, filters, granularity })
  await loadViews(workspaceId, dashboard)
  return v
}

export async function deleteView(workspaceId, dashboard, id) {
  await call('DeleteView', token(), workspaceId, id)
  await loadViews(workspaceId, dashboard)
}
