// Not a test: renders docs/screenshot.png for the README (run by hand:
// make screenshot). Registers, loads the sample data from the Data page
// (as a first-run user would) and opens the Buyers dashboard.
import { join } from 'node:path'
import { startServer, openBrowser, registerThroughUI, repoRoot } from '../tests/harness.js'
import { drawn } from '../tests/workflow-helpers.js'

const server = await startServer()
const { browser, page } = await openBrowser(server.url)
try {
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.emulateMedia({ colorScheme: 'light' })
  await registerThroughUI(page, 'maria@example.com', 'correct horse battery', 'Maria Lopez')
  await page.getByTestId('nav-import').click()
  page.setDefaultTimeout(180000)
  await page.getByTestId('load-sample').click()
  await page.getByTestId('sample-progress').waitFor()
  await page.getByTestId('sample-progress').waitFor({ state: 'detached' })
  await page.getByTestId('nav-buyers').click()
  await drawn(page, 'buyers')
  await page.mouse.move(0, 899)
  await page.screenshot({ path: join(repoRoot, 'docs', 'screenshot.png') })
} finally {
  await browser.close()
  await server.stop()
}
