// Invitations addressed to the logged-in user (the badge in the shell and
// "My invitations" on the Members page).
import { writable } from 'svelte/store'
import { call } from '../api.js'
import { token } from './session.js'
import { loadWorkspaces, currentWorkspaceId } from './workspaces.js'

export const myInvitations = writable([])

export async function loadMyInvitations() {
  const list = await call('MyInvitations', token())
  myInvitations.set(list || [])
  return list
}

async function joined(inv) {
  await loadWorkspaces()
  currentWorkspaceId.set(inv.workspaceId)
  await loadMyInvitations()
  return inv
}

export async function acceptInvitation(id) {
  return joined(await call('AcceptInvitation', token(), id))
}

export async function acceptInvitationCode(code) {
  return joined(await call('AcceptInvitationToken', token(), code.trim()))
}

export async function rejectInvitation(id) {
  await call('RejectInvitation', token(), id)
  await loadMyInvitations()
}
