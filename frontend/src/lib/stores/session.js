// The logged-in session: token + user. On the desktop the backend keeps
// the token in the OS keychain (RememberSession/RestoreSession). In a
// browser (serve mode) each browser has its own session in an HttpOnly
// cookie: the token here is the stand-in 'cookie-session', and the server
// answers RestoreSession from the cookie. Never in localStorage.
import { writable, get } from 'svelte/store'
import { call, callApp, reconnectEvents } from '../api.js'

export const session = writable({ token: '', user: null, restoring: true })

export const token = () => get(session).token

export async function restore() {
  try {
    const s = await call('RestoreSession')
    session.set({ token: s.token || '', user: s.token ? s.user : null, restoring: false })
    if (s.token) reconnectEvents()
  } catch {
    session.set({ token: '', user: null, restoring: false })
  }
}

export async function loggedIn(s) {
  session.set({ token: s.token, user: s.user, restoring: false })
  reconnectEvents()
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

/** The backend ended the session (idle timeout, logout elsewhere): back to the login screen. */
export function expired() {
  session.set({ token: '', user: null, restoring: false })
}

/** Logs in with a magic-link token (from the emailed link or pasted). */
export async function loginWithMagicLink(magicToken) {
  const s = await call('LoginWithMagicLink', magicToken.trim())
  await loggedIn(s)
  return s
}

/** Tokens arriving in the URL: #/magic?token=... (served) or leadnavigator://magic?token=... (desktop). */
export function tokenFromLink(link, kind) {
  const m = String(link || '').match(new RegExp(kind + '\\?token=([A-Za-z0-9_-]+)'))
  return m ? m[1] : ''
}

let pendingLink = null

/**
 * Desktop: the leadnavigator:// link the app was started with, fetched once.
 * take(kind) returns it (and forgets it) only if it is a `kind` link, so the
 * login page takes magic links and the shell takes invitation and view links.
 */
export async function takePendingLink(kind) {
  if (pendingLink === null) {
    try {
      pendingLink = (await callApp('PendingLink')) || ''
    } catch {
      pendingLink = ''
    }
  }
  // View links (leadnavigator://view/buyers?...) carry a page, not a token.
  if (!tokenFromLink(pendingLink, kind) && !pendingLink.startsWith('leadnavigator://' + kind + '/')) return ''
  const l = pendingLink
  pendingLink = ''
  return l
}
