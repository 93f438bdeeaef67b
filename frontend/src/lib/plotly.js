// Plotly for the dashboard and assistant charts, and the chart colours.
//
// The app draws only bar, scatter (lines, and the state tile map) and pie
// traces, so it ships Plotly's "basic" bundle (about a quarter of the full
// one). It is loaded once, when the app starts (main.js calls preload),
// in its own chunk so the login screen does not wait for it; pages then
// find it ready instead of each waiting for a multi-megabyte download.
export const palette = ['#3b5bdb', '#12b76a', '#f79009', '#7a5af8', '#ee46bc', '#06aed4', '#f04438', '#667085']

let loading = null
let loaded = null

/** Resolves to the Plotly module (one dynamic import for the whole app). */
export function loadPlotly() {
  loading ||= import('plotly.js-basic-dist-min').then((m) => (loaded = m.default || m))
  return loading
}

/** Starts loading Plotly in the background (app start). */
export function preload() {
  // <html data-charts="ready"> tells tests and benchmarks Plotly is there.
  loadPlotly().then(() => (document.documentElement.dataset.charts = 'ready')).catch(() => {
    // A chart that needs it will try again and show the error.
    loading = null
  })
}

/** Plotly if it has finished loading, else null (lets a chart draw in the same frame). */
export const plotlyNow = () => loaded

/**
 * Svelte onMount body for a chart element: calls onReady(Plotly) as soon
 * as Plotly is there (at once when it already is); returns the cleanup
 * that purges the element.
 */
export function mountPlotly(getElement, onReady) {
  let cancelled = false
  let plotly = loaded
  if (plotly) onReady(plotly)
  else {
    loadPlotly().then((p) => {
      if (cancelled) return
      plotly = p
      onReady(p)
    })
  }
  return () => {
    cancelled = true
    const el = getElement()
    if (plotly && el) plotly.purge(el)
  }
}

const cssVar = (style, name, fallback) => style.getPropertyValue(name).trim() || fallback

/**
 * The chart colours of the current theme, read from the CSS variables of
 * app.css, so charts follow the light/dark switch.
 */
export function chartColors() {
  const s = getComputedStyle(document.documentElement)
  return {
    text: cssVar(s, '--chart-text', '#475467'),
    title: cssVar(s, '--ink', '#1d2433'),
    grid: cssVar(s, '--chart-grid', '#eaecf0'),
    paper: 'rgba(0,0,0,0)',
    accent: cssVar(s, '--chart-accent', palette[0]),
    soft: cssVar(s, '--chart-soft', '#c7d2fe'),
    noData: cssVar(s, '--chart-nodata', '#eef0f4'),
    scaleLow: cssVar(s, '--chart-scale-low', '#e7ecff'),
    scaleHigh: cssVar(s, '--chart-scale-high', '#2f4ac0'),
    tileLine: cssVar(s, '--panel', '#ffffff'),
    hoverBg: cssVar(s, '--panel', '#ffffff'),
  }
}

/** Colours of exported images: always light, on white. */
export const exportColors = {
  text: '#344054', title: '#101828', grid: '#eaecf0', paper: '#ffffff', accent: palette[0], soft: '#c7d2fe',
  noData: '#eef0f4', scaleLow: '#e7ecff', scaleHigh: '#2f4ac0', tileLine: '#ffffff', hoverBg: '#ffffff',
}
