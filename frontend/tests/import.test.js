// The Data page against the real backend: import a generated buyers file
// through the file input, watch progress, check the preview, profile and
// suggested mapping, change and save the mapping, then import a broken file
// and see its specific error while the first dataset stays.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { binary, startServer, openBrowser, registerThroughUI, screenshot, api, importFile, loginThroughUI, addMember } from './harness.js'

const ROWS = 20000

/** Generates a buyers CSV with the app's own sample generator. */
function sampleFile(dir) {
  const path = join(dir, 'buyers.csv')
  execFileSync(binary, ['sample', '--kind', 'buyers', '--rows', String(ROWS), '--out', path])
  return path
}

/** Drops a file on the page the way a browser does (HTML5 drag and drop). */
async function dropFile(page, name, content) {
  await page.evaluate(([name, content]) => {
    const dt = new DataTransfer()
    dt.items.add(new File([content], name, { type: 'text/csv' }))
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
  }, [name, content])
}

const header = (path) => readFileSync(path, 'utf8').split('\n', 1)[0].split(',')
const digits = (s) => Number(s.replace(/[^\d]/g, ''))

test('import a file, see preview, profile and mapping, save a mapping, then a broken file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ln-import-'))
  const file = sampleFile(dir)
  const columns = header(file)
  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    await registerThroughUI(page)
    await page.getByTestId('no-datasets').waitFor()
    assert.ok(await page.getByTestId('load-sample').isVisible(), 'an empty workspace offers sample data')

    await page.getByTestId('file-input').setInputFiles(file)
    const summary = page.getByTestId('dataset-summary')
    await summary.waitFor()
    assert.equal(await page.getByTestId('dataset-name').textContent(), 'buyers.csv')
    const ticks = Number(await page.getByTestId('data-page').getAttribute('data-progress-events'))
    assert.ok(ticks >= 1, `at least one progress event was rendered (got ${ticks})`)

    // The summary's rows are what the backend imported; the list agrees.
    const rows = digits(await page.getByTestId('summary-rows').textContent())
    assert.ok(rows > 0 && rows <= ROWS, `imported ${rows} of ${ROWS} generated rows`)
    assert.equal(await page.getByTestId('dataset-row').count(), 1)
    assert.match(await page.getByTestId('dataset-row').textContent(), new RegExp(rows.toLocaleString('en-US')))

    // Preview: first 100 rows, the file's headers.
    const preview = page.getByTestId('preview-table')
    assert.equal(await preview.locator('tbody tr').count(), 100)
    const heads = await preview.locator('thead .colname').allTextContents()
    assert.deepEqual(heads, columns)
    assert.ok(heads.includes('order_date'))
    assert.match(await page.getByTestId('preview-count').textContent(), new RegExp(`of ${rows.toLocaleString('en-US')} rows`))

    // Profile: one card per column with a type badge and a null share.
    assert.equal(await page.getByTestId('profile-column').count(), columns.length)
    const dateCard = page.locator('[data-testid=profile-column][data-column=order_date]')
    assert.equal(await dateCard.getByTestId('type-badge').textContent(), 'date')

    // Mapping editor: suggestions are pre-filled.
    const editor = page.getByTestId('mapping-editor')
    await editor.getByTestId('mapping-row').first().waitFor()
    assert.equal(await page.getByTestId('map-revenue').inputValue(), 'revenue')
    assert.equal(await page.getByTestId('map-date').inputValue(), 'order_date')
    assert.equal(await page.getByTestId('map-email').inputValue(), 'customer_email')
    assert.ok((await editor.getByTestId('suggested').count()) >= 5, 'several fields are marked suggested')
    assert.equal(await page.getByTestId('kind-select').inputValue(), 'buyers')

    // Change one mapping and save it.
    assert.equal(await page.getByTestId('map-cost').inputValue(), 'cost')
    await page.getByTestId('map-cost').selectOption('')
    await page.getByTestId('save-mapping').click()
    await page.getByTestId('mapping-message').waitFor()
    await page.getByTestId('mapping-saved-badge').waitFor()
    await screenshot(page, 'import')

    // The saved mapping is what the dataset has after a reload.
    await page.reload()
    await page.getByTestId('mapping-saved-badge').waitFor()
    assert.equal(await page.getByTestId('map-cost').inputValue(), '')
    assert.equal(await page.getByTestId('map-revenue').inputValue(), 'revenue')

    // A broken file dropped on the page: the error names the file and the
    // line; the dataset stays.
    await dropFile(page, 'broken.csv', 'email,gender,state\na@example.com,F,Texas\nb@example.com,M,Ohio,extra,fields\n')
    const error = page.getByTestId('import-error')
    await error.waitFor()
    const message = await error.textContent()
    assert.match(message, /broken\.csv/)
    assert.match(message, /line 3/)
    assert.equal(await page.getByTestId('dataset-row').count(), 1)
    assert.equal(await page.getByTestId('dataset-name').textContent(), 'buyers.csv')
    await screenshot(page, 'import-error')
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a viewer sees datasets and previews but no import, delete or save controls', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ln-import-'))
  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    const pw = 'correct horse battery'
    const owner = await api(server.url, 'Register', 'owner@example.com', pw, 'Owner')
    const ws = await api(server.url, 'CreateWorkspace', owner.token, 'Shared')
    const file = join(dir, 'leads.csv')
    writeFileSync(file, 'email,gender,state\na@example.com,F,Texas\nb@example.com,M,Ohio\nc@example.com,F,Utah\n')
    await importFile(server.url, owner.token, ws.id, file)
    // Without SMTP the Owner hands over the invitation code.
    await addMember(server.url, owner.token, ws.id, 'viewer@example.com', pw, 'viewer', 'Vi Ewer')

    await loginThroughUI(page, 'viewer@example.com', pw)
    await page.getByTestId('dataset-summary').waitFor()
    assert.equal(await page.getByTestId('dataset-row').count(), 1)
    assert.equal(await page.getByTestId('preview-table').locator('tbody tr').count(), 3)
    await page.getByTestId('mapping-row').first().waitFor()
    for (const id of ['file-drop', 'open-file', 'delete-dataset', 'save-mapping', 'load-sample', 'apply-suggestions']) {
      assert.equal(await page.getByTestId(id).count(), 0, `a viewer must not see ${id}`)
    }
    assert.ok(await page.getByTestId('kind-select').isDisabled())
    assert.ok(await page.getByTestId('map-email').isDisabled())
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a running import shows live progress and can be cancelled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ln-import-'))
  const file = join(dir, 'visitors.csv')
  execFileSync(binary, ['sample', '--kind', 'visitors', '--rows', '400000', '--out', file])
  const server = await startServer()
  const { browser, page } = await openBrowser(server.url)
  try {
    await registerThroughUI(page)
    await page.getByTestId('no-datasets').waitFor()
    await page.getByTestId('file-input').setInputFiles(file)
    const progress = page.getByTestId('import-progress')
    await progress.waitFor()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=import-progress]')?.dataset.ticks) >= 1)
    assert.match(await progress.textContent(), /Importing visitors\.csv/)
    await page.getByTestId('cancel-import').click()
    const error = page.getByTestId('import-error')
    await error.waitFor()
    assert.match(await error.textContent(), /visitors\.csv was cancelled/)
    assert.equal(await progress.count(), 0)
    await page.getByTestId('no-datasets').waitFor()
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
