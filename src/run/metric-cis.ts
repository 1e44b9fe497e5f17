import type { Example } from '../data/types.ts'
import { bcaCi, drawClusters, percentileCi, type BootstrapSettings } from '../stats/bootstrap.ts'
import { createRng } from '../stats/rng.ts'
import type { SuiteSpec } from '../suite/types.ts'
import type { Analysis } from '../tasks/analyses.ts'
import type { ExampleScores, MeanStatistic, Metrics, Task } from '../tasks/types.ts'
import { exampleResampler } from './example-resampler.ts'
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

/** The suite's bootstrap settings with rmbench's defaults. */
export function bootstrapSettings(suite: SuiteSpec): BootstrapSettings & { genericResamples: number } {
  const s = suite.stats ?? {}
  const resamples = s.bootstrap ?? 10000
  return { resamples, seed: s.seed ?? 0, confidence: s.confidence ?? 0.95, method: s.method ?? 'percentile', genericResamples: Math.min(resamples, s.generic_resamples ?? 1000) }
}

/** Mulberry32's output for state `s` (as createRng), scaled to an index below `m`. */
const drawIndex = (s: number, m: number): number => {
  let x = s
  x = Math.imul(x ^ (x >>> 15), x | 1)
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
  return ((((x ^ (x >>> 14)) >>> 0) * m) / 4294967296) | 0
}

/**
 * Sum of `values.length` values drawn with replacement from `values`: the bootstrap's hot loop, kept monomorphic
 * and free of closures. With `replay`, the rng state is restored afterwards so every value column of a unit sees
 * the same draws.
 */
function drawSum(values: Float64Array, state: Uint32Array, replay: boolean): number {
  const m = values.length
  let s = state[0]
  let acc = 0
  for (let j = 0; j < m; j++) {
    s = (s + 0x6d2b79f5) >>> 0
    acc += values[drawIndex(s, m)]
  }
  if (!replay) state[0] = s
  return acc
}

/** drawSum over a column of few distinct values held as one-byte codes into `table`: the same draws and sums. */
function drawSumCoded(codes: Uint8Array, table: Float64Array, state: Uint32Array, replay: boolean): number {
  const m = codes.length
  let s = state[0]
  let acc = 0
  for (let j = 0; j < m; j++) {
    s = (s + 0x6d2b79f5) >>> 0
    acc += table[codes[drawIndex(s, m)]]
  }
  if (!replay) state[0] = s
  return acc
}

/** One stratum's values of one column, gathered in draw order: as codes when it has at most 256 distinct values. */
type Column = { values: Float64Array } | { codes: Uint8Array; table: Float64Array }

function gather(values: Float64Array, list: number[]): Column {
  const index = new Map<number, number>()
  const codes = new Uint8Array(list.length)
  for (let j = 0; j < list.length; j++) {
    const v = values[list[j]]
    let c = index.get(v)
    // A Map takes -0 for 0, which a sum could tell apart; more than 256 values need more than a byte. Such a
    // column is gathered as it is.
    if (Object.is(v, -0) || (c === undefined && index.size === 256)) return { values: Float64Array.from(list, (i) => values[i]) }
    if (c === undefined) index.set(v, (c = index.size))
    codes[j] = c
  }
  return { codes, table: Float64Array.from(index.keys()) }
}

/**
 * Replicates of a mean statistic: each resample redraws units within strata and recombines the sums. Each
 * stratum's values are first gathered into arrays of their own, in draw order, and a column of few distinct
 * values (pairwise credits are 0, ½ or 1) into one byte a unit: a draw then reads one small array instead of
 * an index list and a column of the whole data, which for a million units is most of the time (cache misses).
 */
export function meanReplicates(stat: MeanStatistic, resamples: number, seed: number): Map<string, Float64Array> {
  const n = stat.strata.length
  const K = stat.values.length
  const nStrata = stat.strata.reduce((m, s) => Math.max(m, s + 1), 0)
  // Each example is its own cluster: clusterPlan's per-stratum lists, without its per-cluster arrays (a million
  // singleton arrays would outweigh the data).
  const byStratum = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const list = byStratum.get(stat.strata[i])
    if (list) list.push(i)
    else byStratum.set(stat.strata[i], [i])
  }
  const order = [...byStratum.keys()].sort((a, b) => a - b)
  const columns = order.map((k) => stat.values.map((v) => gather(v, byStratum.get(k)!)))
  const sums = Array.from({ length: nStrata }, () => new Float64Array(K))
  const counts = new Float64Array(nStrata)
  for (const k of order) counts[k] = byStratum.get(k)!.length
  byStratum.clear()
  const state = Uint32Array.of(((seed >>> 0) ^ 0x9e3779b9) >>> 0)
  const out = new Map<string, Float64Array>()
  for (let b = 0; b < resamples; b++) {
    for (const row of sums) row.fill(0)
    for (let s = 0; s < columns.length; s++) {
      const row = sums[order[s]]
      for (let k = 0; k < K; k++) {
        const c = columns[s][k]
        row[k] += 'codes' in c ? drawSumCoded(c.codes, c.table, state, k < K - 1) : drawSum(c.values, state, k < K - 1)
      }
    }
    for (const [key, v] of Object.entries(stat.combine(sums, counts))) {
      let arr = out.get(key)
      if (!arr) out.set(key, (arr = new Float64Array(resamples).fill(NaN)))
      arr[b] = v
    }
  }
  return out
}

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
