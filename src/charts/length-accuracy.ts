import type { Metrics } from '../tasks/types.ts'
import { baseSpec, round4, type Chart, type ChartRow } from './chart-types.ts'

interface Bar { when: string; value: number; lo: number | null; hi: number | null; n: number }

/** Accuracy over every (chosen, rejected) pair of a row, split by which is longer, from rows (no interval): score ties earn ½. */
export function lengthSplitAccuracy(rows: ChartRow[]): Bar[] {
  const acc = { longer: { sum: 0, n: 0 }, shorter: { sum: 0, n: 0 } }
  for (const r of rows) {
    if (!r.chars) continue
    r.chosen.forEach((c, i) => r.rejected.forEach((s, j) => {
      const lc = r.chars!.chosen[i], lr = r.chars!.rejected[j]
      if (lc === lr) return
      const a = lc > lr ? acc.longer : acc.shorter
      a.sum += c > s ? 1 : c === s ? 0.5 : 0
      a.n++
    }))
  }
  return (['longer', 'shorter'] as const).filter((k) => acc[k].n).map((k) => ({ when: `chosen ${k}`, value: acc[k].sum / acc[k].n, lo: null, hi: null, n: acc[k].n }))
}

/**
 * Accuracy when the chosen answer is longer vs shorter than the rejected one: the length-bias analysis's metrics
 * with their intervals when the suite ran it, else the same split computed from the per-example rows.
 */
export function lengthAccuracyChart(metrics: Metrics, rows: ChartRow[]): Chart | null {
  const fromMetrics: Bar[] = (['longer', 'shorter'] as const)
    .map((k) => ({ k, m: metrics[`length/accuracy-chosen-${k}`] }))
    .filter(({ m }) => m && Number.isFinite(m.value))
    .map(({ k, m }) => ({ when: `chosen ${k}`, value: m.value, lo: m.ci?.[0] ?? null, hi: m.ci?.[1] ?? null, n: m.n }))
  const bars = (fromMetrics.length ? fromMetrics : lengthSplitAccuracy(rows)).map((b) => ({ ...b, value: round4(b.value), lo: b.lo === null ? null : round4(b.lo), hi: b.hi === null ? null : round4(b.hi), label: `${b.when} (n=${b.n})`, textAt: round4(Math.max(b.value, b.hi ?? b.value)) }))
  if (!bars.length) return null
  const y = { field: 'label', type: 'nominal', title: null, sort: null }
  const x = { type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'accuracy' } }
  const layers: object[] = [
    { mark: { type: 'bar', size: 22, color: '#76b7b2' }, encoding: { y, x: { ...x, field: 'value' }, tooltip: [{ field: 'when' }, { field: 'value', format: '.2%' }, { field: 'n' }] } },
    { mark: { type: 'text', align: 'left', dx: 5 }, encoding: { y, x: { ...x, field: 'textAt' }, text: { field: 'value', format: '.1%' } } },
  ]
  if (bars.some((b) => b.lo !== null)) layers.push({ mark: { type: 'rule', color: '#222', strokeWidth: 2 }, encoding: { y, x: { ...x, field: 'lo' }, x2: { field: 'hi' } } })
  return {
    name: 'length-accuracy',
    title: 'Accuracy when the chosen answer is longer vs shorter',
    caption: 'A reward model that reads quality, not length, scores about the same in both rows; a large gap is length bias. Pairs of equal length are left out.',
    spec: { ...baseSpec('Accuracy when the chosen answer is longer vs shorter'), width: 420, height: { step: 34 }, data: { values: bars }, layer: layers },
  }
}
