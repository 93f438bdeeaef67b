// One way to call the backend, whichever shell the page runs in:
// - in the desktop app, Wails injects window.go.api.API.<Method> bindings;
// - in a plain browser (`lead-navigator serve`), the same methods answer at
//   POST /api/<Method> with a JSON array of arguments.
// Events (import progress, ...) come from the Wails runtime or from /events.

const wailsAPI = () => window.go && window.go.api && window.go.api.API
const wailsApp = () => window.go && window.go.main && window.go.main.App

export const isDesktop = () => !!wailsAPI()

/** call('Method', ...args) -> Promise of the method's result; rejects with an Error whose message is the backend's. */
export async function call(method, ...args) {
  const bound = wailsAPI()
  if (bound) {
    if (!bound[method]) throw new Error(`unknown method ${method}`)
    try {
      return await bound[method](...args)
    } catch (e) {
      throw new Error(typeof e === 'string' ? e : e?.message || String(e))
    }
  }
  // Serve mode: the session travels in an HttpOnly cookie the page cannot
  // read; the page passes 'cookie-session' where a token goes and the
  // server puts the cookie's token in its place.
  const res = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(args),
  })
  const body = await readJSON(res)
  if (body.error) throw new Error(body.error)
  return body.result
}

/** The JSON body of a response, or {error} with its text when it is not JSON (a refused request). */
async function readJSON(res) {
  const text = await res.text()
  try {
    return JSON.parse(text)
  } catch {
    return { error: text.trim() || `${res.status} ${res.statusText}` }
  }
}

/** Desktop-only methods on main.App (dialogs); null in a browser. */
export async function callApp(method, ...args) {
  const app = wailsApp()
  if (!app) return null
  return app[method](...args)
}

const listeners = new Map()
let source = null

function dispatch(event, data) {
  for (const cb of listeners.get(event) || []) cb(data)
}

/** on('event', cb) -> unsubscribe function. */
export function on(event, cb) {
  if (!listeners.has(event)) {
    listeners.set(event, new Set())
    if (window.runtime && window.runtime.EventsOn) {
      window.runtime.EventsOn(event, (data) => dispatch(event, data))
    }
  }
  listeners.get(event).add(cb)
  if (!window.runtime && !source) openEvents()
  return () => listeners.get(event).delete(cb)
}

// The event stream needs a session: one opened before login is refused
// (and a browser does not retry a refused stream), so it is reopened at
// login and, after an error, every few seconds.
let retry = null
function openEvents() {
  if (typeof EventSource === 'undefined') return
  if (source) source.close()
  clearTimeout(retry)
  source = new EventSource('/events')
  source.onmessage = (m) => {
    const { event: name, data } = JSON.parse(m.data)
    dispatch(name, data)
  }
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) retry = setTimeout(openEvents, 3000)
  }
}

/** Serve mode: reopen the event stream with the session just started. */
export function reconnectEvents() {
  if (!window.runtime && !wailsAPI() && listeners.size) openEvents()
}

/**
 * Uploads a browser File so the backend can read it; returns a path for
 * ImportFile. In the desktop app files come with real paths instead.
 */
export async function uploadFile(file) {
  const res = await fetch('/upload', {
    method: 'POST',
    headers: { 'X-Filename': file.name },
    credentials: 'same-origin',
    body: file,
  })
  const body = await readJSON(res)
  if (body.error) throw new Error(body.error)
  return body.path
}
