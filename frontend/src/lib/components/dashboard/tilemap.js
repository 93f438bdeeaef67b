// A US tile-grid map: one square per state at a fixed grid position. It
// needs no geographic shape files, so it works offline (Plotly's
// choropleth downloads its topojson from a CDN).
import { formatValue, niceTicks } from './format.js'

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

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
const luminance = (c) => {
  const [r, g, b] = c.map((v) => {
    v /= 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The label colour (near-black or white) that contrasts most with the scale's colour at t (0..1). */
export function tileText(low, high, t) {
  const a = rgb(low)
  const b = rgb(high)
  const L = luminance(a.map((v, i) => v + (b[i] - v) * t))
  // Contrast against white is 1.05/(L+.05), against #101828 (L≈.012) (L+.05)/.062.
  return 1.05 / (L + 0.05) >= (L + 0.05) / 0.062 ? '#ffffff' : '#101828'
}

/**
 * Plotly traces and layout for values by state code: tiles with data are
 * coloured on a scale shown beside the map (with its measure and unit);
 * states without data are grey and named in the legend.
 */
export function tileFigure(chart, base, o) {
  const fmt = chart.format || 'number'
  const s = chart.series[0]
  const byCode = new Map(chart.locations.map((code, i) => [code, { value: s.y[i], label: chart.x[i] }]))
  // The scale runs to the round tick above the largest value.
  const scale = niceTicks(0, Math.max(1, ...s.y), fmt, 4)
  const max = scale.range[1]
  const codes = Object.keys(tiles)
  const withData = codes.filter((c) => byCode.get(c)?.value > 0)
  const without = codes.filter((c) => !(byCode.get(c)?.value > 0))
  const size = Math.min(44, (o.height - 40) / 8.6)
  const pos = (list) => ({ x: list.map((c) => tiles[c][0]), y: list.map((c) => -tiles[c][1]) })
  const noun = s.name === 'Rows' ? (o.kind === 'buyers' ? 'Purchases' : o.kind === 'visitors' ? 'Visits' : 'Rows') : s.name
  const unit = fmt === 'currency' ? ' (USD)' : ' (count)'
  const data = [
    {
      type: 'scatter', mode: 'markers+text', name: 'No data', ...pos(without), text: without,
      textfont: { color: o.colors.text, size: 11 }, customdata: without.map(() => null),
      marker: { symbol: 'square', size, color: o.colors.noData, line: { color: o.colors.tileLine, width: 1 } },
      hovertext: without.map((c) => c + ': no data'), hovertemplate: '%{hovertext}<extra></extra>', showlegend: true,
    },
    {
      type: 'scatter', mode: 'markers+text', name: noun + unit, ...pos(withData), text: withData,
      textfont: { color: withData.map((c) => tileText(o.colors.scaleLow, o.colors.scaleHigh, byCode.get(c).value / max)), size: 11 },
      customdata: withData.map((c) => byCode.get(c).label),
      marker: {
        symbol: 'square', size, color: withData.map((c) => byCode.get(c).value), cmin: 0, cmax: max,
        colorscale: [[0, o.colors.scaleLow], [1, o.colors.scaleHigh]], line: { color: o.colors.tileLine, width: 1 },
        showscale: true,
        colorbar: {
          title: { text: noun + unit, side: 'right', font: { size: 11, color: o.colors.text } }, thickness: 10, len: 0.8, outlinewidth: 0,
          tickmode: 'array', tickvals: scale.vals, ticktext: scale.text, tickfont: { size: 10, color: o.colors.text },
        },
      },
      hovertext: withData.map((c) => `${byCode.get(c).label} (${c}): ${formatValue(byCode.get(c).value, fmt)}`),
      hovertemplate: '%{hovertext}<extra></extra>', showlegend: false,
    },
  ]
  return {
    data,
    layout: {
      ...base, margin: { l: 8, r: 8, t: 8, b: 8 }, showlegend: without.length > 0,
      // "No data" sits in the empty top middle of the grid (AK and ME take the corners).
      legend: { ...base.legend, orientation: 'h', x: 0.45, xanchor: 'center', y: 1, yanchor: 'top', itemclick: false, itemdoubleclick: false },
      xaxis: { visible: false, range: [-0.7, 11.7], fixedrange: true },
      yaxis: { visible: false, range: [-7.7, 0.7], fixedrange: true, scaleanchor: 'x' },
    },
  }
}
