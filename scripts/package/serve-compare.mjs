// Asks two running `lead-navigator serve` instances (e.g. the Linux build
// and the Windows build under Wine) the same questions on the same file,
// and fails unless the answers agree:
//   node scripts/package/serve-compare.mjs URL_A URL_B FILE
// Each server gets a new account (Register), a workspace, the file
// (upload + ImportFile) and is asked for the Buyers dashboard
// (BuyersDashboard, no filters). Prints the KPI values of both.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { deepStrictEqual } from 'node:assert/strict'

const [urlA, urlB, file] = process.argv.slice(2)
if (!file) {
  console.error('usage: node serve-compare.mjs URL_A URL_B FILE')
  process.exit(2)
}

async function call(url, method, ...args) {
  const res = await fetch(`${url}/api/${method}`, { method: 'POST', body: JSON.stringify(args) })
  const body = await res.json()
  if (body.error) throw new Error(`${url} ${method}: ${body.error}`)
  return body.result
}

async function ask(url) {
  const started = Date.now()
  const session = await call(url, 'Register', 'analyst@example.com', 'correct horse battery 9', 'Analyst')
  const ws = await call(url, 'CreateWorkspace', session.token, 'Check')
  const up = await (await fetch(`${url}/upload`, {
    method: 'POST', headers: { 'X-Filename': basename(file) }, body: readFileSync(file),
  })).json()
  if (up.error) throw new Error(`${url} upload: ${up.error}`)
  const imported = await call(url, 'ImportFile', session.token, ws.id, up.path, '')
  const dash = await call(url, 'BuyersDashboard', session.token, ws.id, imported.dataset.id, { filters: {}, granularity: '' })
  return {
    seconds: (Date.now() - started) / 1000,
    rows: imported.dataset.rows,
    columns: imported.dataset.columns.map((c) => `${c.name}:${c.type}`),
    kpis: dash.kpis.map((k) => ({ id: k.id, value: k.value, previous: k.previous })),
    charts: JSON.stringify(dash.charts ?? null),
  }
}

const [a, b] = [await ask(urlA), await ask(urlB)]
for (const [url, r] of [[urlA, a], [urlB, b]]) {
  console.log(`${url}: ${r.rows} rows, ${r.seconds.toFixed(1)} s (Register + upload + ImportFile + BuyersDashboard)`)
  console.log('  ' + r.kpis.map((k) => `${k.id}=${typeof k.value === 'number' ? +k.value.toFixed(4) : k.value}`).join(' '))
}
// Numbers to 10 significant digits: DuckDB may add floating-point values
// in another order on another platform.
const normal = ({ seconds, ...rest }) =>
  JSON.parse(JSON.stringify(rest), (k, v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v))
const chartsOf = (r) => ({ ...r, charts: JSON.parse(r.charts) })
deepStrictEqual(normal(chartsOf(b)), normal(chartsOf(a)), 'the two servers disagree')
console.log('same rows, columns, KPIs and charts on both')
