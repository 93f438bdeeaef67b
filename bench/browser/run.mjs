// The browser half of bench/browser (started by main.go): logs in through
// the page, then times in the page itself (performance.now(), so
// playwright's round trips do not count) LN_RUNS navigations to the Buyers
// dashboard and LN_RUNS clicks on a channel filter, each until every chart
// shows the new data (the charts' data-drawn equals the dashboard's
// data-version). Prints one JSON line:
// { browser, navigation: { total: [ms], answer: [ms] }, returnVisit: {...}, filter: {...} }
// where answer is when the dashboard's data arrived (the rest is drawing).
import { createRequire } from 'node:module'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const { chromium } = createRequire(join(root, 'frontend', 'package.json'))('playwright-core')
const url = process.env.LN_URL
const runs = Number(process.env.LN_RUNS || 20)

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'],
})
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.setDefaultTimeout(120000)
  await page.goto(url + '/#/import')
  await page.fill('input[name=email]', process.env.LN_EMAIL)
  await page.fill('input[name=password]', process.env.LN_PASSWORD)
  await page.getByRole('button', { name: /^log in$/i }).click()
  await page.getByTestId('workspace-switcher').waitFor()
  await page.getByTestId('workspace-switcher').selectOption({ label: 'Bench (owner)' })

  // Resolves (in the page) once the dashboard has a newer answer than
  // `after` and every chart has drawn it; returns the ms since `t0`.
  const drawnSince = `(after, t0) => new Promise((resolve) => {
    const check = () => {
      const dash = document.querySelector('[data-testid=dashboard-buyers]')
      const charts = [...document.querySelectorAll('[data-chart]')]
      const v = dash?.dataset.version
      if (dash && dash.dataset.loading === 'false' && Number(v) > after && charts.length && charts.every((c) => c.dataset.drawn === v)) {
        // When the last dashboard answer arrived: the rest is drawing.
        const calls = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/BuyersDashboard') && e.startTime >= t0)
        resolve({ total: performance.now() - t0, answer: calls.length ? calls[calls.length - 1].responseEnd - t0 : null })
      } else requestAnimationFrame(check)
    }
    check()
  })`

  const version = () => page.evaluate(() => Number(document.querySelector('[data-testid=dashboard-buyers]')?.dataset.version || 0))
  async function toData() {
    await page.evaluate(() => document.querySelector('[data-testid=nav-import]').click())
    await page.getByTestId('data-page').waitFor()
    await page.waitForTimeout(300)
  }
  const clickBuyers = (after) => page.evaluate(`(${drawnSince})(${after}, (document.querySelector('[data-testid=nav-buyers]').click(), performance.now()))`)

  // First visit in a session: a fresh page on the Data page (Plotly loaded
  // at app start), then a click on Buyers.
  async function firstVisit() {
    await page.goto(url + '/#/import')
    await page.reload()
    await page.getByTestId('data-page').waitFor()
    await page.waitForSelector('html[data-charts=ready]')
    await page.waitForTimeout(300)
    return clickBuyers(0)
  }

  // Return visit: the dashboard was kept; its charts show at once and the
  // refreshed data is drawn when it arrives (timed until then).
  async function returnVisit() {
    const v = await version()
    await toData()
    return clickBuyers(v)
  }

  // Warm-up (not timed): the first dashboard of a dataset may build its indexes.
  await firstVisit()
  const nav = []
  for (let i = 0; i < runs; i++) nav.push(await firstVisit())
  const back = []
  for (let i = 0; i < runs; i++) back.push(await returnVisit())

  // Filter clicks: tick, then untick, channels in the open channel list.
  await page.getByTestId('filter-channel').locator('button.trigger').click()
  await page.getByTestId('filter-channel').getByTestId('filter-option').nth(2).waitFor()
  const filter = []
  for (let i = 0; i < runs; i++) {
    await page.waitForTimeout(300)
    const n = Math.floor(i / 2) % 3
    filter.push(await page.evaluate(`(() => {
      const v = Number(document.querySelector('[data-testid=dashboard-buyers]').dataset.version)
      const opt = document.querySelectorAll('[data-testid=filter-channel] [data-testid=filter-option]')[${n}]
      return (${drawnSince})(v, (opt.click(), performance.now()))
    })()`))
  }
  const split = (list) => ({ total: list.map((r) => r.total), answer: list.map((r) => r.answer ?? r.total) })
  console.log(JSON.stringify({ browser: browser.version(), navigation: split(nav), returnVisit: split(back), filter: split(filter) }))
} finally {
  await browser.close()
}
