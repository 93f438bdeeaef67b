// Number formatting shared by KPI cards, charts and badges.
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 })
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** Formats a KPI value: currency, number, percent (a fraction) or text; null shows a dash. */
export function formatValue(v, format) {
  if (v === null || v === undefined) return '—'
  if (format === 'text') return String(v)
  if (typeof v !== 'number' || !isFinite(v)) return String(v)
  switch (format) {
    case 'currency':
      return Math.abs(v) >= 1e6 ? '$' + compact.format(v) : Math.abs(v) < 1000 ? cents.format(v) : money.format(v)
    case 'percent':
      return (v * 100).toFixed(1) + '%'
    default:
      return Math.abs(v) >= 1e6 ? compact.format(v) : whole.format(v)
  }
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
  const t = new Date(d + 'T00:00:00Z')
  return t.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })
}
