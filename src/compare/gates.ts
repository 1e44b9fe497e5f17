import { RmbenchError } from '../errors.ts'
import { holm } from '../stats/exact-tests.ts'
import { didYouMean } from '../util/did-you-mean.ts'
import type { Comparison } from './paired-comparison.ts'

/** A regression gate: the candidate may lose at most `maxDrop` percentage points on `metric`. */
export interface Gate { metric: string; maxDrop: number; from: 'suite' | 'cli' | 'default' }

/** A gate checked against a comparison (baseline = A, candidate = B). */
export interface GateResult {
  metric: string
  maxDrop: number
  baseline: number
  candidate: number
  /** Baseline − candidate in percentage points (positive = worse). */
  drop: number
  ci: [number, number]
  p: number
  /** Holm-adjusted p across the gated metrics: the gate's decision uses this. */
  pAdjusted: number
  test: string
  failed: boolean
  /** Why it passed or failed, in words. */
  reason: string
}

/** The verdict of a gated comparison. */
export interface GateVerdict { alpha: number; gates: GateResult[]; failed: number; passed: boolean }

/** Gates from the suite's `gates.max_drop`, overridden metric by metric from the command line; `score` at 0 when none. */
export function resolveGates(suite: Record<string, number> | undefined, cli: Record<string, number>): Gate[] {
  const gates = new Map<string, Gate>()
  for (const [metric, maxDrop] of Object.entries(suite ?? {})) gates.set(metric, { metric, maxDrop, from: 'suite' })
  for (const [metric, maxDrop] of Object.entries(cli)) gates.set(metric, { metric, maxDrop, from: 'cli' })
  if (!gates.size) gates.set('score', { metric: 'score', maxDrop: 0, from: 'default' })
  return [...gates.values()]
}

const pts = (x: number) => `${x.toFixed(2)} pts`

/**
 * Checks gates: a gate fails only when the drop is larger than its tolerance *and* significant (Holm-adjusted p
 * below alpha across the gated metrics), so noise never fails a build and a significant but tolerated drop
 * never does either. Higher is better for every gated metric.
 */
export function evaluateGates(c: Comparison, gates: Gate[], alpha: number): GateVerdict {
  const byName = new Map(c.metrics.map((m) => [m.metric, m]))
  for (const g of gates)
    if (!byName.has(g.metric)) throw new RmbenchError('E_USAGE', `gate on '${g.metric}' (${g.from === 'suite' ? 'suite gates.max_drop' : '--gate/--max-drop'}): the runs have no such metric.${didYouMean(g.metric, [...byName.keys()])} Metrics: ${[...byName.keys()].slice(0, 12).join(', ')}${byName.size > 12 ? ', …' : ''}.`)
  const rows = gates.map((g) => byName.get(g.metric)!)
  const adjusted = holm(rows.map((m) => (Number.isFinite(m.p) ? m.p : 1)))
  const results = gates.map((g, i): GateResult => {
    const m = rows[i]
    const drop = -100 * m.delta
    const significant = adjusted[i] < alpha
    const tooBig = drop > g.maxDrop
    const failed = significant && tooBig
    const reason = failed
      ? `dropped ${pts(drop)} (tolerance ${pts(g.maxDrop)}), significant (${pPhrase(adjusted[i])} < ${alpha})`
      : !tooBig
        ? drop > 0 ? `dropped ${pts(drop)}, within the tolerance of ${pts(g.maxDrop)}` : `no drop (${drop === 0 ? '±0' : `+${pts(-drop)}`})`
        : `dropped ${pts(drop)} (tolerance ${pts(g.maxDrop)}) but not significantly (${pPhrase(adjusted[i])} ≥ ${alpha}): could be noise`
    return { metric: g.metric, maxDrop: g.maxDrop, baseline: m.a, candidate: m.b, drop, ci: [-100 * m.ci[1], -100 * m.ci[0]], p: m.p, pAdjusted: adjusted[i], test: m.test, failed, reason }
  })
  const failed = results.filter((r) => r.failed).length
  return { alpha, gates: results, failed, passed: failed === 0 }
}

/** A p-value as reports print it. */
export function fmtP(p: number): string {
  return !Number.isFinite(p) ? '—' : p < 1e-4 ? '<1e-4' : p.toFixed(4)
}

/** "p = 0.0123" or "p < 1e-4", for sentences. */
export function pPhrase(p: number): string {
  return Number.isFinite(p) && p < 1e-4 ? 'p < 1e-4' : `p = ${fmtP(p)}`
}
