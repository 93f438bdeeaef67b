// Plotly, loaded once and only when a chart is first shown (it is large),
// and the chart colours shared by the dashboards and the assistant.
export const palette = ['#3b5bdb', '#12b76a', '#f79009', '#7a5af8', '#ee46bc', '#06aed4', '#f04438', '#667085']

let loading = null

/** Resolves to the Plotly module (one dynamic import for the whole app). */
export function loadPlotly() {
  loading ||= import('plotly.js-dist-min').then((m) => m.default)
  return loading
}

/**
 * Svelte onMount body for a chart element: loads Plotly, then calls
 * onReady(Plotly); returns the cleanup that purges the element.
 */
export function mountPlotly(getElement, onReady) {
  let cancelled = false
  let plotly = null
  loadPlotly().then((p) => {
    if (cancelled) return
    plotly = p
    onReady(p)
  })
  return () => {
    cancelled = true
    const el = getElement()
    if (plotly && el) plotly.purge(el)
  }
}
