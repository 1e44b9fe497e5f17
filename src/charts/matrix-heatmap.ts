import type { Metrics } from '../tasks/types.ts'
import { baseSpec, round4, type Chart } from './chart-types.ts'

/** RM-Bench's style variants in matrix order. */
const STYLES = ['concise', 'detailed', 'markdown']

/** The 3×3 style matrix of each domain as a heatmap: rows the chosen style, columns the rejected style. */
export function matrixHeatmapChart(metrics: Metrics): Chart | null {
  const values = Object.keys(metrics).flatMap((k) => {
    const m = /^matrix\/(.+)\/(\d+)-(\d+)$/.exec(k)
    if (!m) return []
    const v = metrics[k].value
    return [{ domain: m[1], chosen: STYLES[+m[2]] ?? m[2], rejected: STYLES[+m[3]] ?? m[3], value: round4(v), text: Number.isFinite(v) ? `${(100 * v).toFixed(1)}` : '–' }]
  })
  if (!values.length) return null
  const order = { sort: STYLES }
  return {
    name: 'style-matrix',
    title: 'Accuracy by style of the chosen and rejected answers',
    caption: 'Upper triangle (plainer chosen vs fancier rejected) is "hard", the diagonal "normal", the lower triangle "easy". Cells in %.',
    spec: {
      ...baseSpec('Accuracy by style of the chosen and rejected answers'),
      data: { values },
      facet: { column: { field: 'domain', type: 'nominal', title: null } },
      spec: {
        width: 150,
        height: 150,
        encoding: {
          x: { field: 'rejected', type: 'ordinal', title: 'rejected style', axis: { labelAngle: 0 }, ...order },
          y: { field: 'chosen', type: 'ordinal', title: 'chosen style', ...order },
        },
        layer: [
          { mark: 'rect', encoding: { color: { field: 'value', type: 'quantitative', scale: { domain: [0, 1], scheme: 'blues' }, legend: { format: '.0%', title: 'accuracy' } } } },
          { mark: { type: 'text', fontSize: 12 }, encoding: { text: { field: 'text' }, color: { condition: { test: 'datum.value > 0.6', value: 'white' }, value: 'black' } } },
        ],
      },
      resolve: { scale: { color: 'shared' } },
    },
  }
}
