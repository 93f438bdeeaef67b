// Window smoke test: starts the real desktop binary (Wails + WebKitGTK)
// under a virtual X server with --smoke; the page calls App.FrontendReady
// once it has mounted, the app prints "SMOKE: frontend ready" and quits.
// This proves the window opens and the embedded frontend loads and can call
// Go. Skipped only where xvfb-run is missing, and never under CI=true.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { binary } from './harness.js'

const TIMEOUT_MS = 90_000
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0
const skip = !hasXvfb && !process.env.CI && 'xvfb-run is not installed (apt-get install xvfb xauth; make test does this)'

/** Runs the binary under xvfb-run; resolves { code, signal, out } or rejects on timeout. */
function runUnderXvfb(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn('xvfb-run', ['-a', '-s', '-screen 0 1400x900x24', binary, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // No session bus: the app falls back to its file keychain and never
      // touches the developer's real keychain; no accessibility bridge noise.
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:', NO_AT_BRIDGE: '1' },
      detached: true,
    })
    let out = ''
    proc.stdout.on('data', (d) => (out += d))
    proc.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => {
      process.kill(-proc.pid, 'SIGKILL')
      reject(new Error(`no "SMOKE: frontend ready" within ${TIMEOUT_MS / 1000}s; output:\n${out}`))
    }, TIMEOUT_MS)
    proc.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    proc.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, out })
    })
  })
}

test('the desktop window opens and the page reports ready', { skip, timeout: TIMEOUT_MS + 10_000 }, async () => {
  assert.ok(hasXvfb, 'xvfb-run is required under CI (apt-get install xvfb xauth)')
  assert.ok(existsSync(binary), `${binary} not found: run make build (or set LN_BIN)`)
  const dataDir = mkdtempSync(join(tmpdir(), 'ln-window-'))
  try {
    const { code, signal, out } = await runUnderXvfb(['--smoke', '--data-dir', dataDir])
    assert.match(out, /^SMOKE: frontend ready$/m, `the page never called FrontendReady; output:\n${out}`)
    assert.equal(code, 0, `exit code ${code} (signal ${signal}); output:\n${out}`)
    assert.ok(existsSync(join(dataDir, 'app.db')), 'the app did not create its database in --data-dir')
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
