// Helpers of the analyst-workflow browser tests (workflow-*.test.js):
// generated files, a workspace with a second member, and waits for a
// dashboard to have drawn every chart.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { binary, api, importFile, loginThroughUI } from './harness.js'

export const pw = 'correct horse battery'

/** Writes a generated sample file; rename maps header names to new ones (the same field under another column name). */
export function generate(dir, kind, rows, { seed = 1, name = kind, rename = {} } = {}) {
  const path = join(dir, `${name}.csv`)
  execFileSync(binary, ['sample', '--kind', kind, '--rows', String(rows), '--seed', String(seed), '--out', path])
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
  // Without mail settings the invitation is created but not mailed: the
  // analyst finds it under "My invitations" all the same.
  await fetch(`${url}/api/InviteMember`, { method: 'POST', body: JSON.stringify([owner.token, ws.id, 'analyst@example.com', 'analyst']) })
  const [inv] = await api(url, 'MyInvitations', analyst.token)
  await api(url, 'AcceptInvitation', analyst.token, inv.id)
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
