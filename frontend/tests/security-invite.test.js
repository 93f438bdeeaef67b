// Collaboration without SMTP in serve mode (issue 12 #8, issue 11 #1):
// each browser has its own session; an invitation created without email
// settings succeeds with a notice and a copyable code and link, which a
// second user in another browser accepts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, openBrowser, registerThroughUI, screenshot } from './harness.js'

test('an invitation without SMTP shows a copyable code that a second user in another browser accepts', async () => {
  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    await registerThroughUI(page, 'olive@example.com', 'correct horse battery', 'Olive Owner')
    await page.getByTestId('nav-members').click()
    await page.fill('input[name=inviteEmail]', 'friend@example.com')
    await page.selectOption('select[name=inviteRole]', 'analyst')
    await page.getByTestId('send-invitation').click()
    const notice = page.getByTestId('invitation-notice')
    await notice.waitFor()
    assert.match(await notice.innerText(), /not set up/)
    assert.equal(await page.getByRole('alert').count(), 0, 'no red error for an invitation that exists')
    const code = await page.getByTestId('invitation-handover-code').inputValue()
    const link = await page.getByTestId('invitation-handover-link').inputValue()
    assert.match(code, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(link, `${server.url}/#/invite?token=${code}`)
    await page.getByTestId('pending-invitations').getByText('friend@example.com').waitFor()
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await page.getByTestId('copy-invitation-code').click()
    await page.getByTestId('copy-invitation-code').getByText('Copied').waitFor()
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code)
    await screenshot(page, 'security-invite-code')

    // A second browser on the same server is not logged in as the owner.
    const other = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const friend = await other.newPage()
    friend.setDefaultTimeout(20000)
    await friend.goto(server.url)
    await friend.getByTestId('login-form').waitFor()
    assert.equal(await friend.getByTestId('workspace-switcher').count(), 0)
    assert.equal(await friend.evaluate(() => document.cookie), '', 'the session cookie is HttpOnly')

    await registerThroughUI(friend, 'friend@example.com', 'another good one', 'Fri End')
    await friend.getByTestId('nav-members').click()
    await friend.getByTestId('invitation-code').fill(code)
    await friend.getByRole('button', { name: /^join$/i }).click()
    const switcher = friend.getByTestId('workspace-switcher')
    await switcher.locator('option', { hasText: /My workspace.*analyst/ }).waitFor({ state: 'attached' })
    await friend.getByTestId('members-table').getByText('olive@example.com').waitFor()
    await screenshot(friend, 'security-invite-accepted')

    // Each browser keeps its own user across a reload.
    await page.reload()
    await page.getByTestId('workspace-switcher').waitFor()
    await friend.reload()
    await friend.getByTestId('workspace-switcher').waitFor()
    const who = async (p) => p.evaluate(async () => {
      const r = await fetch('/api/Me', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '["cookie-session"]' })
      return (await r.json()).result.email
    })
    assert.equal(await who(page), 'olive@example.com')
    assert.equal(await who(friend), 'friend@example.com')
    await page.getByTestId('nav-members').click()
    await page.getByTestId('members-table').getByText('friend@example.com').waitFor()
    await other.close()
  } finally {
    await browser.close()
    await server.stop()
  }
})
