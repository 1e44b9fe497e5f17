import { quantileSorted } from '../stats/bootstrap.ts'
import { baseSpec, round4, type Chart, type ChartRow } from './chart-types.ts'

/** Box statistics of one group: quartiles, Tukey whiskers (the most extreme values within 1.5 IQR), share below zero. */
export interface BoxStats { group: string; n: number; q1: number; median: number; q3: number; lo: number; hi: number; min: number; max: number; negative: number }

/** Tukey box statistics of a list of values (NaN-free). */
export function boxStats(group: string, values: number[]): BoxStats {
  const s = Float64Array.from(values).sort()
  const q1 = quantileSorted(s, 0.25), q3 = quantileSorted(s, 0.75)
  const fence = 1.5 * (q3 - q1)
  let lo = q1, hi = q3
  for (const v of s) if (v >= q1 - fence) { lo = Math.min(v, q1); break }
  for (let i = s.length - 1; i >= 0; i--) if (s[i] <= q3 + fence) { hi = Math.max(s[i], q3); break }
  return { group, n: s.length, q1, median: quantileSorted(s, 0.5), q3, lo, hi, min: s[0], max: s[s.length - 1], negative: s.filter((v) => v < 0).length / s.length }
}

/** A row's margin: chosen − best rejected for pairs and best-of-n; the mean diagonal margin for the style matrix. */
export function rowMargin(task: string, r: ChartRow): number {
  if (task === 'style-matrix') return r.chosen.reduce((a, c, i) => a + c - r.rejected[i], 0) / r.chosen.length
  return r.chosen[0] - Math.max(...r.rejected)
}

/**
 * Margin distribution per subset as box plots. Statistics are computed here, not by vega, so the spec stays
 * small for 100,000-example runs; the text at the right is the share of examples ranked the wrong way.
 */
export function marginDistributionChart(task: string, rows: ChartRow[]): Chart | null {
  const byGroup = new Map<string, number[]>()
  for (const r of rows) {
    if (!r.chosen.length || !r.rejected.length) continue
    const m = rowMargin(task, r)
    if (!Number.isFinite(m)) continue
    const list = byGroup.get(r.group) ?? []
    list.push(m)
    byGroup.set(r.group, list)
  }
  if (!byGroup.size) return null
  const values = [...byGroup].sort(([a], [b]) => a.localeCompare(b)).map(([g, v]) => {
    const b = boxStats(g, v)
    return { ...b, q1: round4(b.q1), median: round4(b.median), q3: round4(b.q3), lo: round4(b.lo), hi: round4(b.hi), min: round4(b.min), max: round4(b.max), wrong: b.min === 0 && b.max === 0 ? 'all ties' : `${(100 * b.negative).toFixed(0)}% < 0` }
  })
  const what = task === 'style-matrix' ? 'mean of chosen − rejected over the three same-style pairs' : task === 'best-of-n' ? 'first correct − best incorrect' : 'chosen − rejected'
  const y = { field: 'group', type: 'nominal', title: null, sort: null }
  const x = { type: 'quantitative', title: `reward margin (${what})` }
  const tooltip = ['n', 'min', 'q1', 'median', 'q3', 'max', 'wrong'].map((field) => ({ field }))
  return {
    name: 'margin-distribution',
    title: 'Reward margin by subset',
    caption: `Box: quartiles; line: median; whiskers: the most extreme margins within 1.5 IQR; dots: min and max. Margins below 0 are examples ranked the wrong way.`,
    spec: {
      ...baseSpec('Reward margin by subset', what),
      width: 420,
      height: { step: 24 },
      data: { values },
      layer: [
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
        { mark: { type: 'rule', color: '#555' }, encoding: { y, x: { ...x, field: 'lo' }, x2: { field: 'hi' }, tooltip } },
        { mark: { type: 'bar', size: 14, color: '#9ecae9', stroke: '#4c78a8' }, encoding: { y, x: { ...x, field: 'q1' }, x2: { field: 'q3' }, tooltip } },
        { mark: { type: 'tick', color: '#1f4e79', size: 14, thickness: 2 }, encoding: { y, x: { ...x, field: 'median' }, tooltip } },
        { mark: { type: 'point', size: 12, color: '#777' }, encoding: { y, x: { ...x, field: 'min' } } },
        { mark: { type: 'point', size: 12, color: '#777' }, encoding: { y, x: { ...x, field: 'max' } } },
        { mark: { type: 'text', align: 'left', dx: 4, color: '#444' }, encoding: { y, x: { value: 424 }, text: { field: 'wrong' } } },
      ],
    },
  }
}
