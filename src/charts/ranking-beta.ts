import type { Metrics } from '../tasks/types.ts'
import { baseSpec, round4, type Chart } from './chart-types.ts'

/**
 * Ranking accuracy R of the policy (flat line) against R*, the accuracy of the idealised DPO policy at each β
 * (points, log β axis), raw and length-normalised: the gap between them is how far training is from its optimum.
 */
export function rankingBetaChart(metrics: Metrics): Chart | null {
  const pts = Object.keys(metrics).flatMap((k) => {
    const m = /^ranking\/(R\*|R\*-normalized)\/beta=(.+)$/.exec(k)
    if (!m || !Number.isFinite(metrics[k].value)) return []
    const mm = metrics[k]
    return [{ series: m[1] === 'R*' ? 'R* (sum of log-probs)' : 'R* (length-normalised)', beta: Number(m[2]), value: round4(mm.value), lo: round4(mm.ci?.[0] ?? mm.value), hi: round4(mm.ci?.[1] ?? mm.value) }]
  })
  if (!pts.length) return null
  const flat = [['ranking/R', 'R (sum of log-probs)'], ['ranking/R-normalized', 'R (length-normalised)']]
    .filter(([k]) => metrics[k] && Number.isFinite(metrics[k].value))
    .map(([k, series]) => ({ series, value: round4(metrics[k].value) }))
  const x = { field: 'beta', type: 'quantitative', scale: { type: 'log' }, title: 'β' }
  const y = { type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'ranking accuracy' } }
  const colors = { domain: ['R* (sum of log-probs)', 'R* (length-normalised)', 'R (sum of log-probs)', 'R (length-normalised)'], range: ['#1f77b4', '#ff7f0e', '#1f77b4', '#ff7f0e'] }
  const color = { field: 'series', type: 'nominal', scale: colors, title: null }
  return {
    name: 'ranking-beta',
    title: 'Ranking accuracy R vs idealised R* per β',
    caption: 'Points: R* at each β (bars: confidence interval); dashed lines: the policy\'s R. R below R* means the policy ranks the preferred answer less often than the DPO optimum from its reference would.',
    spec: {
      ...baseSpec('Ranking accuracy R vs idealised R* per β'),
      width: 420,
      height: 240,
      layer: [
        { data: { values: pts }, mark: { type: 'line', opacity: 0.5 }, encoding: { x, y: { ...y, field: 'value' }, color } },
        { data: { values: pts }, mark: { type: 'rule' }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
        { data: { values: pts }, mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y: { ...y, field: 'value' }, color, tooltip: [{ field: 'series' }, { field: 'beta' }, { field: 'value', format: '.2%' }] } },
        ...(flat.length ? [{ data: { values: flat }, mark: { type: 'rule', strokeDash: [6, 4] }, encoding: { y: { ...y, field: 'value' }, color } }] : []),
      ],
    },
  }
}
