// The logged-in session: token + user. Persisted by the backend in the OS
// keychain (RememberSession/RestoreSession), never in localStorage.
import { writable, get } from 'svelte/store'
import { call } from '../api.js'

export const session = writable({ token: '', user: null, restoring: true })

export const token = () => get(session).token

export async function restore() {
  try {
    const s = await call('RestoreSession')
    session.set({ token: s.token || '', user: s.token ? s.user : null, restoring: false })
  } catch {
    session.set({ token: '', user: null, restoring: false })
  }
}

export async function loggedIn(s) {
  session.set({ token: s.token, user: s.user, restoring: false })
  try {
    await call('RememberSession', s.token)
  } catch {
    // Not fatal: the session still works until the app is closed.
  }
}

export async function logout() {
  const t = token()
  try {
    await call('ForgetSession', t)
    await call('Logout', t)
  } finally {
    session.set({ token: '', user: null, restoring: false })
  }
}
