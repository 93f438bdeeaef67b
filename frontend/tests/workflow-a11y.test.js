// Layout, themes and keyboard in a real browser against the real backend:
// a filter chosen with the keyboard alone (skip link, arrow keys, Enter,
// Escape); light and dark themes (following the OS, and the toggle) with
// WCAG AA text contrast measured on the page; at 1024×700 the sidebar
// folds and the first chart is in view; charts download as PNG (on white,
// in either theme) and as CSV data that adds up to the rows shown.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, openBrowser, screenshot, api, importFile } from './harness.js'
import { pw, generate, openDashboard, drawn, changed, pickFilter, dash, badgeTexts, rowsMatched, lowContrast } from './workflow-helpers.js'

let dir, server

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ln-a11y-'))
  server = await startServer()
  const owner = await api(server.url, 'Register', 'owner@example.com', pw, 'Olivia Owner')
  const ws = await api(server.url, 'CreateWorkspace', owner.token, 'Marketing')
  await importFile(server.url, owner.token, ws.id, generate(dir, 'visitors', 4000))
  await importFile(server.url, owner.token, ws.id, generate(dir, 'buyers', 4000))
})

after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const openBuyers = (page) => openDashboard(page, 'owner@example.com', 'Marketing', 'buyers')

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement
  return { testid: el?.dataset?.testid || '', label: el?.getAttribute('aria-label') || '', id: el?.id || '', outline: getComputedStyle(el).outlineStyle }
})

test('a filter is chosen with the keyboard alone: skip link, arrows, Enter, Escape', async () => {
  const { browser, page } = await openBrowser(server.url)
  try {
    await openBuyers(page)
    // A keyboard user arriving at the dashboard's address: focus starts at the top.
    await page.reload()
    await drawn(page, 'buyers')
    await page.keyboard.press('Tab')
    assert.equal((await focused(page)).testid, 'skip-link', 'the first Tab reaches the skip link')
    assert.ok((await page.getByTestId('skip-link').boundingBox()).y >= 0, 'the focused skip link is on screen')
    await page.keyboard.press('Enter')
    assert.equal((await focused(page)).id, 'filters')
    let tabs = 0
    while (!(await focused(page)).label.startsWith('Channel') && tabs < 12) {
      await page.keyboard.press('Tab')
      tabs++
    }
    const trigger = await focused(page)
    assert.ok(trigger.label.startsWith('Channel'), `reached the channel filter (${tabs} Tabs)`)
    assert.ok(tabs <= 6, `the channel filter is ${tabs} Tabs after the skip link`)
    assert.notEqual(trigger.outline, 'none', 'keyboard focus is visible')

    await page.keyboard.press('Enter')
    assert.equal((await focused(page)).testid, 'filter-search', 'the list opens with its search box focused')
    const list = dash(page, 'buyers').getByTestId('filter-channel')
    await list.getByTestId('filter-option').nth(2).waitFor()
    const search = list.getByTestId('filter-search')
    const activeOption = () => search.getAttribute('aria-activedescendant')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowUp')
    assert.match(await activeOption(), /-0$/, 'arrow keys move through the values')
    await page.keyboard.type('Email')
    await list.getByTestId('filter-option').filter({ hasText: 'Email' }).first().waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=dashboard-buyers] [data-testid=filter-channel] [data-testid=filter-option]').length === 1)
    await page.keyboard.press('ArrowDown')
    await changed(page, 'buyers', () => page.keyboard.press('Enter'))
    assert.deepEqual(await badgeTexts(page, 'buyers'), ['Channel Email'])
    assert.equal(await list.getByRole('option', { selected: true }).count(), 1)
    await page.keyboard.press('Escape')
    assert.equal(await list.getByRole('listbox').count(), 0, 'Escape closes the list')
    assert.match((await focused(page)).label, /^Channel \(1 selected\)/, 'and gives the focus back to its button')
  } finally {
    await browser.close()
  }
})

test('light and dark themes (OS setting and toggle) meet AA contrast; at 1024×700 the first chart is in view', async () => {
  const { browser, page } = await openBrowser(server.url)
  try {
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.emulateMedia({ colorScheme: 'dark' })
    await openBuyers(page)
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'the theme follows the OS')
    assert.equal(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded'), 'false', 'the sidebar is folded at 1024 px')
    const plot = await dash(page, 'buyers').getByTestId('chart-over_time').locator('.main-svg').first().boundingBox()
    assert.ok(plot && plot.y + plot.height <= 700, `the first chart is in view at 1024×700 (${JSON.stringify(plot)})`)
    await screenshot(page, 'workflow-dark-1024')
    assert.deepEqual(await lowContrast(page), [], 'dark theme contrast')

    // The toggle: system -> light -> dark -> system, remembered across reloads.
    const toggle = page.getByTestId('theme-toggle')
    await toggle.click()
    assert.equal(await toggle.getAttribute('data-mode'), 'light')
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light', 'the toggle overrides the OS')
    await page.reload()
    await drawn(page, 'buyers')
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light', 'the choice is remembered')
    assert.deepEqual(await lowContrast(page), [], 'light theme contrast')
    await screenshot(page, 'workflow-light-1024')
    // Unfolded, the sidebar takes the space back; folded again it stays so.
    await page.getByTestId('sidebar-toggle').click()
    assert.equal(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded'), 'true')
    await page.getByTestId('sidebar-toggle').click()
    await toggle.click()
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark')
  } finally {
    await browser.close()
  }
})

/** The colour of a PNG's top-left pixel (enough to tell the background). */
function firstPixel(png) {
  assert.equal(png.subarray(1, 4).toString(), 'PNG')
  const chunks = []
  let colorType = 0
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at)
    const type = png.subarray(at + 4, at + 8).toString()
    if (type === 'IHDR') colorType = png[at + 8 + 9]
    if (type === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + len))
    at += 12 + len
  }
  // The first pixel of the first row is stored as is under every filter type.
  const raw = inflateSync(Buffer.concat(chunks))
  return { r: raw[1], g: raw[2], b: raw[3], alpha: colorType === 6 ? raw[4] : 255 }
}

test('charts download as PNG on white (also in the dark theme) and as CSV data', async () => {
  const { browser, page } = await openBrowser(server.url)
  try {
    await page.emulateMedia({ colorScheme: 'dark' })
    await openBuyers(page)
    await pickFilter(page, 'buyers', 'channel', 'Email')
    const chart = (id) => dash(page, 'buyers').getByTestId('chart-' + id)
    const [png] = await Promise.all([page.waitForEvent('download'), chart('channels').getByTestId('chart-png').click()])
    assert.equal(png.suggestedFilename(), 'channels.png')
    const image = readFileSync(await png.path())
    assert.deepEqual(firstPixel(image), { r: 255, g: 255, b: 255, alpha: 255 }, 'an opaque white background')
    assert.ok(image.length > 10000, `a real picture (${image.length} bytes)`)

    const [csv] = await Promise.all([page.waitForEvent('download'), chart('gender').getByTestId('chart-csv').click()])
    assert.equal(csv.suggestedFilename(), 'gender.csv')
    const lines = readFileSync(await csv.path(), 'utf8').trim().split('\r\n')
    assert.equal(lines[0], 'Gender,Rows')
    const total = lines.slice(1).reduce((sum, l) => sum + Number(l.split(',').pop()), 0)
    assert.equal(total, await rowsMatched(page, 'buyers'), 'the gender rows add up to the rows matched')
  } finally {
    await browser.close()
  }
})
