// The app shell in a real browser against the real backend: register, the
// first workspace appears, a second one can be created and switched to.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, openBrowser, registerThroughUI, screenshot } from './harness.js'

test('register, create a workspace and switch', async () => {
  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    await registerThroughUI(page)
    const switcher = page.getByTestId('workspace-switcher')
    await assert.doesNotReject(switcher.locator('option', { hasText: 'My workspace' }).waitFor({ state: 'attached' }))
    await page.getByTestId('new-workspace-name').fill('Client B')
    await page.getByTestId('create-workspace').click()
    await switcher.locator('option', { hasText: 'Client B' }).waitFor({ state: 'attached' })
    assert.equal(await switcher.locator('option').count(), 2)
    const selected = await switcher.evaluate((el) => el.options[el.selectedIndex].text)
    assert.match(selected, /Client B/)
    await screenshot(page, 'shell')
  } finally {
    await browser.close()
    await server.stop()
  }
})
