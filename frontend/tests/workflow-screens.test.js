// Screenshots of every page, light and dark, at 1440×900 and 1024×700,
// saved to docs/screenshots/<page>-<theme>-<width>.png (compressed with
// pngquant when it is installed), with a team workspace holding data
// that ends yesterday, an assistant answer and a pending invitation. On
// each page (after its content is in) the text contrast is measured: it
// must meet WCAG AA in both themes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, openBrowser, repoRoot, api } from './harness.js'
import { generate, teamWorkspace, loginAs, drawn, lowContrast } from './workflow-helpers.js'

const out = join(repoRoot, 'docs', 'screenshots')
const yesterday = new Date(Date.now() - 864e5).toISOString().slice(0, 10)
const hasPngquant = spawnSync('sh', ['-c', 'command -v pngquant'], { stdio: 'ignore' }).status === 0

let dir, server, team

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ln-shots-'))
  server = await startServer()
  team = await teamWorkspace(server.url, [
    generate(dir, 'visitors', 60000, { end: yesterday }),
    generate(dir, 'buyers', 20000, { end: yesterday }),
  ])
  await api(server.url, 'InviteMember', team.owner.token, team.ws.id, 'new.hire@example.com', 'viewer')
})

after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// "text (ratio: colour on background)" lines, one per colour pair with a count.
function summarize(bad) {
  const pairs = new Map()
  for (const b of bad) {
    const key = b.slice(b.lastIndexOf(' ('))
    pairs.set(key, [...(pairs.get(key) || []), b.slice(0, b.lastIndexOf(' ('))])
  }
  return [...pairs].map(([k, texts]) => `${texts.length}× e.g. "${texts[0]}"${k}`).join('; ')
}

async function save(page, name) {
  mkdirSync(out, { recursive: true })
  const path = join(out, name + '.png')
  await page.screenshot({ path })
  if (hasPngquant) spawnSync('pngquant', ['--force', '--skip-if-larger', '--quality=65-95', '--speed=1', '--strip', '--output', path, path])
  return statSync(path).size
}

// How to open each page of the shell and what says it has loaded.
const pages = [
  { id: 'import', ready: (p) => p.getByTestId('dataset-summary').waitFor() },
  { id: 'buyers', ready: (p) => drawn(p, 'buyers') },
  { id: 'visitors', ready: (p) => drawn(p, 'visitors') },
  { id: 'assistant', ready: (p) => p.getByTestId('answer-chart').locator('.main-svg').first().waitFor() },
  { id: 'members', ready: (p) => p.getByTestId('members-table').waitFor() },
  { id: 'audit', ready: (p) => p.getByTestId('audit-table').waitFor() },
  { id: 'settings', ready: (p) => p.getByTestId('settings-form').waitFor() },
]

test('every page, light and dark, at 1440×900 and 1024×700', { timeout: 15 * 60_000 }, async () => {
  const { browser, page } = await openBrowser(server.url)
  const sizes = []
  const lows = []
  try {
    for (const [width, height] of [[1440, 900], [1024, 700]]) {
      // A new page per size, so the sidebar starts as a window of that size shows it.
      await page.setViewportSize({ width, height })
      for (const theme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: theme })
        await page.goto(server.url + '/#/import')
        await page.reload()
        await page.locator('input[name=email]').or(page.getByTestId('workspace-switcher')).first().waitFor()
        if (await page.locator('input[name=email]').count()) sizes.push(await save(page, `login-${theme}-${width}`))
        await loginAs(page, 'owner@example.com')
        await page.getByTestId('workspace-switcher').selectOption({ label: 'Marketing (owner)' })
        for (const p of pages) {
          await page.getByTestId('nav-' + p.id).click()
          if (p.id === 'assistant' && !(await page.getByTestId('answer-chart').count())) {
            await page.getByTestId('question').fill('Top 5 states by revenue')
            await page.getByTestId('ask').click()
          }
          await p.ready(page)
          await page.waitForTimeout(300)
          const bad = await lowContrast(page)
          if (bad.length) lows.push(`${p.id} (${theme}, ${width}): ${summarize(bad)}`)
          sizes.push(await save(page, `${p.id}-${theme}-${width}`))
        }
        await page.getByTestId('logout').click()
      }
    }
    assert.equal(sizes.length, 32, 'eight pages (login included) × two themes × two sizes')
    assert.deepEqual(lows, [], 'text under WCAG AA contrast')
    console.log(`# ${sizes.length} screenshots in docs/screenshots, ${(sizes.reduce((a, b) => a + b, 0) / 1e6).toFixed(1)} MB${hasPngquant ? '' : ' (pngquant not installed: uncompressed)'}`)
  } finally {
    await browser.close()
  }
})
