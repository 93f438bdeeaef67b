// The Buyers and Visitors dashboards in a real browser against the real
// backend: import generated files, apply three filters through the UI, see
// badges and changed KPIs, save/reset/reload a view, export, click a chart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { binary, startServer, openBrowser, screenshot, api, importFile, loginThroughUI } from './harness.js'
import { drawn, changed, dash } from './workflow-helpers.js'

const ROWS = 20000
const pw = 'correct horse battery'

function generate(dir, kind) {
  const path = join(dir, `${kind}.csv`)
  execFileSync(binary, ['sample', '--kind', kind, '--rows', String(ROWS), '--out', path])
  return path
}

// A dashboard visited before stays in the page (hidden): look inside the one shown.
let kind = 'buyers'
const kpiText = (page, id) => dash(page, kind).getByTestId('kpi-' + id).getByTestId('kpi-value').textContent()
const badges = (page) => dash(page, kind).getByTestId('badge')
const inDash = (page, testid) => dash(page, kind).getByTestId(testid)

/** Runs a change and waits for every chart to show its answer. */
const settled = (page, action) => changed(page, kind, action)

/** Opens a filter's multi-select, searches, ticks the first matching value. */
async function pickFilter(page, column, search) {
  const f = inDash(page, 'filter-' + column)
  await f.locator('button.trigger').click()
  if (search) await f.getByTestId('filter-search').fill(search)
  const opt = f.getByTestId('filter-option').filter({ hasText: search || '' }).first()
  await opt.waitFor()
  const count = await opt.locator('.n').textContent()
  assert.match(count, /\d/, `${column} options show row counts`)
  await settled(page, () => opt.click())
  await page.keyboard.press('Escape')
}

test('buyers and visitors dashboards: filters, badges, views, export, chart click', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ln-dash-'))
  const buyersFile = generate(dir, 'buyers')
  const visitorsFile = generate(dir, 'visitors')
  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    const owner = await api(server.url, 'Register', 'owner@example.com', pw, 'Owner')
    const ws = await api(server.url, 'CreateWorkspace', owner.token, 'Marketing')
    await importFile(server.url, owner.token, ws.id, visitorsFile)
    await importFile(server.url, owner.token, ws.id, buyersFile)

    await loginThroughUI(page, 'owner@example.com', pw)
    await page.getByTestId('nav-buyers').click()

    // Revenue KPIs over the whole file, with definitions and comparisons.
    await drawn(page, 'buyers')
    for (const id of ['total_revenue', 'aov', 'ltv_90', 'refunds', 'net_revenue', 'cac', 'conversion_rate']) {
      assert.ok(await inDash(page, 'kpi-' + id).isVisible(), `KPI ${id} shown`)
    }
    assert.match(await inDash(page, 'kpi-total_revenue').getAttribute('title'), /Revenue/)
    const before = await kpiText(page, 'total_revenue')
    const rowsBefore = await inDash(page, 'rows-matched').textContent()
    assert.match(before, /^\$\d+(\.\d)?[KM]?$/, 'one compact format: ' + before)
    await inDash(page, 'chart-over_time').locator('.main-svg').first().waitFor()
    await inDash(page, 'chart-channels').locator('.main-svg').first().waitFor()

    // Three filters through the UI: channel, gender, state (search in the list).
    await pickFilter(page, 'channel', 'Email')
    await pickFilter(page, 'gender', 'Female')
    await pickFilter(page, 'state', 'Texas')
    assert.equal(await badges(page).count(), 3)
    const filtered = await kpiText(page, 'total_revenue')
    assert.notEqual(filtered, before, 'filtering changes Total Revenue')
    assert.notEqual(await inDash(page, 'rows-matched').textContent(), rowsBefore)

    // Save the view, reset, load it again.
    await inDash(page, 'views-menu').click()
    await inDash(page, 'view-name').fill('Texas women by email')
    await inDash(page, 'view-save').click()
    await inDash(page, 'view-load').filter({ hasText: 'Texas women by email' }).waitFor()
    await inDash(page, 'views-menu').click()
    await settled(page, () => inDash(page, 'reset-filters').click())
    assert.equal(await badges(page).count(), 0)
    assert.equal(await kpiText(page, 'total_revenue'), before, 'reset restores the unfiltered KPIs')
    await page.reload()
    await drawn(page, 'buyers')
    await inDash(page, 'views-menu').click()
    await settled(page, () => inDash(page, 'view-load').filter({ hasText: 'Texas women by email' }).click())
    assert.equal(await badges(page).count(), 3)
    assert.equal(await kpiText(page, 'total_revenue'), filtered, 'the saved view brings the same numbers back')

    // Export the KPI summary (XLSX) and the filtered rows (CSV) as downloads.
    await inDash(page, 'export-menu').click()
    const [xlsx] = await Promise.all([page.waitForEvent('download'), inDash(page, 'export-summary-xlsx').click()])
    assert.match(xlsx.suggestedFilename(), /^buyers-summary.*\.xlsx$/)
    await inDash(page, 'export-done').waitFor()
    await inDash(page, 'export-menu').click()
    const [csv] = await Promise.all([page.waitForEvent('download'), inDash(page, 'export-rows-csv').click()])
    const lines = readFileSync(await csv.path(), 'utf8').trim().split('\n')
    const exported = Number((await inDash(page, 'export-done').textContent()).match(/Exported ([\d,]+)/)[1].replace(/,/g, ''))
    assert.equal(lines.length - 1, exported, 'the CSV has the exported rows plus a header')
    assert.equal(String(exported.toLocaleString('en-US')), (await inDash(page, 'rows-matched').textContent()).trim())
    assert.ok(lines.slice(1).every((l) => l.includes('Email') && l.includes('Female') && l.includes('Texas')), 'only filtered rows exported')
    await screenshot(page, 'buyers')

    // Visitors: KPIs and charts; clicking a channel bar adds it as a filter.
    // (Its channel, gender and state filters carry over to Visitors: reset them there.)
    await page.getByTestId('nav-visitors').click()
    kind = 'visitors'
    await drawn(page, 'visitors')
    await settled(page, () => inDash(page, 'reset-filters').click())
    for (const id of ['unique_visitors', 'repeat_rate', 'gender']) assert.ok(await inDash(page, 'kpi-' + id).isVisible())
    for (const id of ['over_time', 'channels', 'gender', 'age', 'income', 'states', 'state_map']) {
      await inDash(page, 'chart-' + id).locator('.main-svg').first().waitFor()
    }
    const visitsBefore = await kpiText(page, 'total_visitors')
    await settled(page, () => inDash(page, 'chart-channels').locator('.bars .point path').last().click({ force: true }))
    assert.equal(await badges(page).count(), 1, 'a chart click adds a filter badge')
    assert.notEqual(await kpiText(page, 'total_visitors'), visitsBefore)
    // A date preset sets the range; KPIs then show the change vs the previous period.
    await settled(page, () => inDash(page, 'date-preset').selectOption('365'))
    assert.equal(await badges(page).count(), 2, 'date range badge + channel badge')
    assert.match(await inDash(page, 'kpi-total_visitors').getByTestId('kpi-change').textContent(), /[+−]?\d+\.\d%/)
    assert.match(await inDash(page, 'date-from').inputValue(), /^\d{4}-\d{2}-\d{2}$/)

    // Charts download as PNG.
    const [png] = await Promise.all([page.waitForEvent('download'), inDash(page, 'chart-over_time').getByTestId('chart-png').click()])
    assert.match(png.suggestedFilename(), /^over_time\.png$/)
    await screenshot(page, 'visitors')

    // Filter changes were audited once per settled state, not per click or
    // recompute: changes made in quick succession collapse into one entry.
    const audit = await api(server.url, 'ListAudit', owner.token, ws.id, { action: 'filter.applied' })
    assert.ok(audit.length >= 1 && audit.length <= 8, `filter.applied entries: ${audit.length}`)
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
