import type { Example } from '../data/types.ts'
import { RmbenchError } from '../errors.ts'
import { exampleResampler } from '../tasks/example-resampler.ts'
import { bootstrapSettings, meanReplicates } from '../tasks/mean-replicates.ts'
import { drawClusters, percentileCi } from '../stats/bootstrap.ts'
import { holm, mcnemarExact } from '../stats/exact-tests.ts'
import { mean } from '../stats/mean.ts'
import { normQuantile } from '../stats/normal.ts'
import { createRng } from '../stats/rng.ts'
import type { SuiteSpec } from '../suite/types.ts'
import { tasks } from '../tasks/registry.ts'
import { taskOfRun } from '../tasks/judge/judge-task.ts'
import type { MeanStatistic, Metrics, Task } from '../tasks/types.ts'
import type { RunResult } from '../report/types.ts'
import type { LoadedRun } from './load-run.ts'

/** One metric of two runs on their shared examples. */
export interface MetricComparison {
  metric: string
  a: number
  b: number
  /** b − a. */
  delta: number
  /** Paired-bootstrap interval of delta. */
  ci: [number, number]
  /** Two-sided p-value for delta = 0. */
  p: number
  test: 'mcnemar-exact' | 'paired-bootstrap' | 'unpaired-normal'
  /** Holm-adjusted p across the per-subset accuracies (absent for other metrics). */
  pHolm?: number
  /** Discordant pairs (a right & b wrong, a wrong & b right), for McNemar. */
  discordant?: [number, number]
  /** Smallest |delta| this run size detects with 80% power at the given alpha. */
  mde: number
  n: number
}

/** Two runs of one suite, compared on the examples both scored. */
export interface Comparison {
  suite: string
  task: string
  a: string
  b: string
  shared: number
  onlyA: number
  onlyB: number
  alpha: number
  confidence: number
  resamples: number
  seed: number
  metrics: MetricComparison[]
  /** False when a run had no scores.jsonl and the comparison fell back to the runs' own intervals. */
  paired: boolean
}

/** Options of a comparison (defaults from the suite's stats settings). */
export interface CompareOptions {
  resamples?: number; seed?: number; confidence?: number; alpha?: number
  /** Compare only these metrics (a leaderboard needs `score` alone; recomputed metrics are the slow part). */
  only?: string[]
}

const POWER_Z = normQuantile(0.8)

/** Replicates of b − a by recomputation on the same resampled examples. */
function genericDiffs(tasks: [Task, Task], spec: SuiteSpec, ex: Example[], A: LoadedRun, B: LoadedRun, resamples: number, seed: number, keys: string[]): Map<string, Float64Array> {
  const resampler = exampleResampler(ex, tasks[0], spec)
  const rng = createRng(seed)
  const draw = new Int32Array(resampler.clusters)
  const out = new Map(keys.map((k) => [k, new Float64Array(resamples).fill(NaN)]))
  const side = (run: LoadedRun, task: Task, d: Int32Array): Metrics => {
    const c = resampler.copies(d, run.scores, run.tokens)
    return task.metrics(c.examples, c.scores, spec, c.tokens)
  }
  for (let b = 0; b < resamples; b++) {
    drawClusters(resampler.stratumClusters, rng, draw)
    const ma = side(A, tasks[0], draw)
    const mb = side(B, tasks[1], draw)
    for (const k of keys) if (ma[k] && mb[k]) out.get(k)![b] = mb[k].value - ma[k].value
  }
  return out
}

/** Replicates of b − a from the task's mean statistic: both runs' values drawn with the same indices. */
function meanDiffs(a: MeanStatistic, b: MeanStatistic, resamples: number, seed: number): Map<string, Float64Array> {
  const K = a.values.length
  const both: MeanStatistic = {
    strata: a.strata,
    values: [...a.values, ...b.values],
    combine(sums, counts) {
      const ra = a.combine(sums.map((r) => r.subarray(0, K)), counts)
      const rb = b.combine(sums.map((r) => r.subarray(K)), counts)
      return Object.fromEntries(Object.keys(ra).filter((k) => k in rb).map((k) => [k, rb[k] - ra[k]]))
    },
  }
  return meanReplicates(both, resamples, seed)
}

/** Two runs are comparable only when they ran the same suite file (name, task and hash): a coded error otherwise. */
export function assertSameSuite(A: { label: string; result: RunResult }, B: { label: string; result: RunResult }): void {
  const [ra, rb] = [A.result, B.result]
  if (ra.suite.name !== rb.suite.name || ra.suite.task !== rb.suite.task)
    throw new RmbenchError('E_COMPARE', `${A.label} ran suite '${ra.suite.name}' (${ra.suite.task}), ${B.label} ran '${rb.suite.name}' (${rb.suite.task}): only runs of the same suite can be compared.`)
  if (ra.suite.hash !== rb.suite.hash)
    throw new RmbenchError('E_COMPARE', `${A.label} and ${B.label} ran different versions of suite '${ra.suite.name}' (suite hash ${ra.suite.hash.slice(0, 12)} vs ${rb.suite.hash.slice(0, 12)}): re-run one so both use the same suite file.`)
}

/** Paired comparison of two runs of the same suite: differences with paired-bootstrap CIs, exact McNemar on accuracies, Holm across subsets, minimum detectable effects. */
export function comparePaired(A: LoadedRun, B: LoadedRun, opts: CompareOptions = {}): Comparison {
  const [ra, rb] = [A.result, B.result]
  assertSameSuite(A, B)
  const spec = ra.suite.spec as SuiteSpec
  // Each run's metrics as it computed them: an LLM judge's run reads verdicts, a reward model's run rewards.
  const [task, taskB] = [ra, rb].map((r) => taskOfRun(tasks.get(r.suite.task), r.provenance.judge))
  const inB = new Map(B.examples.map((e) => [e.id, e]))
  const shared = A.examples.filter((e) => inB.has(e.id))
  for (const e of shared)
    if (inB.get(e.id)!.group !== e.group) throw new RmbenchError('E_COMPARE', `example '${e.id}' is in subset '${e.group}' in ${A.label} but '${inB.get(e.id)!.group}' in ${B.label}: the runs read different data.`)
  if (!shared.length) throw new RmbenchError('E_COMPARE', `${A.label} and ${B.label} share no scored example ids: nothing to compare.`)
  const s = bootstrapSettings(spec)
  const resamples = opts.resamples ?? s.resamples
  const seed = opts.seed ?? s.seed
  const confidence = opts.confidence ?? s.confidence
  const alpha = opts.alpha ?? Number((1 - confidence).toFixed(10))
  const ma = task.metrics(shared, A.scores, spec, A.tokens)
  const mb = taskB.metrics(shared, B.scores, spec, B.tokens)
  const keys = Object.keys(ma).filter((k) => k in mb && (!opts.only || opts.only.includes(k)))

  const diffs = new Map<string, Float64Array>()
  const sa = task.meanStatistic?.(shared, A.scores, spec)
  const sb = taskB.meanStatistic?.(shared, B.scores, spec)
  if (sa && sb && resamples > 0) for (const [k, v] of meanDiffs(sa, sb, resamples, seed)) diffs.set(k, v)
  const rest = keys.filter((k) => !diffs.has(k))
  if (rest.length && resamples > 0) for (const [k, v] of genericDiffs([task, taskB], spec, shared, A, B, Math.min(resamples, s.genericResamples), seed + 1, rest)) diffs.set(k, v)

  // Exact McNemar where each example is simply right or wrong in both runs.
  const credits = task.credit && taskB.credit ? shared.map((e) => [task.credit!(e, A.scores.get(e.id)!, spec), taskB.credit!(e, B.scores.get(e.id)!, spec), e.group] as const) : []
  const binary = credits.length > 0 && credits.every(([x, y]) => (x === 0 || x === 1) && (y === 0 || y === 1))
  const discordant = (group?: string): [number, number] => {
    let b = 0
    let c = 0
    for (const [x, y, g] of credits) {
      if (group !== undefined && g !== group) continue
      if (x === 1 && y === 0) b++
      else if (x === 0 && y === 1) c++
    }
    return [b, c]
  }
  const z = normQuantile(1 - alpha / 2) + POWER_Z
  const rows: MetricComparison[] = keys.map((k) => {
    const reps = diffs.get(k) ?? new Float64Array()
    const finite = reps.filter(Number.isFinite)
    const delta = mb[k].value - ma[k].value
    const m = mean(finite)
    const sd = Math.sqrt(finite.reduce((x, y) => x + (y - m) ** 2, 0) / Math.max(1, finite.length - 1))
    const row: MetricComparison = { metric: k, a: ma[k].value, b: mb[k].value, delta, ci: finite.length ? percentileCi(reps, confidence) : [NaN, NaN], p: NaN, test: 'paired-bootstrap', mde: sd > 0 ? z * sd : NaN, n: ma[k].n }
    const group = k === 'accuracy' ? undefined : k.startsWith('accuracy/') ? k.slice('accuracy/'.length) : null
    if (binary && group !== null) {
      row.discordant = discordant(group)
      row.p = mcnemarExact(...row.discordant)
      row.test = 'mcnemar-exact'
    } else if (finite.length) {
      let le = 0
      let ge = 0
      for (const d of finite) {
        if (d <= 0) le++
        if (d >= 0) ge++
      }
      // Two-sided bootstrap p: how often the resampled difference falls on the other side of zero.
      row.p = delta === 0 && sd === 0 ? 1 : Math.min(1, (2 * Math.min(le, ge)) / finite.length)
    }
    return row
  })
  const family = rows.filter((r) => r.metric.startsWith('accuracy/') && Number.isFinite(r.p))
  holm(family.map((r) => r.p)).forEach((p, i) => (family[i].pHolm = p))
  return { suite: ra.suite.name, task: ra.suite.task, a: A.label, b: B.label, shared: shared.length, onlyA: A.examples.length - shared.length, onlyB: B.examples.length - shared.length, alpha, confidence, resamples, seed, metrics: rows, paired: true }
}
