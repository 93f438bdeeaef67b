// The app shell in a real browser against the real backend: register, the
// first workspace appears, a second one can be created and switched to;
// two workspaces of the same name are told apart in the switcher; the
// favicon is served.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, openBrowser, registerThroughUI, screenshot, api } from './harness.js'

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

    // Another user's "My workspace", shared with this one: the two names differ in the switcher.
    const other = await api(server.url, 'Register', 'bob@example.com', 'correct horse battery', 'Bob Builder')
    const bobs = await api(server.url, 'CreateWorkspace', other.token, 'My workspace')
    // Without mail settings Bob hands the invitation code over; it is pasted on the Members page.
    const inv = await api(server.url, 'InviteMember', other.token, bobs.id, 'analyst@example.com', 'analyst')
    await page.getByTestId('nav-members').click()
    await page.getByTestId('invitation-code').fill(inv.code)
    await page.getByRole('button', { name: /^join$/i }).click()
    await switcher.locator('option').nth(2).waitFor({ state: 'attached' })
    const mine = (await switcher.locator('option').allTextContents()).filter((t) => t.startsWith('My workspace'))
    assert.equal(mine.length, 2, mine.join(' | '))
    assert.notEqual(mine[0], mine[1], 'same-named workspaces read differently: ' + mine.join(' | '))
    assert.ok(mine.every((t) => /^My workspace \((owner|analyst)\) · .+$/.test(t)), mine.join(' | '))

    // The favicon, at the path browsers ask for.
    const ico = await fetch(server.url + '/favicon.ico')
    assert.equal(ico.status, 200)
    assert.deepEqual([...new Uint8Array(await ico.arrayBuffer()).slice(0, 4)], [0, 0, 1, 0], 'an ICO file')
    assert.equal(await page.locator('link[rel=icon]').count(), 2)
  } finally {
    await browser.close()
    await server.stop()
  }
})
