import { existsSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { loadDataset } from '../data/load-dataset.ts'
import { RmbenchError } from '../errors.ts'
import type { Hub } from '../hub/hub-client.ts'
import type { RunProgress, RunResult } from '../report/types.ts'
import { writeRun } from '../report/write-run.ts'
import { ExplorerWriter } from '../report/explorer/explorer-page.ts'
import { runExplorerItem } from '../report/explorer/run-explorer.ts'
import { worstExamples } from '../report/worst-examples.ts'
import type { Runner } from '../runners/types.ts'
import type { Suite } from '../suite/types.ts'
import { analyses } from '../tasks/analyses.ts'
import { tasks } from '../tasks/registry.ts'
import type { ExampleScores } from '../tasks/types.ts'
import { attachCisRemembered, dataKey } from './ci-memo.ts'
import type { Shard } from './plan.ts'
import { writeShardManifest, type ShardManifest } from './shard-manifest.ts'
import { runResult, scoredRow } from './run-result.ts'
import type { ScoreCache } from './score-cache.ts'
import { claimOutDir } from './out-folder.ts'
import { cacheRecorder, openRecords, planRecorded } from './run-records.ts'
import { scoreRequests } from './score-requests.ts'
import { judgeWords, judgmentRow, type JudgeNote } from './judgment-rows.ts'
import { judgeTask } from '../tasks/judge/judge-task.ts'
import { streamRun, whyNotStream } from './stream-run.ts'

/** Inputs of one run. */
export interface RunOptions {
  suite: Suite
  runner: Runner
  /** The model spec as the user gave it (recorded). */
  modelSpec: string
  outDir: string
  signal?: AbortSignal
  onProgress?: (p: RunProgress) => void
  /** Overrides the suite's limit (CLI --limit). */
  limit?: number
  /** Warnings for the user (missing precomputed ids, ...). */
  warn?: (message: string) => void
  /** The hub client for hf:// sources (default: one from the environment, made on first use). */
  hub?: () => Hub
  /** Also write the report charts as PNG (CLI --png). */
  png?: boolean
  /** Ask again for requests whose recorded result is an error (CLI --retry-errors). */
  retryErrors?: boolean
  /** Score only this 1/N of the requests and write a shard manifest instead of results (CLI --shard i/N). */
  shard?: Shard
  /** The judge name given on the command line (recorded in a shard manifest so a merge applies it too). */
  judge?: string
  /** A merge: the dataset must hash to what the shards saw. */
  expectDatasetHash?: string
  /** Stream the data (never hold it): true forces it (an error when the suite cannot stream); default: when local data files pass 256 MB. */
  stream?: boolean
  /** The score cache shared across runs and suites (CLI: on unless --no-cache); used for runners whose scores are cacheable. */
  cache?: ScoreCache | null
  /** Replace a run of another suite or model found in outDir (CLI --force); without it that is E_OUT_IN_USE. */
  force?: boolean
}

/** What a run produced: the result (null when interrupted) and where its files are. */
export interface RunOutcome { result: RunResult | null; outDir: string; interrupted: boolean; scored: number; shard?: ShardManifest; failedBefore?: number }

/** Local data larger than this is streamed unless the run says otherwise. */
const AUTO_STREAM_BYTES = 256 * 2 ** 20

/** Bytes of a suite's plain local data files (globs and hub sources count 0: they are not worth resolving twice). */
function localDataBytes(suite: Suite): number {
  const sources = Array.isArray(suite.spec.data) ? suite.spec.data : [suite.spec.data]
  let bytes = 0
  for (const s of sources) {
    const file = resolve(suite.dir, s.source)
    if (!/[*?[]/.test(s.source) && !s.source.startsWith('hf://') && existsSync(file)) bytes += statSync(file).size
  }
  return bytes
}

/** Where a run writes by default: reports/<suite>-<model>-<timestamp>/. */
export function defaultOutDir(reportsDir: string, suite: string, model: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return runFolderPrefix(reportsDir, suite, model) + stamp
}

/** What every default run folder of this suite and model starts with (before its timestamp). */
export function runFolderPrefix(reportsDir: string, suite: string, model: string): string {
  return join(reportsDir, `${suite}-${model.replace(/[^\w.-]+/g, '-')}-`)
}

/** suite → plan → runner → score records → task metrics → results.json + scores.jsonl. */
export async function runSuite(o: RunOptions): Promise<RunOutcome> {
  const release = claimOutDir(resolve(o.outDir), { suite: o.suite.spec.name, fingerprint: o.runner.fingerprint, model: o.modelSpec }, { force: o.force })
  try {
    return await runClaimed(o)
  } finally {
    release()
  }
}

/** runSuite, once the run folder is this run's. */
async function runClaimed(o: RunOptions): Promise<RunOutcome> {
  const why = whyNotStream(o)
  if (o.stream === true && why) throw new RmbenchError('E_USAGE', `--stream: ${o.suite.file} cannot stream: ${why}. Drop --stream.`)
  if (!why && (o.stream === true || (o.stream === undefined && localDataBytes(o.suite) > AUTO_STREAM_BYTES))) return streamRun(o)
  const started = new Date()
  // The suite as this run applies it: a --limit is the suite's limit (a section then may be partial, not a typo).
  const spec = o.limit !== undefined ? { ...o.suite.spec, limit: o.limit } : o.suite.spec
  // An LLM judge gives verdicts, not rewards: the task runs in its judge form (both orders, or ratings).
  const task = o.runner.capabilities.judge ? judgeTask(tasks.get(spec.task, o.suite.file)) : tasks.get(spec.task, o.suite.file)
  task.check?.(spec)
  const attached = (spec.analyses ?? []).map((n) => analyses.get(n, o.suite.file))
  for (const a of attached)
    if (!a.tasks.includes(task.name)) throw new RmbenchError('E_SUITE_SCHEMA', `${o.suite.file}: analysis '${a.name}' applies to ${a.tasks.join(', ')} suites, not ${task.name}.`)
  const sources = Array.isArray(spec.data) ? spec.data : [spec.data]
  const data = await loadDataset(sources, o.suite.dir, { limit: o.limit ?? spec.limit, sample: spec.sample }, { suiteFile: relative(process.cwd(), o.suite.file), hub: o.hub, memo: o.cache ?? undefined })
  if (o.expectDatasetHash && data.hash !== o.expectDatasetHash)
    throw new RmbenchError('E_MERGE', `the suite's data now hashes to ${data.hash}, but the shards scored data ${o.expectDatasetHash}: it changed since they ran. Merge where the shards' data is, or re-run them.`)
  task.checkExamples?.(data.examples)
  for (const w of o.runner.reconcile?.(data.examples.map((e) => e.id)) ?? []) o.warn?.(w)
  const requests = task.requests(data.examples, spec)

  const records = openRecords(o)
  const { outDir, store } = records
  const plan = planRecorded(requests, o, records, { retryErrors: o.retryErrors, shard: o.shard })
  const loadMs = Date.now() - started.getTime()
  o.onProgress?.({ phase: 'score', done: 0, total: plan.todo.length, cached: plan.cached, errors: 0, elapsedMs: 0 })
  const scored = await scoreRequests(plan.todo, o.runner, store, {
    signal: o.signal,
    cached: plan.cached,
    retryErrors: o.retryErrors,
    onProgress: (p) => o.onProgress?.({ phase: 'score', ...p }),
    onRecorded: cacheRecorder(o, records),
  })
  await o.cache?.flush()
  if (scored.aborted) return { result: null, outDir, interrupted: true, scored: plan.cached + scored.done }
  // A judge's unreadable verdict is an answer (the task reads its absence by the suite's rule), not a failure.
  const answers = new Set(task.verdictErrors ?? [])
  if (o.shard) {
    const failed = plan.todo.filter((p) => { const e = store.getAny(o.runner.fingerprint, p.key)?.error; return e && !answers.has(e.code) }).length
    const manifest: ShardManifest = {
      kind: 'rmbench-shard',
      schemaVersion: 1,
      shard: o.shard,
      suite: { name: spec.name, file: resolve(o.suite.file), hash: o.suite.hash, judge: o.judge ?? null },
      datasetHash: data.hash,
      limit: o.limit ?? null,
      model: { spec: o.modelSpec, id: o.runner.id, fingerprint: o.runner.fingerprint, info: o.runner.info, perExample: Boolean(o.runner.perExample), lms: Object.keys(o.runner.lms ?? {}), capabilities: o.runner.capabilities },
      counts: { requests: plan.todo.length, scored: plan.todo.length - failed, failed },
      finishedAt: new Date().toISOString(),
    }
    writeShardManifest(outDir, manifest)
    return { result: null, outDir, interrupted: false, scored: manifest.counts.scored, shard: manifest }
  }

  // Gather per-example scores; an example with any failed request is left out of metrics and listed.
  const byExample: ExampleScores = new Map()
  const tokens: ExampleScores = new Map()
  const failed = new Map<string, { code: string; message: string }>()
  // What a judge wrote, and why a verdict could not be read, by example and role (judgments.jsonl, the explorer).
  const notes = new Map<string, Record<string, JudgeNote>>()
  for (const r of requests) {
    const rec = store.getAny(o.runner.fingerprint, plan.keys.get(r)!)
    const unreadable = rec?.error && answers.has(rec.error.code) ? rec.error.message : undefined
    if (rec?.output !== undefined || unreadable !== undefined) {
      let note = notes.get(r.exampleId)
      if (!note) notes.set(r.exampleId, (note = {}))
      note[r.role] = { ...(rec!.output !== undefined ? { output: rec!.output } : {}), ...(unreadable !== undefined ? { unreadable } : {}) }
    }
    if (unreadable !== undefined) {
      if (!byExample.has(r.exampleId)) byExample.set(r.exampleId, {})
      continue
    }
    if (!rec || rec.value === undefined) {
      failed.set(r.exampleId, rec?.error ?? { code: 'E_MISSING', message: 'no score recorded' })
      continue
    }
    const entry = byExample.get(r.exampleId) ?? {}
    entry[r.role] = rec.value
    byExample.set(r.exampleId, entry)
    if (rec.tokens !== undefined) tokens.set(r.exampleId, { ...tokens.get(r.exampleId), [r.role]: rec.tokens })
  }
  for (const id of failed.keys()) byExample.delete(id)
  // What the judge said, before its verdicts are also written as rewards for the analyses.
  const judgeScores = task.verdictErrors ? new Map([...byExample].map(([id, s]) => [id, { ...s }])) : byExample
  if (task.rewardsOf) for (const ex of data.examples) if (byExample.has(ex.id)) Object.assign(byExample.get(ex.id)!, task.rewardsOf(ex, byExample.get(ex.id)!, spec))
  const statsStart = performance.now()
  const metrics = task.metrics(data.examples, byExample, spec, tokens)
  for (const a of attached) Object.assign(metrics, a.analyze(data.examples, byExample, tokens, spec))
  const stats = attachCisRemembered(metrics, { task, analyses: attached, examples: data.examples, scores: byExample, tokens, suite: spec }, dataKey(data), o.cache ?? undefined)
  const statisticsMs = Math.round(performance.now() - statsStart)
  const rows = data.examples.map((ex) => byExample.has(ex.id) ? scoredRow(task, spec, ex, byExample.get(ex.id)!, tokens.get(ex.id)) : { id: ex.id, group: ex.group, error: failed.get(ex.id) })
  const judgments = task.verdictErrors ? data.examples.map((ex) => judgmentRow(ex, byExample.has(ex.id) ? task.row(ex, byExample.get(ex.id)!, spec) : null, judgeScores.get(ex.id), notes.get(ex.id), failed.get(ex.id))) : undefined
  const finished = new Date()
  const result = runResult({
    suite: o.suite, runner: o.runner, modelSpec: o.modelSpec, data, started, finished, scoringMs: scored.ms, phases: { loadMs, statisticsMs }, metrics, stats,
    counts: { examples: data.examples.length, scored: byExample.size, failed: failed.size, requests: requests.length, unique: plan.unique, cached: plan.cached },
    failed,
    judge: task.judging?.(spec),
  })
  const writer = new ExplorerWriter(join(outDir, 'explorer.html'))
  for (const ex of data.examples) writer.add(runExplorerItem(task, spec, ex, byExample.get(ex.id), failed.get(ex.id), judgeWords(notes.get(ex.id))))
  await writeRun(outDir, result, rows, worstExamples(data.examples, rows, 10, judgments), { png: o.png, warn: o.warn, memo: o.cache, explorer: { writer, marginLabel: task.marginLabel ?? 'margin' }, judgments })
  o.onProgress?.({ phase: 'done', done: plan.todo.length, total: plan.todo.length, cached: plan.cached, errors: failed.size, elapsedMs: finished.getTime() - started.getTime() })
  return { result, outDir, interrupted: false, scored: byExample.size, failedBefore: plan.failedBefore }
}
