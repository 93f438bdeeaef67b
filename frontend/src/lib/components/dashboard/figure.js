// Plotly figures of the dashboard charts, built from the backend's chart
// data (metrics.Chart): axis titles with units, ticks in the app's one
// number format, the incomplete last period drawn dashed and labelled.
// Pure functions (no DOM), so the PNG export and the tests use the same
// figures as the page.
import { palette } from '../../plotly.js'
import { formatValue, formatDate, niceTicks } from './format.js'
import { tileFigure } from './tilemap.js'

// What one row of each dashboard's dataset is, for "Rows" series.
const rowNoun = { buyers: 'Purchases', visitors: 'Visits' }

/** The axis title of a series: its measure and unit. */
export function measureTitle(name, format, kind) {
  if (name === 'Revenue') return 'Revenue (USD)'
  if (name === 'Rows') return (rowNoun[kind] || 'Rows') + ' (count)'
  return name + (format === 'currency' ? ' (USD)' : ' (count)')
}

const granTitle = { day: 'Day', week: 'Week (starting Monday)', month: 'Month' }
const granHover = { day: '%b %d, %Y', week: 'Week of %b %d, %Y', month: '%B %Y' }
const granNoun = { week: 'week', month: 'month' }

const isoDay = (t) => t.toISOString().slice(0, 10)

/**
 * The last time bucket when the period ends before the bucket does (data
 * through the 15th of a month bucket): { index, through } or null.
 */
export function partialLast(x, granularity, periodTo) {
  if (!x?.length || !periodTo || !granNoun[granularity]) return null
  const start = new Date(x[x.length - 1].slice(0, 10) + 'T00:00:00Z')
  if (isNaN(start)) return null
  const end = new Date(start)
  if (granularity === 'week') end.setUTCDate(end.getUTCDate() + 6)
  else end.setUTCMonth(end.getUTCMonth() + 1, 0)
  return periodTo < isoDay(end) ? { index: x.length - 1, through: periodTo } : null
}

function baseLayout(height, colors) {
  const font = { family: 'Inter, system-ui, sans-serif', size: 12, color: colors.text }
  const axis = { gridcolor: colors.grid, zeroline: false, linecolor: colors.grid, tickfont: font, title: { font: { ...font, size: 12 } } }
  return {
    margin: { l: 56, r: 16, t: 8, b: 44 }, height, paper_bgcolor: colors.paper, plot_bgcolor: colors.paper, font,
    xaxis: { ...axis }, yaxis: { ...axis }, legend: { orientation: 'h', y: 1.14, x: 0, font },
    hoverlabel: { font: { family: font.family }, bgcolor: colors.hoverBg, bordercolor: colors.grid },
    bargap: 0.25,
  }
}

// Margins are worked out from the label lengths instead of Plotly's
// automargin, which redraws a chart until its labels fit (several times
// the drawing cost, on every filter change).
const textWidth = (s, size = 12) => String(s).length * size * 0.6
const widest = (labels) => Math.max(0, ...labels.map((l) => textWidth(l)))
const TITLE = 22 // an axis title and its gap
const clip = (s, n = 26) => (String(s).length > n ? String(s).slice(0, n - 1) + '…' : String(s))

/**
 * A value axis: round ticks labelled in the app's format, with a title;
 * .width is what its labels need. length (px, when known) limits the
 * number of ticks so their labels do not collide.
 */
function valueAxis(base, values, format, title, length = 0) {
  const hi = Math.max(0, ...values.filter((v) => isFinite(v)))
  const t = niceTicks(0, hi, format, length ? Math.max(2, Math.min(5, Math.floor(length / 70))) : 5)
  const axis = { ...base, tickmode: 'array', tickvals: t.vals, ticktext: t.text, range: [t.range[0], t.range[1] * 1.02], title: { ...base.title, text: title } }
  return { axis, width: TITLE + widest(t.text) + 8 }
}

/**
 * figure(chart, opts) -> { data, layout }.
 * opts: { kind, height, width (px, if known), horizontal, granularity, periodTo, categoryLabel, colors }
 */
export function figure(chart, opts) {
  const o = { height: 300, ...opts }
  const base = baseLayout(o.height, o.colors)
  if (chart.type === 'timeseries') return timeseries(chart, base, o)
  if (chart.type === 'pie') return pie(chart, base, o)
  if (chart.type === 'map') return tileFigure(chart, base, o)
  return bars(chart, base, o)
}

function pie(c, base, o) {
  const fmt = c.format || 'number'
  const text = c.series[0].y.map((v) => formatValue(v, fmt))
  return {
    data: [{
      type: 'pie', labels: c.x, values: c.series[0].y, customdata: text, hole: 0.55, sort: false,
      marker: { colors: palette, line: { color: o.colors.tileLine, width: 1 } }, textinfo: 'percent',
      hovertemplate: '%{label}: %{customdata} ' + measureTitle(c.series[0].name, fmt, o.kind).replace(/ \(.*\)$/, '').toLowerCase() + ' (%{percent})<extra></extra>',
    }],
    layout: { ...base, margin: { l: 8, r: 8, t: 8, b: 8 }, showlegend: true, legend: { ...base.legend, orientation: 'v', x: 1, y: 0.5 } },
  }
}

function bars(c, base, o) {
  const s = c.series[0]
  const fmt = c.format || 'number'
  const rows = c.series.find((x) => x.name === 'Rows')
  const noun = (rowNoun[o.kind] || 'rows').toLowerCase()
  // Hover: the bar's value, and its row count when the bar is revenue.
  const hoverText = c.x.map((label, i) => label + ': ' + formatValue(s.y[i], fmt) + (s.name === 'Revenue' ? ' revenue' : ' ' + noun) +
    (rows && rows !== s ? ' · ' + formatValue(rows.y[i], 'number') + ' ' + noun : ''))
  const title = measureTitle(s.name, fmt, o.kind)
  const catTitle = o.categoryLabel || ''
  if (o.horizontal) {
    // Top-N lists read best horizontally, largest on top.
    const rev = (a) => [...a].reverse()
    const cats = rev(c.x)
    const left = (catTitle ? TITLE : 0) + widest(cats.map((x) => clip(x))) + 10
    const value = valueAxis(base.xaxis, s.y, fmt, title, o.width ? o.width - left - 16 : 0)
    return {
      data: [{ type: 'bar', orientation: 'h', y: cats, x: rev(s.y), customdata: cats, hovertext: rev(hoverText),
        marker: { color: o.colors.accent }, hovertemplate: '%{hovertext}<extra></extra>' }],
      layout: { ...base, margin: { l: left, r: 16, t: 8, b: 48 },
        yaxis: { ...base.yaxis, gridcolor: 'rgba(0,0,0,0)', type: 'category', tickmode: 'array', tickvals: cats, ticktext: cats.map((x) => clip(x)),
          title: { ...base.yaxis.title, text: catTitle, standoff: 6 } },
        xaxis: value.axis },
    }
  }
  const value = valueAxis(base.yaxis, s.y, fmt, title)
  // Category labels turn when they would not fit side by side.
  const turn = widest(c.x) * c.x.length > 520
  return {
    data: [{ type: 'bar', x: c.x, y: s.y, customdata: c.x, hovertext: hoverText, marker: { color: o.colors.accent },
      hovertemplate: '%{hovertext}<extra></extra>' }],
    layout: { ...base, margin: { l: value.width, r: 16, t: 8, b: (catTitle ? TITLE : 0) + 22 + (turn ? widest(c.x.map((x) => clip(x, 18))) * 0.55 : 0) },
      xaxis: { ...base.xaxis, type: 'category', tickangle: turn ? -35 : 0, tickmode: 'array', tickvals: c.x, ticktext: c.x.map((x) => clip(x, 18)),
        title: { ...base.xaxis.title, text: catTitle, standoff: 6 } },
      yaxis: value.axis },
  }
}

function timeseries(c, base, o) {
  const gran = o.granularity || 'day'
  const partial = partialLast(c.x, gran, o.periodTo)
  const xaxis = { ...base.xaxis, type: 'date', title: { ...base.xaxis.title, text: granTitle[gran] || 'Date' }, hoverformat: granHover[gran] }
  const n = c.x.length
  // The partial bucket: hatched, paler bar; dashed line segment; a label.
  const pattern = (color) => ({
    color, opacity: c.x.map((_, i) => (partial && i === partial.index ? 0.55 : 1)),
    pattern: { shape: c.x.map((_, i) => (partial && i === partial.index ? '/' : '')), fgcolor: o.colors.text, size: 6, solidity: 0.15 },
  })
  const annotations = partial ? [{
    x: c.x[partial.index], y: 1, xref: 'x', yref: 'paper', yanchor: 'bottom', xanchor: 'right', showarrow: false,
    text: 'Partial ' + granNoun[gran] + ' (through ' + formatDate(partial.through) + ')', font: { size: 11, color: o.colors.text },
  }] : []
  const [first, second] = c.series
  const money = second && second.name === 'Revenue'
  const countTitle = measureTitle(first.name, 'number', o.kind)
  if (money) {
    const revText = second.y.map((v) => formatValue(v, 'currency'))
    const line = { color: o.colors.accent, width: 2.5 }
    const upTo = partial ? n - 1 : n
    const data = [
      { type: 'bar', name: first.name, x: c.x, y: first.y, marker: pattern(o.colors.soft), customdata: first.y.map((v) => formatValue(v, 'number')),
        hovertemplate: '%{customdata} ' + first.name.toLowerCase() + '<extra></extra>' },
      { type: 'scatter', mode: 'lines', name: 'Revenue', x: c.x.slice(0, upTo), y: second.y.slice(0, upTo), yaxis: 'y2', line,
        customdata: revText, hovertemplate: '%{customdata} revenue<extra></extra>' },
    ]
    if (partial && n > 1) {
      data.push({ type: 'scatter', mode: 'lines', x: c.x.slice(n - 2), y: second.y.slice(n - 2), yaxis: 'y2', showlegend: false,
        line: { ...line, dash: 'dash' }, hoverinfo: 'skip' })
    }
    if (partial) {
      data.push({ type: 'scatter', mode: 'markers', name: 'Revenue (partial)', x: [c.x[n - 1]], y: [second.y[n - 1]], yaxis: 'y2', showlegend: false,
        marker: { color: o.colors.paper === '#ffffff' ? '#ffffff' : o.colors.hoverBg, size: 8, line: { color: o.colors.accent, width: 2 } },
        customdata: [revText[n - 1]], hovertemplate: '%{customdata} revenue (partial ' + granNoun[gran] + ')<extra></extra>' })
    }
    const left = valueAxis(base.yaxis, first.y, 'number', countTitle)
    const right = valueAxis(base.yaxis, second.y, 'currency', 'Revenue (USD)')
    return {
      data,
      layout: { ...base, hovermode: 'x unified', annotations, xaxis, yaxis: left.axis,
        yaxis2: { ...right.axis, overlaying: 'y', side: 'right', showgrid: false },
        margin: { ...base.margin, l: left.width, r: right.width, t: partial ? 22 : 8 } },
    }
  }
  const stacked = c.series.length > 1
  const totals = c.x.map((_, i) => c.series.reduce((a, s) => a + (s.y[i] || 0), 0))
  const left = valueAxis(base.yaxis, totals, 'number', stacked ? 'Visits (count)' : countTitle)
  return {
    data: c.series.map((s, i) => ({
      type: 'bar', name: s.name, x: c.x, y: s.y, marker: pattern(i === 0 ? o.colors.accent : palette[1]),
      customdata: s.y.map((v) => formatValue(v, 'number')), hovertemplate: '%{customdata} ' + s.name.toLowerCase() + '<extra></extra>',
    })),
    layout: { ...base, barmode: 'stack', hovermode: 'x unified', annotations, xaxis, showlegend: stacked, yaxis: left.axis,
      margin: { ...base.margin, l: left.width, t: partial ? 22 : 8 } },
  }
}

const csvCell = (v) => {
  let s = v === null || v === undefined ? '' : String(v)
  // Text that a spreadsheet would run as a formula is kept as text.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
}

/** The chart's data as CSV text: one row per category or time bucket, one column per series. */
export function chartCsv(chart, categoryLabel = '') {
  const head = [chart.type === 'timeseries' ? 'Date' : categoryLabel || 'Category']
  if (chart.type === 'map') head.push('State code')
  head.push(...chart.series.map((s) => s.name))
  const lines = [head.map(csvCell).join(',')]
  chart.x.forEach((x, i) => {
    const row = [x]
    if (chart.type === 'map') row.push(chart.locations?.[i] ?? '')
    for (const s of chart.series) row.push(s.y[i])
    lines.push(row.map(csvCell).join(','))
  })
  return lines.join('\r\n') + '\r\n'
}

/** "Channel: Email, Search · Date: Jan 1, 2025 – Mar 31, 2025" (or "No filters"). */
export function filtersSummary(filters, labels = {}) {
  const parts = []
  if (filters?.dateFrom || filters?.dateTo) {
    parts.push('Date: ' + (filters.dateFrom ? formatDate(filters.dateFrom) : '…') + ' – ' + (filters.dateTo ? formatDate(filters.dateTo) : '…'))
  }
  for (const [col, vals] of Object.entries(filters?.values || {})) {
    if (vals?.length) parts.push((labels[col] || col) + ': ' + vals.join(', '))
  }
  return parts.length ? parts.join(' · ') : 'No filters'
}

/** Breaks a long line at separators so it fits about `width` characters a line. */
export function wrapText(text, width = 120) {
  const out = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && (line + ' ' + word).length > width) {
      out.push(line)
      line = word
    } else line = line ? line + ' ' + word : word
  }
  if (line) out.push(line)
  return out
}

/**
 * The figure of a chart as a PNG export draws it: on white, with the
 * chart's title and, under it, the dataset and the active filters.
 */
export function exportFigure(chart, opts, subtitleLines) {
  const { data, layout } = figure(chart, opts)
  const lines = subtitleLines.flatMap((l) => wrapText(l, 130))
  const top = 56 + 16 * lines.length
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return {
    data,
    layout: {
      ...layout, paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff',
      height: (layout.height || 300) + top,
      title: { text: esc(chart.title || ''), x: 0.01, xanchor: 'left', y: 0.98, yanchor: 'top', font: { size: 18, color: opts.colors.title },
        subtitle: { text: lines.map(esc).join('<br>'), font: { size: 12, color: opts.colors.text } } },
      margin: { ...layout.margin, t: (layout.margin?.t || 8) + top },
      legend: { ...layout.legend, y: layout.legend?.orientation === 'h' ? 1.02 : layout.legend?.y, yanchor: 'bottom' },
    },
  }
}
