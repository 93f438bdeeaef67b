// Views that stay, in a real browser against the real backend: the
// dashboard's dataset, filters, dates and granularity survive navigation
// and reload (page address + session), carry over to the other dashboard
// by canonical field (the visitors file calls its channel column
// "traffic_channel"), and a copied link shows the same view to another
// member. The dataset picker switches data, the Data page marks the
// dataset each dashboard uses, the assistant offers the same picker.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, openBrowser, screenshot } from './harness.js'
import {
  generate, teamWorkspace, loginAs, openDashboard, drawn, changed, pickFilter, dash, kpi, badgeTexts, rowsMatched, hashParams, snapshot,
} from './workflow-helpers.js'

let dir, server, team, files

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ln-views-'))
  files = {
    older: generate(dir, 'buyers', 3000, { seed: 7, name: 'buyers-2024' }),
    newer: generate(dir, 'buyers', 5000, { seed: 1, name: 'buyers-2025' }),
    visitors: generate(dir, 'visitors', 6000, { rename: { channel: 'traffic_channel' } }),
  }
  server = await startServer()
  team = await teamWorkspace(server.url, [files.older, files.visitors, files.newer])
})

after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('filters stay through navigation and reload, carry over by field, and a copied link shows the same view to another member', async () => {
  const [older, visitors, newer] = team.datasets
  assert.equal(visitors.mapping.channel, 'traffic_channel', 'the visitors file maps channel from another column name')
  const { browser, page } = await openBrowser(server.url)
  try {
    await openDashboard(page, 'owner@example.com', 'Marketing', 'buyers')
    const buyers = dash(page, 'buyers')
    assert.equal(await buyers.getByTestId('date-preset').inputValue(), 'all', 'no date range reads "All time"')

    // A view: channel Email, the last 90 days, weekly.
    await pickFilter(page, 'buyers', 'channel', 'Email')
    await changed(page, 'buyers', () => buyers.getByTestId('date-preset').selectOption('90'))
    await changed(page, 'buyers', () => buyers.getByTestId('granularity').getByRole('radio', { name: 'Week' }).click())
    const view = await snapshot(page, 'buyers', 'total_revenue')
    assert.equal(view.preset, 'Last 90 days', 'the preset stays chosen (no snapping back)')
    assert.equal(view.granularity, 'Week')
    assert.equal(view.badges.length, 2)
    assert.ok(view.rows > 0 && view.rows < newer.rows, `filtered rows ${view.rows}`)
    const params = hashParams(page)
    assert.deepEqual(params.getAll('f.channel'), ['Email'])
    assert.equal(params.get('g'), 'week')
    assert.match(params.get('from'), /^\d{4}-\d{2}-\d{2}$/)
    assert.equal(params.get('ws'), String(team.ws.id))

    // Away and back, then a reload: the same view.
    await page.getByTestId('nav-import').click()
    await page.getByTestId('data-page').waitFor()
    await page.getByTestId('nav-buyers').click()
    await drawn(page, 'buyers')
    assert.deepEqual(await snapshot(page, 'buyers', 'total_revenue'), view, 'after navigating away and back')
    assert.deepEqual(hashParams(page).getAll('f.channel'), ['Email'], 'the address has the view again')
    await page.reload()
    await drawn(page, 'buyers')
    assert.deepEqual(await snapshot(page, 'buyers', 'total_revenue'), view, 'after a reload')

    // Visitors: the channel filter (by field: its column is traffic_channel) and the dates carry over.
    await page.getByTestId('nav-visitors').click()
    await drawn(page, 'visitors')
    const vp = hashParams(page)
    assert.deepEqual(vp.getAll('f.traffic_channel'), ['Email'], 'carried over to the visitors channel column')
    assert.equal(vp.get('from'), params.get('from'))
    assert.equal(vp.get('g'), null, 'granularity is per dashboard')
    assert.ok((await badgeTexts(page, 'visitors')).includes('Channel Email'), (await badgeTexts(page, 'visitors')).join(' | '))
    assert.ok(await rowsMatched(page, 'visitors') < visitors.rows)
    // Clearing it on Visitors clears it on Buyers; the dates stay.
    await changed(page, 'visitors', () => dash(page, 'visitors').getByRole('button', { name: /^Remove Channel Email$/ }).click())
    await page.getByTestId('nav-buyers').click()
    await page.waitForFunction(() => !location.hash.includes('f.channel'))
    await drawn(page, 'buyers')
    assert.deepEqual((await badgeTexts(page, 'buyers')).filter((b) => /Channel/.test(b)), [])
    assert.equal(hashParams(page).get('from'), params.get('from'))

    // Channel again, then Copy link.
    await pickFilter(page, 'buyers', 'channel', 'Email')
    const shared = await snapshot(page, 'buyers', 'total_revenue')
    assert.deepEqual(shared, view)
    await buyers.getByTestId('copy-link').click()
    const link = await buyers.getByTestId('view-link').inputValue()
    assert.ok(link.startsWith(server.url + '/#/buyers?'), link)
    await screenshot(page, 'workflow-copy-link')

    // The analyst opens the link in another browser: same view, same numbers.
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const p2 = await ctx.newPage()
    p2.setDefaultTimeout(20000)
    await p2.goto(link)
    await loginAs(p2, 'analyst@example.com')
    await drawn(p2, 'buyers')
    assert.deepEqual(await snapshot(p2, 'buyers', 'total_revenue'), view, "the analyst sees the owner's view")
    assert.match(await p2.getByTestId('workspace-switcher').evaluate((el) => el.options[el.selectedIndex].text), /^Marketing/)
    await ctx.close()
    assert.ok(older.id && newer.id)
  } finally {
    await browser.close()
  }
})

test('the dataset picker switches data; the Data page and the assistant show the choice', async () => {
  const [older, , newer] = team.datasets
  const { browser, page } = await openBrowser(server.url)
  try {
    await openDashboard(page, 'owner@example.com', 'Marketing', 'buyers')
    const picker = dash(page, 'buyers').getByTestId('dataset-picker')
    // Both buyers files, each with its rows and date span; the newest is shown.
    const options = await picker.locator('option').allTextContents()
    assert.equal(options.length, 2, options.join(' | '))
    assert.ok(options.every((o) => / rows · \w{3} \d{1,2}, \d{4} – \w{3} \d{1,2}, \d{4}$/.test(o)), options.join(' | '))
    assert.equal(Number(await picker.inputValue()), newer.id)
    const totalOf = async () => (await dash(page, 'buyers').locator('.sub').textContent()).match(/of ([\d,]+) rows/)[1]
    const totalNewer = await totalOf()
    assert.equal(totalNewer, newer.rows.toLocaleString('en-US'))
    const revenueNewer = await kpi(page, 'buyers', 'total_revenue')

    await changed(page, 'buyers', () => picker.selectOption(String(older.id)))
    assert.equal(await totalOf(), older.rows.toLocaleString('en-US'))
    assert.notEqual(await kpi(page, 'buyers', 'total_revenue'), revenueNewer, 'other data, other numbers')
    assert.equal(hashParams(page).get('ds'), String(older.id))
    await page.reload()
    await drawn(page, 'buyers')
    assert.equal(Number(await picker.inputValue()), older.id, 'the choice survives a reload')

    // The Data page marks the dataset each dashboard shows.
    await page.getByTestId('nav-import').click()
    const rowOf = (id) => page.locator(`[data-testid=dataset-row][data-id="${id}"]`)
    await rowOf(older.id).getByTestId('used-by-buyers').waitFor()
    assert.equal(await rowOf(newer.id).getByTestId('used-by-buyers').count(), 0)
    assert.equal(await page.getByTestId('used-by-visitors').count(), 1)
    await screenshot(page, 'workflow-data-marks')

    // The assistant offers the same picker (rows and date span).
    await page.getByTestId('nav-assistant').click()
    const options3 = page.getByTestId('assistant-dataset').locator('option:not([disabled])')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=assistant-dataset] option:not([disabled])').length === 3)
    const texts = await options3.allTextContents()
    assert.ok(texts.every((t) => / rows · /.test(t)), texts.join(' | '))
  } finally {
    await browser.close()
  }
})
