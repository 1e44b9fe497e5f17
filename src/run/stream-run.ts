import { closeSync, openSync, writeSync } from 'node:fs'
import { join, relative } from 'node:path'
import { canStreamSources, streamDataset, type StreamedDataset } from '../data/stream-dataset.ts'
import type { Example } from '../data/types.ts'
import { WorstKeeper } from '../report/worst-examples.ts'
import { writeRun } from '../report/write-run.ts'
import { ExplorerWriter } from '../report/explorer/explorer-page.ts'
import { runExplorerItem } from '../report/explorer/run-explorer.ts'
import type { Scored } from '../runners/types.ts'
import { createRng } from '../stats/rng.ts'
import { TypedList } from '../util/typed-list.ts'
import { addCredit, pairCredit, pairwiseMetricsFromSums, pairwiseStatistic, type CreditSums } from '../tasks/pairwise/pairwise-task.ts'
import { tasks } from '../tasks/registry.ts'
import type { TaskRequest } from '../tasks/types.ts'
import { attachCisRemembered, dataKey } from './ci-memo.ts'
import { requestKey } from './plan.ts'
import { cacheRecorder, openRecords, planRecorded, prepareOutDir, type RunRecords } from './run-records.ts'
import { runResult, scoredRow } from './run-result.ts'
import type { RunOptions, RunOutcome } from './run-suite.ts'
import { scoreRequests, scorerFor } from './score-requests.ts'

/** Examples read, scored and reduced at a time. */
const WINDOW = 1024
/** Rows the charts of a streamed run are drawn from (a uniform sample; all of them below this). */
export const CHART_SAMPLE = 5000

/** Why a run cannot stream (null when it can): streaming covers pairwise suites without analyses, samples or shards. */
export function whyNotStream(o: RunOptions): string | null {
  const spec = o.suite.spec
  const sources = Array.isArray(spec.data) ? spec.data : [spec.data]
  if (spec.task !== 'pairwise') return `task ${spec.task} (streaming covers pairwise suites)`
  if (o.runner.capabilities.judge) return `model ${o.runner.id} is an LLM judge (judge runs hold their examples)`
  if (spec.analyses?.length) return `analyses ${spec.analyses.join(', ')} read every example`
  if (!canStreamSources(sources, spec)) return 'a sample needs every row before it draws'
  if (o.shard || o.expectDatasetHash) return 'shards and merges hold their examples'
  if (o.runner.perExample || o.runner.reconcile) return `model ${o.runner.id} looks scores up by example id`
  return null
}

/**
 * A pairwise run that never holds the dataset: windows of examples are read, scored (through the run's records,
 * or straight from a cheap runner), written to scores.jsonl and reduced to per-pair credits and group ids in
 * typed arrays, from which metrics and bootstrap intervals are computed as the in-memory run computes them.
 * Memory stays flat in dataset size but for a few numbers per pair (and, for models worth recording, the records).
 */
export async function streamRun(o: RunOptions): Promise<RunOutcome> {
  const started = new Date()
  // The suite as this run applies it: a --limit is the suite's limit (a section then may be partial, not a typo).
  const spec = o.limit !== undefined ? { ...o.suite.spec, limit: o.limit } : o.suite.spec
  const task = tasks.get('pairwise', o.suite.file)
  task.check?.(spec)
  const sources = Array.isArray(spec.data) ? spec.data : [spec.data]
  // A cheap runner (a baseline) costs less to re-score than to record: nothing is recorded or cached for it.
  const records = o.runner.cheap ? null : openRecords(o)
  const outDir = records?.outDir ?? prepareOutDir(o)
  const ties = spec.score?.ties ?? 'wrong'

  const sums: CreditSums = new Map()
  const groupOf = new TypedList((n) => new Int32Array(n))
  const credits = new TypedList((n) => new Float64Array(n))
  const groupIndex = new Map<string, number>()
  // Subsets with a failed pair: with the scored ones, every subset of the data (a section's wholly failed subset is not a typo).
  const failedGroups = new Set<string>()
  const failed = new Map<string, { code: string; message: string }>()
  const worst = new WorstKeeper()
  const sample: { at: number; row: Record<string, unknown> }[] = []
  const rng = createRng(spec.stats?.seed ?? 0)
  const counts = { examples: 0, scored: 0, failed: 0, requests: 0, unique: 0, cached: 0 }
  let scoringMs = 0
  let errors = 0
  let data: StreamedDataset | undefined
  const out = openSync(join(outDir, 'scores.jsonl'), 'w')
  // Examples go to the explorer as they stream past: its items wait in a file, not in memory.
  const explorer = new ExplorerWriter(join(outDir, 'explorer.html'))
  let streamed = false
  try {
    const windows = streamDataset(sources, o.suite.dir, { limit: o.limit ?? spec.limit }, { suiteFile: relative(process.cwd(), o.suite.file), hub: o.hub }, WINDOW, (d) => (data = d))
    for await (const window of windows) {
      task.checkExamples?.(window)
      const requests = task.requests(window, spec)
      const got = records ? await recorded(requests, records) : await direct(requests)
      if (!got) return { result: null, outDir, interrupted: true, scored: counts.scored }
      const byExample = new Map<string, [TaskRequest, Scored][]>()
      for (const entry of got) {
        const list = byExample.get(entry[0].exampleId)
        if (list) list.push(entry)
        else byExample.set(entry[0].exampleId, [entry])
      }
      const lines = window.map((ex) => JSON.stringify(reduce(ex, byExample.get(ex.id) ?? [])))
      writeSync(out, lines.join('\n') + '\n')
      counts.examples += window.length
      o.onProgress?.({ phase: 'score', done: counts.examples, total: counts.examples, cached: counts.cached, errors, elapsedMs: Date.now() - started.getTime() })
    }
    streamed = true
  } finally {
    closeSync(out)
    // An interrupted or failed run leaves no half page and no items file behind.
    if (!streamed) explorer.abandon()
  }
  if (!data) throw new Error('stream ended without its summary')

  const statsStart = performance.now()
  const metrics = pairwiseMetricsFromSums(sums, spec, new Set([...groupIndex.keys(), ...failedGroups]))
  // Strata in sorted group order, as the in-memory statistic numbers them, so the bootstrap draws the same.
  const sorted = [...groupIndex.keys()].sort((a, b) => a.localeCompare(b))
  const rank = new Int32Array(groupIndex.size)
  sorted.forEach((g, i) => (rank[groupIndex.get(g)!] = i))
  const stat = pairwiseStatistic(sorted, groupOf.view().map((g) => rank[g]), credits.view(), spec, new Set([...groupIndex.keys(), ...failedGroups]))
  const stats = attachCisRemembered(metrics, { task, analyses: [], examples: [], scores: new Map(), tokens: new Map(), suite: spec, stat }, dataKey(data), o.cache ?? undefined)
  counts.failed = failed.size
  const phases = { statisticsMs: Math.round(performance.now() - statsStart) }
  const result = runResult({ suite: o.suite, runner: o.runner, modelSpec: o.modelSpec, data, started, finished: new Date(), scoringMs, phases, metrics, stats, counts, failed })
  await writeRun(outDir, result, { sample: sample.sort((a, b) => a.at - b.at).map((s) => s.row) }, worst.list(), { png: o.png, warn: o.warn, memo: o.cache, explorer: { writer: explorer, marginLabel: task.marginLabel ?? 'margin' } })
  o.onProgress?.({ phase: 'done', done: counts.examples, total: counts.examples, cached: counts.cached, errors: failed.size, elapsedMs: Date.now() - started.getTime() })
  return { result, outDir, interrupted: false, scored: counts.scored }

  /** Scores a window through the run's records (resumable) and the shared cache; null when interrupted. */
  async function recorded(requests: TaskRequest[], r: RunRecords): Promise<Map<TaskRequest, Scored> | null> {
    const plan = planRecorded(requests, o, r, { retryErrors: o.retryErrors })
    counts.requests += requests.length
    counts.unique += plan.unique
    counts.cached += plan.cached
    const res = await scoreRequests(plan.todo, o.runner, r.store, { signal: o.signal, cached: plan.cached, retryErrors: o.retryErrors, onRecorded: cacheRecorder(o, r) })
    await o.cache?.flush()
    scoringMs += res.ms
    errors += res.errors
    if (res.aborted) return null
    return new Map(requests.map((q) => {
      const rec = r.store.getAny(o.runner.fingerprint, plan.keys.get(q)!)
      return [q, rec?.value !== undefined ? { value: rec.value, ...(rec.tokens !== undefined ? { tokens: rec.tokens } : {}) } : { error: rec?.error ?? { code: 'E_MISSING', message: 'no score recorded' } }]
    }))
  }

  /** Scores a window straight from a cheap runner, equal texts once. */
  async function direct(requests: TaskRequest[]): Promise<Map<TaskRequest, Scored> | null> {
    if (o.signal?.aborted) return null
    const t0 = performance.now()
    const unique = new Map<string, TaskRequest>()
    const keyOf = new Map<TaskRequest, string>()
    for (const q of requests) {
      const k = requestKey(q)
      keyOf.set(q, k)
      if (!unique.has(k)) unique.set(k, q)
    }
    const list = [...unique.values()]
    const score = scorerFor(o.runner, undefined)
    const byKey = new Map<string, Scored>()
    for (let i = 0; i < list.length; i += o.runner.batchSize) {
      const part = list.slice(i, i + o.runner.batchSize)
      const res = await score(part.map((q) => q.request), o.signal)
      part.forEach((q, j) => byKey.set(keyOf.get(q)!, res[j]))
    }
    scoringMs += performance.now() - t0
    counts.requests += requests.length
    counts.unique += unique.size
    for (const s of byKey.values()) if ('error' in s) errors++
    return new Map(requests.map((q) => [q, byKey.get(keyOf.get(q)!)!]))
  }

  /** One example's scores → its scores.jsonl row, its credit and group in the typed state, worst and sample. */
  function reduce(ex: Example, got: [TaskRequest, Scored][]): Record<string, unknown> {
    const s: Record<string, number> = {}
    const tokens: Record<string, number> = {}
    let failure: { code: string; message: string } | undefined
    for (const [q, scored] of got) {
      if ('error' in scored) failure ??= scored.error
      else {
        s[q.role] = scored.value
        if (scored.tokens !== undefined) tokens[q.role] = scored.tokens
      }
    }
    if (failure) {
      failed.set(ex.id, failure)
      explorer.add(runExplorerItem(task, spec, ex, undefined, failure))
      failedGroups.add(ex.group)
      return { id: ex.id, group: ex.group, error: failure }
    }
    explorer.add(runExplorerItem(task, spec, ex, s))
    counts.scored++
    const row = scoredRow(task, spec, ex, s, Object.keys(tokens).length ? tokens : undefined)
    const credit = pairCredit(s['chosen/0'], s['rejected/0'], ties)
    addCredit(sums, ex.group, credit)
    let g = groupIndex.get(ex.group)
    if (g === undefined) groupIndex.set(ex.group, (g = groupIndex.size))
    groupOf.push(g)
    credits.push(credit)
    worst.offer(ex, row)
    // Reservoir sampling (Algorithm R): every row has the same chance to be charted.
    const seen = counts.scored
    if (sample.length < CHART_SAMPLE) sample.push({ at: seen, row })
    else {
      const j = Math.floor(rng.next() * seen)
      if (j < CHART_SAMPLE) sample[j] = { at: seen, row }
    }
    return row
  }
}
