// Window smoke tests: start the real desktop binary (Wails + WebKitGTK)
// under a virtual X server.
//  - --smoke: the page calls App.FrontendReady once it has mounted, the app
//    prints "SMOKE: frontend ready" and quits. This proves the window opens
//    and the embedded frontend loads and can call Go.
//  - --smoke-dashboard with a leadnavigator://magic link: the page logs in
//    with the link (mailed by the app to a loopback SMTP server here), opens
//    the Buyers dashboard of a file imported beforehand and reports when
//    every chart is drawn, so Plotly and the dashboard work in WebKitGTK.
// Skipped only where xvfb-run is missing, and never under CI=true.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import net from 'node:net'
import { binary, startServer, api, importFile } from './harness.js'

const TIMEOUT_MS = 90_000
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0
const skip = !hasXvfb && !process.env.CI && 'xvfb-run is not installed (apt-get install xvfb xauth; make test does this)'
// No session bus: the app falls back to its file keychain and never
// touches the developer's real keychain; no accessibility bridge noise.
const windowEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:', NO_AT_BRIDGE: '1' }

/** Runs the binary under xvfb-run until it exits; resolves { code, signal, out }, rejects when `expect` never shows. */
function runUnderXvfb(args, expect) {
  return new Promise((resolve, reject) => {
    const proc = spawn('xvfb-run', ['-a', '-s', '-screen 0 1400x900x24', binary, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'], env: windowEnv, detached: true,
    })
    let out = ''
    proc.stdout.on('data', (d) => (out += d))
    proc.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => {
      process.kill(-proc.pid, 'SIGKILL')
      reject(new Error(`no "${expect}" within ${TIMEOUT_MS / 1000}s; output:\n${out}`))
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
    const { code, signal, out } = await runUnderXvfb(['--smoke', '--data-dir', dataDir], 'SMOKE: frontend ready')
    assert.match(out, /^SMOKE: frontend ready$/m, `the page never called FrontendReady; output:\n${out}`)
    assert.equal(code, 0, `exit code ${code} (signal ${signal}); output:\n${out}`)
    assert.ok(existsSync(join(dataDir, 'app.db')), 'the app did not create its database in --data-dir')
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})

/** A loopback SMTP server that keeps the messages it receives: { port, messages, close() }. */
async function smtpCatcher() {
  const messages = []
  const server = net.createServer((sock) => {
    let data = false
    let buf = ''
    sock.write('220 catcher ESMTP\r\n')
    sock.on('data', (chunk) => {
      buf += chunk
      let i
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 2)
        if (data) {
          if (line === '.') {
            data = false
            sock.write('250 kept\r\n')
          } else messages[messages.length - 1] += line + '\n'
          continue
        }
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'EHLO' || verb === 'HELO') sock.write('250 catcher\r\n')
        else if (verb === 'DATA') {
          data = true
          messages.push('')
          sock.write('354 go on\r\n')
        } else if (verb === 'QUIT') sock.end('221 bye\r\n')
        else sock.write('250 ok\r\n')
      }
    })
    sock.on('error', () => {})
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { port: server.address().port, messages, close: () => new Promise((r) => server.close(r)) }
}

test('the desktop window logs in with a magic link and draws the Buyers dashboard', { skip, timeout: 3 * TIMEOUT_MS }, async () => {
  assert.ok(hasXvfb, 'xvfb-run is required under CI (apt-get install xvfb xauth)')
  const dir = mkdtempSync(join(tmpdir(), 'ln-window-dash-'))
  const smtp = await smtpCatcher()
  const data = join(dir, 'data')
  try {
    // Set-up through serve mode on the data directory the window then opens.
    const file = join(dir, 'buyers.csv')
    execFileSync(binary, ['sample', '--kind', 'buyers', '--rows', '3000', '--out', file])
    // (The last --data-dir wins: the data stays in dir/data when the server stops.)
    const server = await startServer(['--data-dir', data])
    let link = ''
    try {
      const owner = await api(server.url, 'Register', 'owner@example.com', 'correct horse battery', 'Olivia Owner')
      const ws = await api(server.url, 'CreateWorkspace', owner.token, 'Desk')
      await importFile(server.url, owner.token, ws.id, file)
      await api(server.url, 'SaveSettings', owner.token, { smtp: { host: '127.0.0.1', port: smtp.port, from: 'app@example.com' } }, '')
      await api(server.url, 'RequestMagicLink', 'owner@example.com')
      for (let i = 0; i < 100 && !link; i++) {
        // Quoted-printable soft breaks and "=3D" are undone before looking for the link.
        const mail = smtp.messages.join('\n').replace(/=\r?\n/g, '').replace(/=3D/g, '=')
        link = (mail.match(/leadnavigator:\/\/magic\?token=[A-Za-z0-9_-]+/) || [''])[0]
        if (!link) await new Promise((r) => setTimeout(r, 100))
      }
    } finally {
      await server.stop()
    }
    assert.ok(link, 'the app mailed a leadnavigator://magic link:\n' + smtp.messages.join('\n---\n'))
    const { code, out } = await runUnderXvfb(['--smoke-dashboard', '--data-dir', data, link], 'SMOKE: dashboard drawn')
    assert.match(out, /^SMOKE: dashboard drawn \(buyers, [6-9] charts\)$/m, `the dashboard was not drawn in the window; output:\n${out}`)
    assert.equal(code, 0, out)
  } finally {
    await smtp.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
