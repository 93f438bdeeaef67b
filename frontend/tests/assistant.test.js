// The AI assistant in a real browser against the real backend (offline
// planner, no Gemini key): import a generated buyers file, ask three
// questions in the chat, see each answer's text, plan and chart, ask under
// a saved view, reload and find the chat history again.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:http'
import { binary, startServer, openBrowser, screenshot, api, importFile, loginThroughUI } from './harness.js'

const pw = 'correct horse battery'

async function askInUI(page, question, n) {
  await page.getByTestId('question').fill(question)
  await page.getByTestId('ask').click()
  const answer = page.getByTestId('answer').nth(n)
  await answer.waitFor()
  return answer
}

test('assistant: ask three questions, see plan and chart, history survives a reload', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ln-ai-'))
  const file = join(dir, 'buyers.csv')
  execFileSync(binary, ['sample', '--kind', 'buyers', '--rows', '3000', '--out', file])
  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    const owner = await api(server.url, 'Register', 'owner@example.com', pw, 'Owner')
    const ws = await api(server.url, 'CreateWorkspace', owner.token, 'Marketing')
    await importFile(server.url, owner.token, ws.id, file)
    await api(server.url, 'SaveView', owner.token, ws.id, { name: 'Texas buyers', dashboard: 'buyers', filters: { dateFrom: '', dateTo: '', values: { state: ['Texas'] } }, granularity: '' })

    await loginThroughUI(page, 'owner@example.com', pw)
    await page.getByTestId('workspace-switcher').selectOption({ label: 'Marketing (owner)' })
    await page.getByTestId('nav-assistant').click()
    await page.getByTestId('assistant-page').waitFor()
    assert.match(await page.getByTestId('assistant-mode').textContent(), /Offline/)

    const a1 = await askInUI(page, 'Top 5 states by revenue', 0)
    assert.match(await a1.getByTestId('answer-plan').textContent(), /Revenue grouped by state, top 5/)
    assert.equal(await a1.getByTestId('answer-table').locator('tbody tr').count(), 5)
    await a1.getByTestId('answer-chart').locator('.main-svg').first().waitFor()
    assert.equal(await a1.getByTestId('answer-chart').getAttribute('data-chart-type'), 'bar')

    const a2 = await askInUI(page, 'Gender split of buyers in Texas', 1)
    assert.match(await a2.getByTestId('answer-plan').textContent(), /Distinct people grouped by gender, state = Texas/)
    await a2.getByTestId('answer-chart').locator('.main-svg').first().waitFor()
    assert.equal(await a2.getByTestId('answer-chart').getAttribute('data-chart-type'), 'pie')

    const a3 = await askInUI(page, 'Quarterly revenue', 2)
    assert.match(await a3.getByTestId('answer-plan').textContent(), /Revenue grouped by quarter of order_date/)
    assert.equal(await a3.getByTestId('answer-chart').getAttribute('data-chart-type'), 'line')
    await a3.getByTestId('answer-chart').locator('.main-svg').first().waitFor()
    assert.match(await a3.getByTestId('answer-text').textContent(), /Revenue by quarter/)

    // A saved view's filters apply to the next question and are named in its plan.
    await page.getByTestId('assistant-view').selectOption({ label: 'View: Texas buyers' })
    await page.getByTestId('filters-note').waitFor()
    const a4 = await askInUI(page, 'Revenue by gender', 3)
    assert.match(await a4.getByTestId('answer-plan').textContent(), /Revenue grouped by gender, with the filters state = Texas/)

    // The server computed the same top state as the table shows.
    const direct = await api(server.url, 'Ask', owner.token, ws.id, 0, 'Which state has the highest revenue?', { dateFrom: '', dateTo: '', values: {} })
    assert.equal(await a1.getByTestId('answer-table').locator('tbody tr').first().locator('td').first().textContent(), direct.table.rows[0][0])

    await screenshot(page, 'assistant')

    await page.reload()
    await page.getByTestId('workspace-switcher').waitFor()
    await page.getByTestId('workspace-switcher').selectOption({ label: 'Marketing (owner)' })
    await page.getByTestId('nav-assistant').click()
    await page.getByTestId('answer').nth(4).waitFor() // four from the UI + one through the API
    assert.equal(await page.getByTestId('msg-user').count(), 5)
    assert.match(await page.getByTestId('msg-user').first().textContent(), /Top 5 states by revenue/)
    await page.getByTestId('answer').first().getByTestId('answer-chart').locator('.main-svg').first().waitFor()

    page.once('dialog', (d) => d.accept())
    await page.getByTestId('clear-chat').click()
    await page.getByTestId('msg-user').first().waitFor({ state: 'detached' })
    assert.equal((await api(server.url, 'ChatHistory', owner.token, ws.id)).length, 0)
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

/** A Gemini endpoint on 127.0.0.1 that is always over quota. */
function quotaExceededGemini() {
  const srv = createServer((req, res) => {
    req.resume()
    res.writeHead(429, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }))
  })
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)))
}

test('assistant: Gemini over quota falls back to the offline planner with a notice', async () => {
  const gemini = await quotaExceededGemini()
  const dir = mkdtempSync(join(tmpdir(), 'ln-ai-'))
  const file = join(dir, 'buyers.csv')
  execFileSync(binary, ['sample', '--kind', 'buyers', '--rows', '1000', '--out', file])
  const server = await startServer([], { LN_GEMINI_ENDPOINT: `http://127.0.0.1:${gemini.address().port}` })
  const { browser, page } = await openBrowser(server.url)
  try {
    const owner = await api(server.url, 'Register', 'owner@example.com', pw, 'Owner')
    const ws = await api(server.url, 'CreateWorkspace', owner.token, 'Marketing')
    await importFile(server.url, owner.token, ws.id, file)
    await loginThroughUI(page, 'owner@example.com', pw)
    await page.getByTestId('workspace-switcher').selectOption({ label: 'Marketing (owner)' })
    await page.getByTestId('nav-assistant').click()

    await page.getByTestId('toggle-gemini').click()
    await page.getByTestId('gemini-key-input').fill('AIzaSyBrowserTest-0123456789')
    await page.getByRole('button', { name: 'Save key' }).click()
    await page.getByTestId('assistant-mode').filter({ hasText: 'Gemini · gemini-2.5-flash' }).waitFor()

    const a = await askInUI(page, 'Revenue by channel', 0)
    assert.match(await a.getByTestId('answer-notice').textContent(), /quota exceeded \(429\); answered offline/)
    assert.match(await a.getByTestId('answer-plan').textContent(), /Offline\s+Revenue grouped by channel/)
    await a.getByTestId('answer-chart').locator('.main-svg').first().waitFor()
    await screenshot(page, 'assistant-fallback')
    assert.ok(!server.log().includes('AIzaSyBrowserTest'), 'the key is not in the server log')
  } finally {
    await browser.close()
    await server.stop()
    gemini.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
