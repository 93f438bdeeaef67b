// Shared set-up for browser tests: starts the real Go backend in serve mode
// on a free loopback port with a fresh data directory, and launches Debian's
// headless Chromium through playwright-core.
//
// Environment:
//   LN_BIN     the lead-navigator binary (default: build/bin/lead-navigator)
//   LN_ASSETS  serve the frontend from this directory instead of the embedded build
//   LN_SHOTS   where screenshots go (default: frontend/test-results)
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname, basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import net from 'node:net'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '..', '..')
export const binary = process.env.LN_BIN || join(repoRoot, 'build', 'bin', 'lead-navigator')
export const shotsDir = process.env.LN_SHOTS || join(repoRoot, 'frontend', 'test-results')

function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => res(port))
    })
    srv.on('error', rej)
  })
}

/** Starts `lead-navigator serve`; returns { url, dataDir, stop() }. Extra args are appended. */
export async function startServer(extraArgs = [], env = {}) {
  if (!existsSync(binary)) throw new Error(`${binary} not found: run make build (or set LN_BIN)`)
  const dataDir = mkdtempSync(join(tmpdir(), 'ln-browser-'))
  const port = await freePort()
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--mock-keyring', ...extraArgs]
  if (process.env.LN_ASSETS) args.push('--assets', process.env.LN_ASSETS)
  const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let log = ''
  proc.stdout.on('data', (d) => (log += d))
  proc.stderr.on('data', (d) => (log += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early:\n${log}`)
    try {
      const r = await fetch(url + '/')
      if (r.ok) break
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    dataDir,
    log: () => log,
    async stop() {
      proc.kill('SIGINT')
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)))
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Launches headless Debian Chromium; returns { browser, page }. */
export async function openBrowser(url) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  page.setDefaultTimeout(20000)
  await page.goto(url)
  return { browser, page }
}

/** Saves a full-page screenshot as <shotsDir>/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(shotsDir, { recursive: true })
  const path = join(shotsDir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Registers a new account through the UI and waits for the app shell. */
export async function registerThroughUI(page, email = 'analyst@example.com', password = 'correct horse battery', name = 'Ana Lyst') {
  await page.getByRole('button', { name: /create an account/i }).click()
  await page.fill('input[name=fullName]', name)
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', password)
  await page.getByRole('button', { name: /create account/i }).click()
  await page.getByTestId('workspace-switcher').waitFor()
}

/** Logs in through the login form and waits for the app shell. */
export async function loginThroughUI(page, email, password) {
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', password)
  await page.getByRole('button', { name: /^log in$/i }).click()
  await page.getByTestId('workspace-switcher').waitFor()
}

/**
 * Calls a bound API method over HTTP (for set-up steps that are not under
 * test), as a script: Register/Login answers carry the real session token
 * (X-Session-Delivery: token; a browser gets an HttpOnly cookie instead),
 * which later calls pass as their first argument. Bodies are JSON: the
 * server refuses anything else.
 */
export async function api(url, method, ...args) {
  const r = await fetch(`${url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Session-Delivery': 'token' },
    body: JSON.stringify(args),
  })
  const text = await r.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`${method}: HTTP ${r.status}: ${text}`)
  }
  if (body.error) throw new Error(`${method}: ${body.error}`)
  return body.result
}

/**
 * Adds a member to a workspace the way a team does without email set up:
 * registers the account (unless `existing` is its session), the Owner
 * invites it and hands over the invitation code, the member accepts it.
 * Returns the member's session ({token, user}).
 */
export async function addMember(url, ownerToken, workspaceId, email, password, role = 'viewer', fullName = 'Member', existing = null) {
  const member = existing || (await api(url, 'Register', email, password, fullName))
  const inv = await api(url, 'InviteMember', ownerToken, workspaceId, email, role)
  if (!inv.code) throw new Error(`InviteMember returned no code (email is set up?): ${JSON.stringify(inv)}`)
  await api(url, 'AcceptInvitationToken', member.token, inv.code)
  return member
}

/**
 * Imports a local file the way the page does in a browser: upload it, then
 * ImportFile the server-side upload path (serve mode refuses other paths).
 */
export async function importFile(url, token, workspaceId, localPath) {
  const up = await fetch(`${url}/upload`, {
    method: 'POST',
    headers: { 'X-Filename': basename(localPath), Authorization: `Bearer ${token}` },
    body: readFileSync(localPath),
  })
  const body = await up.json()
  if (body.error) throw new Error(`upload: ${body.error}`)
  return api(url, 'ImportFile', token, workspaceId, body.path, '')
}
