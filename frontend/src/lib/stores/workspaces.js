// The caller's workspaces and which one is open.
import { writable, derived, get } from 'svelte/store'
import { call } from '../api.js'
import { token } from './session.js'

export const workspaces = writable([])
export const currentWorkspaceId = writable(Number(localStorage.getItem('ln.workspace')) || 0)
export const currentWorkspace = derived([workspaces, currentWorkspaceId], ([$ws, $id]) =>
  $ws.find((w) => w.id === $id) || null,
)

currentWorkspaceId.subscribe((id) => localStorage.setItem('ln.workspace', String(id || '')))

export async function loadWorkspaces() {
  const list = await call('ListWorkspaces', token())
  workspaces.set(list)
  if (!list.find((w) => w.id === get(currentWorkspaceId))) {
    currentWorkspaceId.set(list.length ? list[0].id : 0)
  }
  return list
}

export async function createWorkspace(name) {
  const ws = await call('CreateWorkspace', token(), name)
  await loadWorkspaces()
  currentWorkspaceId.set(ws.id)
  return ws
}

export async function renameWorkspace(id, name) {
  await call('RenameWorkspace', token(), id, name)
  await loadWorkspaces()
}

export async function deleteWorkspace(id) {
  await call('DeleteWorkspace', token(), id)
  await loadWorkspaces()
}
