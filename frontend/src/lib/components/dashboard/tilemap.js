// A US tile-grid map: one square per state at a fixed grid position. It
// needs no geographic shape files, so it works offline (Plotly's
// choropleth downloads its topojson from a CDN).
export const tiles = {
  AK: [0, 0], ME: [11, 0],
  VT: [10, 1], NH: [11, 1],
  WA: [1, 2], ID: [2, 2], MT: [3, 2], ND: [4, 2], MN: [5, 2], IL: [6, 2], WI: [7, 2], MI: [8, 2], NY: [9, 2], RI: [10, 2], MA: [11, 2],
  OR: [1, 3], NV: [2, 3], WY: [3, 3], SD: [4, 3], IA: [5, 3], IN: [6, 3], OH: [7, 3], PA: [8, 3], NJ: [9, 3], CT: [10, 3],
  CA: [1, 4], UT: [2, 4], CO: [3, 4], NE: [4, 4], MO: [5, 4], KY: [6, 4], WV: [7, 4], VA: [8, 4], MD: [9, 4], DE: [10, 4],
  AZ: [2, 5], NM: [3, 5], KS: [4, 5], AR: [5, 5], TN: [6, 5], NC: [7, 5], SC: [8, 5], DC: [9, 5],
  OK: [4, 6], LA: [5, 6], MS: [6, 6], AL: [7, 6], GA: [8, 6],
  HI: [0, 7], TX: [4, 7], FL: [9, 7], PR: [11, 7],
}

/** Plotly traces and layout for values by state code (states without data are grey). */
export function tileFigure(chart, base, height) {
  const byCode = new Map(chart.locations.map((code, i) => [code, { value: chart.series[0].y[i], label: chart.x[i] }]))
  const codes = Object.keys(tiles)
  const max = Math.max(1, ...chart.series[0].y)
  const x = codes.map((c) => tiles[c][0])
  const y = codes.map((c) => -tiles[c][1])
  const size = Math.min(44, (height - 40) / 8.6)
  const fill = codes.map((c) => {
    const v = byCode.get(c)?.value || 0
    if (!v) return '#eef0f4'
    const t = 0.15 + 0.85 * (v / max)
    // Blend from the soft accent to the strong accent.
    const mix = (a, b) => Math.round(a + (b - a) * t)
    return `rgb(${mix(231, 47)},${mix(236, 74)},${mix(255, 192)})`
  })
  const textColor = codes.map((c) => ((byCode.get(c)?.value || 0) / max > 0.5 ? 'white' : '#344054'))
  return {
    data: [{
      type: 'scatter', mode: 'markers+text', x, y, text: codes, textfont: { color: textColor, size: 11 },
      customdata: codes.map((c) => byCode.get(c)?.label ?? null),
      marker: { symbol: 'square', size, color: fill, line: { color: 'white', width: 1 } },
      hovertext: codes.map((c) => `${byCode.get(c)?.label || c}: ${(byCode.get(c)?.value || 0).toLocaleString('en-US')}`),
      hovertemplate: '%{hovertext}<extra></extra>',
    }],
    layout: {
      ...base, margin: { l: 8, r: 8, t: 8, b: 8 }, showlegend: false,
      xaxis: { visible: false, range: [-0.7, 11.7], fixedrange: true },
      yaxis: { visible: false, range: [-7.7, 0.7], fixedrange: true, scaleanchor: 'x' },
    },
  }
}
