// The desktop window test (frontend/tests/window.test.js, --smoke-dashboard):
// once logged in through the login link it was started with, the page
// opens the Buyers dashboard and tells the app when every chart is drawn.
import { callApp } from './api.js'

export function smokeDashboard() {
  location.hash = '#/buyers'
  const timer = setInterval(() => {
    const dash = document.querySelector('[data-testid=dashboard-buyers]')
    const charts = [...(dash?.querySelectorAll('[data-chart]') || [])]
    const v = dash?.dataset.version
    if (dash && dash.dataset.loading === 'false' && Number(v) > 0 && charts.length && charts.every((c) => c.dataset.drawn === v)) {
      clearInterval(timer)
      callApp('DashboardDrawn', 'buyers', charts.length)
    }
  }, 100)
}
