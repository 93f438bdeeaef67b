// Settings > About shows the version from backend/version/VERSION, the
// same one `lead-navigator --version` prints (one source for both).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startServer, openBrowser, registerThroughUI, screenshot, binary, repoRoot } from './harness.js'

test('About in Settings shows the version the binary reports', async () => {
  const version = readFileSync(join(repoRoot, 'backend', 'version', 'VERSION'), 'utf8').trim()
  const cli = execFileSync(binary, ['--version'], { encoding: 'utf8' })
  assert.match(cli, new RegExp(`^lead-navigator ${version.replaceAll('.', '\\.')} \\(`))

  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    await registerThroughUI(page)
    await page.getByTestId('nav-settings').click()
    const about = page.getByTestId('settings-about')
    await about.waitFor()
    assert.equal(await page.getByTestId('app-version').textContent(), version)
    await about.scrollIntoViewIfNeeded()
    await screenshot(page, 'settings-about')
  } finally {
    await browser.close()
    await server.stop()
  }
})
