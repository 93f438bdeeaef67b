// Accounts in a real browser against the real backend (serve mode):
// register, SMTP set up on the Settings page, two workspaces and switching,
// inviting a member, logout, magic-link login with the code from the email,
// the invitee accepting, and the audit trail verifying.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { startServer, openBrowser, registerThroughUI, screenshot, loginThroughUI } from './harness.js'

// A tiny SMTP sink: enough of RFC 5321 for Go's net/smtp client.
function startSMTPSink() {
  const mails = []
  const waiters = []
  const server = net.createServer((sock) => {
    let buf = ''
    let inData = false
    let mail = null
    sock.write('220 sink ESMTP\r\n')
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8')
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n')
          if (end < 0) return
          mail.raw = buf.slice(0, end)
          buf = buf.slice(end + 5)
          inData = false
          mails.push(mail)
          waiters.splice(0).forEach((w) => w())
          sock.write('250 queued\r\n')
          continue
        }
        const nl = buf.indexOf('\r\n')
        if (nl < 0) return
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 2)
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'EHLO' || verb === 'HELO') sock.write('250 sink\r\n')
        else if (verb === 'MAIL') { mail = { to: '', raw: '' }; sock.write('250 ok\r\n') }
        else if (verb === 'RCPT') { mail.to = line.replace(/^RCPT TO:<(.*)>.*$/i, '$1'); sock.write('250 ok\r\n') }
        else if (verb === 'DATA') { inData = true; sock.write('354 go ahead\r\n') }
        else if (verb === 'QUIT') { sock.end('221 bye\r\n'); return }
        else sock.write('250 ok\r\n')
      }
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port,
    close: () => server.close(),
    /** Waits for the next mail to `to` and returns it. */
    async next(to, timeout = 10000) {
      const deadline = Date.now() + timeout
      for (;;) {
        const i = mails.findIndex((m) => m.to === to)
        if (i >= 0) return mails.splice(i, 1)[0]
        if (Date.now() > deadline) throw new Error(`no email to ${to} within ${timeout} ms`)
        await new Promise((r) => { waiters.push(r); setTimeout(r, 200) })
      }
    },
  })))
}

// The token in a quoted-printable body: undo soft line breaks and =3D.
function tokenIn(mail, kind) {
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  const m = text.match(new RegExp(kind + '\\?token=([A-Za-z0-9_-]{43})'))
  assert.ok(m, `no ${kind} token in the email:\n${text}`)
  return m[1]
}

test('register, workspaces, invite, magic-link login, accept invitation, audit', async () => {
  const smtp = await startSMTPSink()
  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    // Register; the first workspace is created.
    await registerThroughUI(page, 'owner@example.com', 'correct horse battery', 'Olive Owner')
    const switcher = page.getByTestId('workspace-switcher')
    await switcher.locator('option', { hasText: 'My workspace' }).waitFor({ state: 'attached' })

    // Point email at the sink through the Settings page.
    await page.getByTestId('nav-settings').click()
    await page.fill('input[name=smtpHost]', '127.0.0.1')
    await page.fill('input[name=smtpPort]', String(smtp.port))
    await page.fill('input[name=smtpFrom]', 'navigator@example.com')
    await page.uncheck('input[name=smtpStartTLS]')
    await page.getByTestId('save-settings').click()
    await page.getByText('Settings saved.').waitFor()
    assert.match(await page.getByTestId('keychain-backend').innerText(), /keychain|file/i)
    await screenshot(page, 'accounts-settings')

    // A second workspace, switch to it, rename it, switch back.
    await page.getByTestId('new-workspace-name').fill('Client B')
    await page.getByTestId('create-workspace').click()
    await switcher.locator('option', { hasText: 'Client B' }).waitFor({ state: 'attached' })
    assert.match(await switcher.evaluate((el) => el.options[el.selectedIndex].text), /Client B/)
    await page.getByTestId('rename-workspace').click()
    await page.getByTestId('rename-workspace-name').fill('Client Bravo')
    await page.getByTestId('rename-workspace-save').click()
    await switcher.locator('option', { hasText: 'Client Bravo' }).waitFor({ state: 'attached' })
    // Delete a third workspace through the confirmation dialog.
    await page.getByTestId('new-workspace-name').fill('Scratch')
    await page.getByTestId('create-workspace').click()
    await switcher.locator('option', { hasText: 'Scratch' }).waitFor({ state: 'attached' })
    await page.getByTestId('delete-workspace').click()
    assert.equal(await page.getByTestId('delete-confirm').isDisabled(), true)
    await page.getByTestId('delete-confirm-name').fill('Scratch')
    await screenshot(page, 'accounts-delete-dialog')
    await page.getByTestId('delete-confirm').click()
    await switcher.locator('option', { hasText: 'Scratch' }).waitFor({ state: 'detached' })
    assert.equal(await switcher.locator('option').count(), 2)

    await switcher.selectOption({ label: 'My workspace (owner)' })
    assert.match(await switcher.evaluate((el) => el.options[el.selectedIndex].text), /My workspace/)
    await screenshot(page, 'accounts-workspaces')

    // Invite a colleague to "My workspace" as Analyst.
    await page.getByTestId('nav-members').click()
    await page.fill('input[name=inviteEmail]', 'colleague@example.com')
    await page.selectOption('select[name=inviteRole]', 'analyst')
    await page.getByTestId('send-invitation').click()
    await page.getByTestId('pending-invitations').getByText('colleague@example.com').waitFor()
    const invitation = await smtp.next('colleague@example.com')
    assert.match(invitation.raw, /multipart\/alternative/)
    tokenIn(invitation, 'invite')
    await screenshot(page, 'accounts-members')

    // Log out, then log in with a magic link: request it, paste the code.
    await page.getByTestId('logout').click()
    await page.getByTestId('login-form').waitFor()
    await page.getByTestId('magic-mode').click()
    await page.fill('input[name=email]', 'OWNER@example.com')
    await page.getByTestId('request-magic-link').click()
    await page.getByRole('status').waitFor()
    const magic = tokenIn(await smtp.next('owner@example.com'), 'magic')
    await page.fill('input[name=magicCode]', magic)
    await screenshot(page, 'accounts-magic-link')
    await page.getByTestId('use-magic-code').click()
    await page.getByTestId('workspace-switcher').waitFor()

    // The same code does not work twice.
    await page.getByTestId('logout').click()
    await page.getByTestId('magic-mode').click()
    await page.fill('input[name=magicCode]', magic)
    await page.getByTestId('use-magic-code').click()
    await page.getByRole('alert').getByText(/invalid, has expired or was already used/).waitFor()

    // The colleague registers: with email set up, the account is created
    // when the code mailed to the address comes back (which proves it is
    // theirs), then sees the invitation badge and accepts.
    await page.getByRole('button', { name: /log in with a password instead/i }).click()
    await page.getByRole('button', { name: /create an account/i }).click()
    await page.fill('input[name=fullName]', 'Col League')
    await page.fill('input[name=email]', 'colleague@example.com')
    await page.fill('input[name=password]', 'another good one')
    await page.getByRole('button', { name: /create account/i }).click()
    await page.getByRole('status').getByText(/confirm the address/).waitFor()
    await page.fill('input[name=magicCode]', tokenIn(await smtp.next('colleague@example.com'), 'magic'))
    await page.getByTestId('use-magic-code').click()
    await page.getByTestId('workspace-switcher').waitFor()
    assert.equal(await page.getByTestId('invitations-badge').innerText(), '1')
    await page.getByTestId('nav-members').click()
    await page.getByTestId('accept-invitation').click()
    await switcher.locator('option', { hasText: 'My workspace (analyst)' }).waitFor({ state: 'attached' })
    assert.match(await switcher.evaluate((el) => el.options[el.selectedIndex].text), /My workspace \(analyst\)/)
    assert.equal(await page.getByTestId('invitations-badge').count(), 0)
    await page.getByTestId('members-table').getByText('colleague@example.com').waitFor()
    await screenshot(page, 'accounts-invitation-accepted')
    // Analysts do not see the audit trail.
    assert.equal(await page.getByTestId('nav-audit').count(), 0)

    // The owner's audit trail lists what happened and verifies.
    await page.getByTestId('logout').click()
    await loginThroughUI(page, 'owner@example.com', 'correct horse battery')
    await switcher.selectOption({ label: 'My workspace (owner)' })
    await page.getByTestId('nav-audit').click()
    const table = page.getByTestId('audit-table')
    await table.getByText('invitation.accepted').waitFor()
    // Details read as fields; the raw JSON is behind a toggle.
    const accepted = table.locator('tr', { hasText: 'invitation.accepted' })
    await accepted.getByTestId('audit-details').getByText('Role').waitFor()
    assert.equal(await accepted.getByTestId('audit-raw').count(), 0)
    await accepted.getByTestId('audit-raw-toggle').click()
    assert.match(await accepted.getByTestId('audit-raw').innerText(), /"role": "analyst"/)
    await table.getByText('magic_link.used').first().waitFor()
    await page.getByTestId('audit-verify').click()
    await page.getByTestId('audit-verification').getByText(/Intact/).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-csv').click()])
    assert.match(download.suggestedFilename(), /^audit-ws\d+-.*\.csv$/)
    await screenshot(page, 'accounts-audit')
  } finally {
    await browser.close()
    await server.stop()
    smtp.close()
  }
})
