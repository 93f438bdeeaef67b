// The AI assistant of the open workspace: the caller's chat history, the
// answer being computed, and whether Gemini or the offline planner answers.
// `activeFilters` holds the filters last applied on a dashboard (a dashboard
// sets it), so questions can be answered under what the user is looking at.
import { writable, get } from 'svelte/store'
import { call } from '../api.js'
import { token } from './session.js'
import { emptyFilters } from './filters.js'

export const messages = writable([])
export const asking = writable(false)
export const status = writable({ mode: 'offline', model: '', keySet: false })
export const activeFilters = writable(emptyFilters())

// The workspace the chat shows; an answer arriving after a switch is not
// shown in the other workspace's chat (it is in its own history).
let shownWorkspace = 0

export async function loadHistory(workspaceId) {
  shownWorkspace = workspaceId
  const list = await call('ChatHistory', token(), workspaceId)
  if (shownWorkspace === workspaceId) messages.set(list)
}

/** Asks a question under filters; the question shows at once, the answer when it arrives. */
export async function ask(workspaceId, datasetId, question, filters) {
  const q = question.trim()
  if (!q || get(asking)) return
  asking.set(true)
  const pending = { id: -Date.now(), role: 'user', text: q, pending: true }
  messages.update((m) => [...m, pending])
  try {
    const answer = await call('Ask', token(), workspaceId, datasetId || 0, q, filters || emptyFilters())
    if (shownWorkspace !== workspaceId) return
    messages.update((m) => [...m.filter((x) => x !== pending), { ...pending, pending: false },
      { id: -Date.now() - 1, role: 'assistant', text: answer.text, answer }])
  } catch (e) {
    if (shownWorkspace !== workspaceId) return
    messages.update((m) => [...m.filter((x) => x !== pending), { ...pending, pending: false },
      { id: -Date.now() - 1, role: 'assistant', text: e.message, error: true }])
  } finally {
    asking.set(false)
  }
}

export async function clearChat(workspaceId) {
  await call('ClearChat', token(), workspaceId)
  messages.set([])
}

export async function loadStatus() {
  status.set(await call('AssistantStatus', token()))
}

export async function setGeminiKey(key) {
  status.set(await call('SetGeminiKey', token(), key))
}

export async function clearGeminiKey() {
  status.set(await call('ClearGeminiKey', token()))
}
