import type { Metrics } from '../tasks/types.ts'
import { baseSpec, round4, type Chart } from './chart-types.ts'

/** Points with confidence-interval bars for every metric under a prefix (e.g. `accuracy/<subset>`). */
export function subsetAccuracyChart(metrics: Metrics, o: { prefix: string; name: string; title: string; axis: string; chance?: number; confidence?: number }): Chart | null {
  const values = Object.keys(metrics)
    .filter((k) => k.startsWith(o.prefix) && !k.slice(o.prefix.length).includes('/') && Number.isFinite(metrics[k].value))
    .map((k) => {
      const m = metrics[k]
      const subset = k.slice(o.prefix.length)
      return { subset, label: `${subset} (n=${m.n})`, value: round4(m.value), lo: round4(m.ci?.[0] ?? m.value), hi: round4(m.ci?.[1] ?? m.value), n: m.n }
    })
  if (!values.length) return null
  const level = o.confidence ? `${Math.round(o.confidence * 100)}%` : ''
  const hasCi = Object.keys(metrics).some((k) => k.startsWith(o.prefix) && metrics[k].ci)
  const y = { field: 'label', type: 'nominal', sort: { field: 'value', order: 'descending' }, title: null }
  const x = { type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: o.axis } }
  const tooltip = [{ field: 'subset' }, { field: 'value', format: '.2%' }, { field: 'lo', format: '.2%' }, { field: 'hi', format: '.2%' }, { field: 'n' }]
  const layers: object[] = [
    { mark: { type: 'rule', strokeWidth: 2, color: '#4c78a8' }, encoding: { y, x: { ...x, field: 'lo' }, x2: { field: 'hi' }, tooltip } },
    { mark: { type: 'point', filled: true, size: 70, color: '#1f4e79', opacity: 1 }, encoding: { y, x: { ...x, field: 'value' }, tooltip } },
  ]
  if (o.chance !== undefined) layers.unshift({ data: { values: [{ chance: o.chance }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'chance', type: 'quantitative' } } })
  return {
    name: o.name,
    title: o.title,
    caption: hasCi ? `Point estimate with its ${level} bootstrap confidence interval; n under each label.` : 'Point estimates (the run computed no confidence intervals).',
    spec: {
      ...baseSpec(o.title, o.chance !== undefined ? `dashed line: chance (${o.chance * 100}%)` : undefined),
      width: 420,
      height: { step: 22 },
      data: { values },
      layer: layers,
    },
  }
}
