import type { Metrics } from '../tasks/types.ts'
import { baseSpec, round4, type Chart } from './chart-types.ts'

const SUM = 'sum of log-probs'
const NORM = 'length-normalised'
const IDEAL = 'R* per β (idealised)'
const POLICY = 'R (the policy)'

/**
 * Ranking accuracy R of the policy (flat line) against R*, the accuracy of the idealised DPO policy at each β
 * (points, log β axis), raw and length-normalised: the gap between them is how far training is from its optimum.
 */
export function rankingBetaChart(metrics: Metrics): Chart | null {
  const pts = Object.keys(metrics).flatMap((k) => {
    const m = /^ranking\/(R\*|R\*-normalized)\/beta=(.+)$/.exec(k)
    if (!m || !Number.isFinite(metrics[k].value)) return []
    const mm = metrics[k]
    return [{ series: m[1] === 'R*' ? 'R* (sum of log-probs)' : 'R* (length-normalised)', measure: m[1] === 'R*' ? SUM : NORM, kind: IDEAL, beta: Number(m[2]), value: round4(mm.value), lo: round4(mm.ci?.[0] ?? mm.value), hi: round4(mm.ci?.[1] ?? mm.value) }]
  })
  if (!pts.length) return null
  const flat = [['ranking/R', 'R (sum of log-probs)'], ['ranking/R-normalized', 'R (length-normalised)']]
    .filter(([k]) => metrics[k] && Number.isFinite(metrics[k].value))
    .map(([k, series]) => ({ series, measure: k === 'ranking/R' ? SUM : NORM, kind: POLICY, value: round4(metrics[k].value) }))
  const x = { field: 'beta', type: 'quantitative', scale: { type: 'log' }, title: 'β' }
  const y = { type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'ranking accuracy' } }
  // Colour tells the log-probs (summed or per token), the line tells R* from R: each legend shows the marks it
  // names (a line, solid or dashed), not one circle for four series that differ in two ways.
  const color = { field: 'measure', type: 'nominal', scale: { domain: [SUM, NORM], range: ['#1f77b4', '#ff7f0e'] }, title: 'log-probs', legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 500 } }
  const dash = { field: 'kind', type: 'nominal', scale: { domain: [IDEAL, POLICY], range: [[1, 0], [6, 4]] }, title: null, legend: { symbolType: 'stroke', symbolStrokeColor: '#444', symbolStrokeWidth: 2, symbolSize: 500 } }
  return {
    name: 'ranking-beta',
    title: 'Ranking accuracy R vs idealised R* per β',
    caption: 'Points: R* at each β (bars: confidence interval); dashed lines: the policy\'s R. R below R* means the policy ranks the preferred answer less often than the DPO optimum from its reference would.',
    spec: {
      ...baseSpec('Ranking accuracy R vs idealised R* per β'),
      width: 420,
      height: 240,
      layer: [
        { data: { values: pts }, mark: { type: 'line', opacity: 0.6 }, encoding: { x, y: { ...y, field: 'value' }, color, strokeDash: dash } },
        { data: { values: pts }, mark: { type: 'rule' }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
        { data: { values: pts }, mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y: { ...y, field: 'value' }, color, tooltip: [{ field: 'series' }, { field: 'beta' }, { field: 'value', format: '.2%' }] } },
        ...(flat.length ? [{ data: { values: flat }, mark: { type: 'rule' }, encoding: { y: { ...y, field: 'value' }, color, strokeDash: dash } }] : []),
      ],
    },
  }
}
