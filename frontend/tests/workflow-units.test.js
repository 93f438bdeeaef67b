// The analyst-workflow helpers that need no browser: the one number
// format, axis ticks, the partial-period rule, chart CSV, the view in the
// page address, and the carry-over of filters between dashboards.
import { test } from 'node:test'
import assert from 'node:assert/strict'

// viewstate.js keeps views in sessionStorage: a plain in-memory stand-in.
const memory = new Map()
globalThis.window = {
  sessionStorage: { getItem: (k) => (memory.has(k) ? memory.get(k) : null), setItem: (k, v) => memory.set(k, String(v)) },
}

const { formatValue, formatCount, niceTicks } = await import('../src/lib/components/dashboard/format.js')
const { partialLast, chartCsv, figure, filtersSummary, measureTitle } = await import('../src/lib/components/dashboard/figure.js')
const { tileText } = await import('../src/lib/components/dashboard/tilemap.js')
const vs = await import('../src/lib/stores/viewstate.js')

test('one compact number format: $3.0M, 12.4K, exact below a thousand', () => {
  assert.equal(formatValue(3_000_000, 'currency'), '$3.0M')
  assert.equal(formatValue(3_200_000, 'currency'), '$3.2M')
  assert.equal(formatValue(605_000, 'currency'), '$605.0K')
  assert.equal(formatValue(12_400, 'number'), '12.4K')
  assert.equal(formatValue(999, 'number'), '999')
  assert.equal(formatValue(121.084, 'currency'), '$121.08')
  assert.equal(formatValue(200, 'currency'), '$200')
  assert.equal(formatValue(-1500, 'currency'), '−$1.5K')
  assert.equal(formatValue(0.1234, 'percent'), '12.3%')
  assert.equal(formatValue(null, 'number'), '—')
  assert.equal(formatCount(1_204_311), '1,204,311')
})

test('axis ticks are round steps labelled in the same format, covering the data', () => {
  const t = niceTicks(0, 605_000, 'currency')
  assert.deepEqual(t.vals, [0, 200_000, 400_000, 600_000, 800_000].slice(0, t.vals.length))
  assert.ok(t.range[1] >= 605_000)
  assert.ok(t.text.every((s) => /^\$\d/.test(s)), t.text.join(' '))
  assert.ok(!t.text.some((s) => /\.\d\dM|0\.\d+M/.test(s)), 'no "$0.605M" ticks')
  const counts = niceTicks(0, 3, 'number')
  assert.ok(counts.vals.every(Number.isInteger), 'counts tick in whole numbers: ' + counts.vals)
})

test('the last bucket is partial when the period ends before it does', () => {
  const x = ['2025-01-01', '2025-02-01', '2025-03-01']
  assert.deepEqual(partialLast(x, 'month', '2025-03-15'), { index: 2, through: '2025-03-15' })
  assert.equal(partialLast(x, 'month', '2025-03-31'), null)
  const weeks = ['2025-03-03', '2025-03-10']
  assert.deepEqual(partialLast(weeks, 'week', '2025-03-12'), { index: 1, through: '2025-03-12' })
  assert.equal(partialLast(weeks, 'week', '2025-03-16'), null)
  assert.equal(partialLast(x, 'day', '2025-03-01'), null)
})

const colors = { text: '#475467', title: '#101828', grid: '#eaecf0', paper: '#ffffff', accent: '#3b5bdb', soft: '#c7d2fe', noData: '#eef0f4',
  scaleLow: '#e7ecff', scaleHigh: '#2f4ac0', tileLine: '#ffffff', hoverBg: '#ffffff' }

test('time chart: axis titles with units, the partial month dashed and labelled', () => {
  const chart = { type: 'timeseries', title: 'Revenue & conversions over time', x: ['2025-01-01', '2025-02-01', '2025-03-01'],
    series: [{ name: 'Conversions', y: [10, 12, 3] }, { name: 'Revenue', y: [1000, 1500, 300] }] }
  const { data, layout } = figure(chart, { kind: 'buyers', granularity: 'month', periodTo: '2025-03-09', colors })
  assert.equal(layout.yaxis.title.text, 'Conversions (count)')
  assert.equal(layout.yaxis2.title.text, 'Revenue (USD)')
  assert.equal(layout.xaxis.title.text, 'Month')
  assert.ok(data.some((t) => t.line?.dash === 'dash'), 'a dashed segment into the partial month')
  assert.match(layout.annotations[0].text, /Partial month \(through Mar 9, 2025\)/)
  const solid = data.find((t) => t.name === 'Revenue')
  assert.deepEqual(solid.x, chart.x.slice(0, 2), 'the solid line stops before the partial month')
})

test('bar charts say what they measure', () => {
  assert.equal(measureTitle('Revenue', 'currency', 'buyers'), 'Revenue (USD)')
  assert.equal(measureTitle('Rows', 'number', 'visitors'), 'Visits (count)')
  const chart = { type: 'bar', x: ['Email', 'Search'], series: [{ name: 'Revenue', y: [3_000_000, 3_200_000] }, { name: 'Rows', y: [10, 12] }], format: 'currency', column: 'channel' }
  const { layout } = figure(chart, { kind: 'buyers', horizontal: true, categoryLabel: 'Channel', colors })
  assert.equal(layout.xaxis.title.text, 'Revenue (USD)')
  assert.equal(layout.yaxis.title.text, 'Channel')
  assert.ok(layout.xaxis.ticktext.includes('$3.0M') || layout.xaxis.ticktext.includes('$2.0M'), layout.xaxis.ticktext.join(' '))
})

test('chart CSV: a header, one row per category, formulas kept as text', () => {
  const csv = chartCsv({ type: 'bar', x: ['Email', '=cmd()', 'A, B'], series: [{ name: 'Rows', y: [3, 2, 1] }] }, 'Channel')
  assert.equal(csv, 'Channel,Rows\r\nEmail,3\r\n\'=cmd(),2\r\n"A, B",1\r\n')
  const map = chartCsv({ type: 'map', x: ['Texas'], locations: ['TX'], series: [{ name: 'Rows', y: [5] }] }, 'State')
  assert.equal(map, 'State,State code,Rows\r\nTexas,TX,5\r\n')
})

test('filters summary names every active filter', () => {
  assert.equal(filtersSummary({ dateFrom: '2025-01-01', dateTo: '', values: { channel: ['Email', 'SMS'] } }, { channel: 'Channel' }),
    'Date: Jan 1, 2025 – … · Channel: Email, SMS')
  assert.equal(filtersSummary({ values: {} }), 'No filters')
})

test('map tile labels take the colour that contrasts most with their tile', () => {
  assert.equal(tileText('#e7ecff', '#2f4ac0', 0), '#101828')
  assert.equal(tileText('#e7ecff', '#2f4ac0', 1), '#ffffff')
  assert.equal(tileText('#243257', '#a5b6ff', 0), '#ffffff')
})

test('a view survives the round trip through the page address', () => {
  const view = { dataset: 12, granularity: 'month', filters: { dateFrom: '2025-01-01', dateTo: '2025-03-31', values: { channel: ['Paid Search', 'E&mail=1'], state: ['Texas'] } } }
  const q = vs.encodeView(3, view)
  const back = vs.decodeView(q)
  assert.equal(back.ws, 3)
  assert.ok(vs.sameView(back.view, view), q)
  assert.equal(vs.decodeView(''), null)
  assert.equal(vs.decodeView('token=abc'), null, 'a magic-link token is not a view')
  const bad = vs.decodeView('ws=1&from=yesterday&g=hourly&ds=-4')
  assert.equal(bad.view.filters.dateFrom, '')
  assert.equal(bad.view.granularity, '')
  assert.equal(bad.view.dataset, 0)
  assert.equal(vs.hashOfViewLink('leadnavigator://view/buyers?' + q), '#/buyers?' + q)
  assert.equal(vs.hashOfViewLink('leadnavigator://invite?token=x'), '')
})

test('filters on shared canonical fields carry over between dashboards', () => {
  memory.clear()
  const buyersCols = [{ field: 'channel', column: 'channel' }, { field: 'state', column: 'state' }, { field: 'campaign', column: 'campaign' }]
  const visitorsCols = [{ field: 'channel', column: 'traffic_channel' }, { field: 'state', column: 'us_state' }, { field: 'device', column: 'device' }]
  // Visitors had its own filters first.
  const visitorsView = { dataset: 0, granularity: '', filters: { dateFrom: '', dateTo: '', values: { us_state: ['Ohio'], device: ['Mobile'] } } }
  vs.rememberView(1, 'visitors', visitorsView, visitorsCols, true)
  const visitorsAt = vs.recalledView(1, 'visitors').at
  // Then Buyers filtered channel and dates, and cleared state.
  const buyersView = { dataset: 0, granularity: 'week', filters: { dateFrom: '2025-01-01', dateTo: '2025-02-01', values: { channel: ['Email'], campaign: ['Spring'] } } }
  vs.rememberView(1, 'buyers', buyersView, buyersCols, true)
  const carried = vs.withSharedFilters(1, 'visitors', visitorsView, visitorsAt, visitorsCols, true)
  assert.deepEqual(carried.filters.values, { traffic_channel: ['Email'], device: ['Mobile'] }, 'channel by field, state cleared, device kept')
  assert.equal(carried.filters.dateFrom, '2025-01-01')
  assert.equal(carried.granularity, '', 'granularity is per dashboard')
  // Nothing changed elsewhere since: a dashboard's own view comes back as it was.
  const own = vs.recalledView(1, 'buyers')
  assert.deepEqual(vs.withSharedFilters(1, 'buyers', own.view, own.at, buyersCols, true), own.view)
  // Other workspaces are not touched.
  assert.equal(vs.recalledView(2, 'buyers'), null)
})

test('a dataset date span comes from its mapped date column, when that holds dates', () => {
  const cols = (min, max) => ({ mapping: { date: 'd' }, columns: [{ name: 'd', min, max }] })
  assert.deepEqual(vs.datasetDates(cols('2024-01-05', '2025-02-01 23:59:00')), { from: '2024-01-05', to: '2025-02-01' })
  assert.deepEqual(vs.datasetDates(cols('01/05/2024', '12/31/2023')), { from: '', to: '' }, 'text dates are not read as ISO days')
  assert.deepEqual(vs.datasetDates({ mapping: {}, columns: [] }), { from: '', to: '' })
})

test('the default dataset is the newest of the first kind that has one', () => {
  const list = [{ id: 1, kind: 'leads' }, { id: 3, kind: 'buyers' }, { id: 5, kind: 'buyers' }, { id: 4, kind: 'visitors' }]
  assert.equal(vs.defaultDataset(list, 'buyers').id, 5)
  assert.equal(vs.defaultDataset(list, 'visitors').id, 4)
  assert.equal(vs.defaultDataset([{ id: 1, kind: 'leads' }], 'visitors').id, 1)
  assert.equal(vs.defaultDataset([], 'buyers'), null)
})
