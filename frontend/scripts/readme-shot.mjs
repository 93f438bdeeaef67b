// Not a test: renders docs/screenshot.png for the README (run by hand:
// make screenshot). Loads the sample data and opens
// the Buyers dashboard.
import { join } from 'node:path'
import { startServer, openBrowser, registerThroughUI, api, repoRoot } from '../tests/harness.js'

const server = await startServer()
const { browser, page } = await openBrowser(server.url)
try {
  await registerThroughUI(page, 'maria@example.com', 'correct horse battery', 'Maria Lopez')
  const token = await page.evaluate(async () => (await (await fetch('/api/RestoreSession', { method: 'POST', body: '[]' })).json()).result.token)
  const [ws] = await api(server.url, 'ListWorkspaces', token)
  await api(server.url, 'LoadSampleData', token, ws.id)
  await page.goto(server.url + '/#/buyers')
  await page.reload()
  await page.getByText('Total Revenue', { exact: false }).first().waitFor()
  await page.waitForTimeout(1500)
  await page.screenshot({ path: join(repoRoot, 'docs', 'screenshot.png') })
} finally {
  await browser.close()
  await server.stop()
}
