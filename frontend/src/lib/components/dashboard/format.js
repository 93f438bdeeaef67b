// One number format for KPI cards, chart axes, hovers, map scales and
// badges: from a thousand on, compact with one decimal ($3.0M, 12.4K),
// so "$3M" never stands beside "$3.2M"; below that, exact. Row counts in
// sentences ("1,204 of 20,000 rows") use formatCount.
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', minimumFractionDigits: 1, maximumFractionDigits: 1 })
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const upTo2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
const cents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** Formats a value: currency, number, percent (a fraction) or text; null shows a dash. */
export function formatValue(v, format) {
  if (v === null || v === undefined) return '—'
  if (format === 'text') return String(v)
  if (typeof v !== 'number' || !isFinite(v)) return String(v)
  const sign = v < 0 ? '−' : ''
  const a = Math.abs(v)
  switch (format) {
    case 'currency':
      if (a >= 1000) return sign + '$' + compact.format(a)
      return sign + '$' + (Number.isInteger(a) ? whole.format(a) : cents.format(a))
    case 'percent':
      return sign + (a * 100).toFixed(1) + '%'
    default:
      if (a >= 1000) return sign + compact.format(a)
      return sign + (Number.isInteger(a) ? whole.format(a) : upTo2.format(a))
  }
}

/** An exact count with thousands separators (1,204). */
export function formatCount(v) {
  return typeof v === 'number' && isFinite(v) ? whole.format(v) : '—'
}

/** "+12.5%" / "−3.0%" for a change in percent. */
export function formatChange(pct) {
  if (pct === null || pct === undefined) return ''
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : ''
  return sign + Math.abs(pct).toFixed(1) + '%'
}

/** Short human date: 2026-01-05 -> Jan 5, 2026. */
export function formatDate(d) {
  if (!d) return ''
  const t = new Date(String(d).slice(0, 10) + 'T00:00:00Z')
  if (isNaN(t)) return String(d)
  return t.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })
}

/** A date span: "Jan 5, 2026 – Mar 1, 2026" ("" when neither end is known). */
export function formatSpan(from, to) {
  if (!from && !to) return ''
  return (from ? formatDate(from) : '…') + ' – ' + (to ? formatDate(to) : '…')
}

/**
 * Axis ticks for values from lo to hi: about `count` round steps (1, 2,
 * 2.5, 5 × 10^n), labelled in the one number format. Returns the tick
 * values, their labels and the axis range they cover.
 */
export function niceTicks(lo, hi, format, count = 5) {
  lo = Math.min(0, lo || 0)
  hi = Math.max(hi || 0, lo + 1e-9)
  if (format === 'percent') hi = Math.max(hi, 0.01)
  else hi = Math.max(hi, 1)
  const raw = (hi - lo) / count
  const mag = Math.pow(10, Math.floor(Math.log10(raw)))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)
  const vals = []
  for (let v = Math.floor(lo / step) * step; v < hi + step * 0.999; v += step) vals.push(Number(v.toPrecision(12)))
  if (format !== 'percent' && format !== 'currency' && step < 1) {
    // Counts have no fractions: fall back to whole steps.
    return niceTicks(lo, Math.max(hi, count), format, count)
  }
  return { vals, text: vals.map((v) => formatValue(v, format)), range: [vals[0], vals[vals.length - 1]] }
}
