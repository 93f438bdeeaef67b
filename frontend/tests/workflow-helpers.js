// Helpers of the analyst-workflow browser tests (workflow-*.test.js):
// generated files, a workspace with a second member, and waits for a
// dashboard to have drawn every chart.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { binary, api, addMember, importFile, loginThroughUI } from './harness.js'

export const pw = 'correct horse battery'

/**
 * Writes a generated sample file; rename maps header names to new ones
 * (the same field under another column name); end is its last day.
 */
export function generate(dir, kind, rows, { seed = 1, name = kind, rename = {}, end = '' } = {}) {
  const path = join(dir, `${name}.csv`)
  execFileSync(binary, ['sample', '--kind', kind, '--rows', String(rows), '--seed', String(seed), '--out', path, ...(end ? ['--end', end] : [])])
  if (Object.keys(rename).length) {
    const text = readFileSync(path, 'utf8')
    const nl = text.indexOf('\n')
    const header = text.slice(0, nl).split(',').map((h) => rename[h] || h).join(',')
    writeFileSync(path, header + text.slice(nl))
  }
  return path
}

/**
 * An owner with a "Marketing" workspace holding the given files, and an
 * analyst who accepted an invitation to it: { owner, analyst, ws, datasets }.
 */
export async function teamWorkspace(url, files) {
  const owner = await api(url, 'Register', 'owner@example.com', pw, 'Olivia Owner')
  const analyst = await api(url, 'Register', 'analyst@example.com', pw, 'Andy Analyst')
  const ws = await api(url, 'CreateWorkspace', owner.token, 'Marketing')
  const datasets = []
  for (const f of files) datasets.push((await importFile(url, owner.token, ws.id, f)).dataset)
  // Without mail settings the Owner hands the invitation code over.
  await addMember(url, owner.token, ws.id, 'analyst@example.com', pw, 'analyst', 'Andy Analyst', analyst)
  return { owner, analyst, ws, datasets }
}

/** Waits until the dashboard shows an answer newer than `after` and every chart has drawn it; returns its version. */
export async function drawn(page, kind, after = 0) {
  const handle = await page.waitForFunction(([k, a]) => {
    const dash = document.querySelector(`[data-testid=dashboard-${k}]`)
    const charts = [...(dash?.querySelectorAll('[data-chart]') || [])]
    const v = dash?.dataset.version
    return dash && dash.dataset.loading === 'false' && Number(v) > a && charts.length > 0 && charts.every((c) => c.dataset.drawn === v) && Number(v)
  }, [kind, after], { timeout: 30000 })
  return handle.jsonValue()
}

export const version = (page, kind) => page.evaluate((k) => Number(document.querySelector(`[data-testid=dashboard-${k}]`)?.dataset.version || 0), kind)

/** Runs action (a change of the view) and waits for the charts to show its answer. */
export async function changed(page, kind, action) {
  const v = await version(page, kind)
  await action()
  return drawn(page, kind, v)
}

/** Opens a filter's list, searches, ticks the first value containing `search`, closes the list. */
export async function pickFilter(page, kind, column, search) {
  const f = dash(page, kind).getByTestId('filter-' + column)
  await f.locator('button.trigger').click()
  await f.getByTestId('filter-search').fill(search)
  const opt = f.getByTestId('filter-option').filter({ hasText: search }).first()
  await opt.waitFor()
  await changed(page, kind, () => opt.click())
  await page.keyboard.press('Escape')
}

// Locators inside one dashboard (a dashboard visited before stays in the page, hidden).
export const dash = (page, kind) => page.getByTestId('dashboard-' + kind)
export const kpi = (page, kind, id) => dash(page, kind).getByTestId('kpi-' + id).getByTestId('kpi-value').textContent()
export const badgeTexts = async (page, kind) => (await dash(page, kind).getByTestId('badge').allTextContents()).map((t) => t.replace(/×\s*$/, '').replace(/\s+/g, ' ').trim())
export const rowsMatched = async (page, kind) => Number((await dash(page, kind).getByTestId('rows-matched').textContent()).replace(/,/g, ''))
export const hashParams = (page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] || '')

/** What a view shows, to compare two views: badges, rows, a KPI, the granularity and the date preset. */
export async function snapshot(page, kind, kpiId) {
  const d = dash(page, kind)
  return {
    badges: (await badgeTexts(page, kind)).sort(),
    rows: await rowsMatched(page, kind),
    kpi: await kpi(page, kind, kpiId),
    granularity: await d.getByTestId('granularity').locator('[aria-checked=true]').textContent(),
    preset: await d.getByTestId('date-preset').evaluate((el) => el.options[el.selectedIndex].text),
  }
}


/** Logs in as email, opens the workspace whose switcher entry starts with `workspace`, then a dashboard, and waits for its charts. */
export async function openDashboard(page, email, workspace, kind) {
  await loginAs(page, email)
  const switcher = page.getByTestId('workspace-switcher')
  const value = await switcher.evaluate((el, name) => [...el.options].find((o) => o.text.startsWith(name))?.value, workspace)
  await switcher.selectOption(value)
  await page.getByTestId('nav-' + kind).click()
  return drawn(page, kind)
}

/**
 * Logs in as email through the login form. A page that opens already
 * logged in (a remembered session) logs out first.
 */
export async function loginAs(page, email) {
  const form = page.locator('input[name=email]')
  const shell = page.getByTestId('workspace-switcher')
  await form.or(shell).first().waitFor()
  if (await shell.count()) {
    if ((await page.locator('.me').textContent().catch(() => '')) === email) return
    await page.getByTestId('logout').click()
    await form.waitFor()
  }
  await loginThroughUI(page, email, pw)
}

/**
 * Text whose contrast with its background is under WCAG AA (4.5:1; 3:1
 * for large text), for every visible element holding text (chart SVG
 * and disabled controls aside; backgrounds composited up the tree).
 */
export const lowContrast = (page) => page.evaluate(() => {
  const rgba = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || '')
    if (!m) return null
    const [r, g, b, a = 1] = m[1].split(/[,\s/]+/).filter(Boolean).map(Number)
    return { r, g, b, a }
  }
  const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 })
  const lum = ({ r, g, b }) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
  }
  const background = (el) => {
    const layers = []
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e)
      if (s.backgroundImage !== 'none') return null // gradients: not judged here
      const c = rgba(s.backgroundColor)
      if (c && c.a > 0) {
        layers.push(c)
        if (c.a >= 1) break
      }
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), { r: 255, g: 255, b: 255, a: 1 })
  }
  const bad = []
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg, [inert], :disabled, option')) continue
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim()
    if (!text) continue
    const s = getComputedStyle(el)
    const box = el.getBoundingClientRect()
    if (s.visibility !== 'visible' || box.width < 2 || box.height < 2 || !el.checkVisibility({ opacityProperty: true })) continue
    let opacity = 1
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity)
    const bg = background(el)
    const fg = rgba(s.color)
    if (!bg || !fg || opacity < 1) continue
    const c = over(fg, bg)
    const [hi, lo] = [lum(c), lum(bg)].sort((a, b) => b - a)
    const ratio = (hi + 0.05) / (lo + 0.05)
    const size = parseFloat(s.fontSize)
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700)
    if (ratio < (large ? 3 : 4.5)) bad.push(`${text.slice(0, 40)} (${ratio.toFixed(2)}: ${s.color} on rgb(${Math.round(bg.r)},${Math.round(bg.g)},${Math.round(bg.b)}))`)
  }
  return bad
})
