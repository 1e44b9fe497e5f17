import { normCdf, normQuantile } from '../stats/normal.ts'
import type { RunResult } from '../report/types.ts'
import type { Comparison, MetricComparison } from './paired-comparison.ts'

/**
 * Comparison of two runs from their results.json alone (no per-example scores): each metric's standard error is
 * read back from its interval, and the difference is tested as the difference of two independent normals. Weaker
 * than the paired test (it ignores that both runs scored the same examples), so only a fallback.
 */
export function compareUnpaired(a: { label: string; result: RunResult }, b: { label: string; result: RunResult }, o: { alpha?: number; confidence?: number } = {}): Comparison {
  const ra = a.result, rb = b.result
  const confidence = o.confidence ?? ra.stats?.confidence ?? 0.95
  const alpha = o.alpha ?? Number((1 - confidence).toFixed(10))
  const z = (conf: number) => normQuantile(1 - (1 - conf) / 2)
  const se = (m: RunResult['metrics'][string], conf: number) => (m.se ?? (m.ci ? (m.ci[1] - m.ci[0]) / (2 * z(conf)) : NaN))
  const zc = z(confidence)
  const metrics: MetricComparison[] = Object.keys(ra.metrics).filter((k) => k in rb.metrics).map((k) => {
    const ma = ra.metrics[k], mb = rb.metrics[k]
    const delta = mb.value - ma.value
    const s = Math.hypot(se(ma, ra.stats?.confidence ?? 0.95), se(mb, rb.stats?.confidence ?? 0.95))
    const p = s > 0 ? 2 * (1 - normCdf(Math.abs(delta) / s)) : delta === 0 ? 1 : NaN
    return { metric: k, a: ma.value, b: mb.value, delta, ci: [delta - zc * s, delta + zc * s], p, test: 'unpaired-normal', mde: (normQuantile(1 - alpha / 2) + normQuantile(0.8)) * s, n: Math.min(ma.n, mb.n) }
  })
  return { suite: ra.suite.name, task: ra.suite.task, a: a.label, b: b.label, shared: Math.min(ra.counts.scored, rb.counts.scored), onlyA: 0, onlyB: 0, alpha, confidence, resamples: 0, seed: 0, metrics, paired: false }
}
