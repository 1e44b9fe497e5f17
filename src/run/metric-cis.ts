import type { Example } from '../data/types.ts'
import { bcaCi, drawClusters, percentileCi } from '../stats/bootstrap.ts'
import { createRng } from '../stats/rng.ts'
import type { SuiteSpec } from '../suite/types.ts'
import type { Analysis } from '../tasks/analyses.ts'
import type { ExampleScores, MeanStatistic, Metrics, Task } from '../tasks/types.ts'
import { exampleResampler } from '../tasks/example-resampler.ts'
import { bootstrapSettings, meanReplicates } from '../tasks/mean-replicates.ts'
import type { CiSummary } from '../report/types.ts'

/** What the CI step needs from a finished run. */
export interface CiInput {
  task: Task
  analyses: Analysis[]
  examples: Example[]
  scores: ExampleScores
  tokens: ExampleScores
  suite: SuiteSpec
  /** The task's mean statistic, built already (a streamed run builds it from typed arrays, keeping no examples). */
  stat?: MeanStatistic
}

export type { CiSummary }


/** Delete-a-group jackknife of a mean statistic (exact leave-one-out when units ≤ groups). */
function meanJackknife(stat: MeanStatistic, groups: number): Map<string, Float64Array> {
  const n = stat.strata.length
  const K = stat.values.length
  const nStrata = stat.strata.reduce((m, s) => Math.max(m, s + 1), 0)
  const G = Math.min(groups, n)
  const total = Array.from({ length: nStrata }, () => new Float64Array(K))
  const counts = new Float64Array(nStrata)
  for (let i = 0; i < n; i++) {
    counts[stat.strata[i]]++
    for (let k = 0; k < K; k++) total[stat.strata[i]][k] += stat.values[k][i]
  }
  const out = new Map<string, Float64Array>()
  for (let g = 0; g < G; g++) {
    const sums = total.map((r) => Float64Array.from(r))
    const c = Float64Array.from(counts)
    for (let i = g; i < n; i += G) {
      c[stat.strata[i]]--
      for (let k = 0; k < K; k++) sums[stat.strata[i]][k] -= stat.values[k][i]
    }
    for (const [key, v] of Object.entries(stat.combine(sums, c))) {
      let arr = out.get(key)
      if (!arr) out.set(key, (arr = new Float64Array(G).fill(NaN)))
      arr[g] = v
    }
  }
  return out
}

/**
 * Replicates of the metrics the fast mean path does not cover, clusters resampled within groups. An analysis with a
 * replicator is evaluated on each draw's example weights; the rest (other analyses, a task's composite metrics) are
 * recomputed on renamed copies of the drawn examples — skipped when nothing needs them. Both read the same draws.
 */
function genericReplicates(input: CiInput, resamples: number, seed: number, keys: Set<string>, jackGroups: number): { reps: Map<string, Float64Array>; jack: Map<string, Float64Array> } {
  const scored = input.examples.filter((ex) => input.scores.has(ex.id))
  // Failed examples are not resampled but stay in view, unscored, so a subset whose every example failed is still
  // known to be in the data (the task reports it as not measured, never as a typo in the suite).
  const unscored = input.examples.filter((ex) => !input.scores.has(ex.id))
  const resampler = exampleResampler(scored, input.task, input.suite)
  const taskFast = input.task.replicator?.(scored, input.scores, input.suite, input.tokens, resampler.clusterOf)
  const fast = [...(taskFast ? [taskFast] : []), ...input.analyses.flatMap((a) => (a.replicator ? [a.replicator(scored, input.scores, input.tokens, input.suite)] : []))]
  const fastKeys = new Set(fast.flatMap((r) => r.keys))
  const slow = input.analyses.filter((a) => !a.replicator)
  const needSlow = [...keys].some((k) => !fastKeys.has(k))
  const weights = new Float64Array(scored.length)
  const evaluate = (draw: Int32Array): Record<string, number> => {
    const out: Record<string, number> = {}
    if (needSlow) {
      const c = resampler.copies(draw, input.scores, input.tokens)
      const m = taskFast ? {} : input.task.metrics(unscored.length ? [...c.examples, ...unscored] : c.examples, c.scores, input.suite, c.tokens)
      for (const a of slow) Object.assign(m, a.analyze(c.examples, c.scores, c.tokens, input.suite))
      for (const [k, v] of Object.entries(m)) out[k] = v.value
    }
    if (fast.length) {
      resampler.weights(draw, weights)
      for (const r of fast) Object.assign(out, r.evaluate(weights))
    }
    return out
  }
  const rng = createRng(seed)
  const draw = new Int32Array(resampler.clusters)
  const collect = (into: Map<string, Float64Array>, size: number, b: number, m: Record<string, number>) => {
    for (const key of keys) {
      let arr = into.get(key)
      if (!arr) into.set(key, (arr = new Float64Array(size).fill(NaN)))
      if (m[key] !== undefined) arr[b] = m[key]
    }
  }
  const reps = new Map<string, Float64Array>()
  for (let b = 0; b < resamples; b++) collect(reps, resamples, b, evaluate(drawClusters(resampler.stratumClusters, rng, draw)))
  const jack = new Map<string, Float64Array>()
  const G = Math.min(jackGroups, resampler.clusters)
  for (let g = 0; g < G && jackGroups > 0; g++) {
    const keep = Int32Array.from({ length: resampler.clusters }, (_, i) => i).filter((i) => i % G !== g)
    collect(jack, G, g, evaluate(keep))
  }
  return { reps, jack }
}

/**
 * Adds a seeded bootstrap CI to every metric (in place): task metrics with a mean statistic get fast typed-array
 * resampling within strata; the rest (analyses, composite metrics) are recomputed on resampled examples.
 */
export function attachCis(metrics: Metrics, input: CiInput): CiSummary | null {
  const s = bootstrapSettings(input.suite)
  if (s.resamples === 0 || Object.keys(metrics).length === 0) return null
  const started = performance.now()
  const ci = (reps: Float64Array, estimate: number, jack?: Float64Array): [number, number] =>
    s.method === 'bca' && jack ? bcaCi(reps, estimate, jack, s.confidence) : percentileCi(reps, s.confidence)
  const done = new Set<string>()
  const stat = input.stat ?? input.task.meanStatistic?.(input.examples, input.scores, input.suite)
  if (stat && stat.strata.length) {
    const reps = meanReplicates(stat, s.resamples, s.seed)
    const jack = s.method === 'bca' ? meanJackknife(stat, 2000) : undefined
    for (const [key, r] of reps) {
      const m = metrics[key]
      if (!m) continue
      m.ci = ci(r, m.value, jack?.get(key))
      m.resamples = s.resamples
      done.add(key)
    }
  }
  const exact = new Set(input.task.exactMetrics ?? [])
  const rest = new Set(Object.keys(metrics).filter((k) => !done.has(k) && !exact.has(k)))
  if (rest.size && s.genericResamples > 0 && input.examples.length) {
    // A different stream from the fast path's, so adding an analysis never moves the task's intervals.
    const { reps, jack } = genericReplicates(input, s.genericResamples, s.seed + 1, rest, s.method === 'bca' ? 50 : 0)
    for (const key of rest) {
      const r = reps.get(key)
      const finite = r ? r.reduce((n, x) => n + (Number.isFinite(x) ? 1 : 0), 0) : 0
      if (!finite) continue
      metrics[key].ci = ci(r!, metrics[key].value, jack.get(key))
      // Resamples where the metric is undefined (a subset drawn empty of what it needs) do not count.
      metrics[key].resamples = finite
    }
  }
  return { ...s, strata: 'group', ms: Math.round(performance.now() - started) }
}
