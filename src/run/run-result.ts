import { relative } from 'node:path'
import type { StreamedDataset } from '../data/stream-dataset.ts'
import type { Example } from '../data/types.ts'
import type { HubModelSource } from '../hub/hub-model.ts'
import type { RunPhases, RunResult } from '../report/types.ts'
import type { Runner } from '../runners/types.ts'
import type { Suite } from '../suite/types.ts'
import { charCount } from '../util/char-count.ts'
import type { ExampleRow, JudgeDescription, Metrics, Task } from '../tasks/types.ts'
import type { CiSummary } from './metric-cis.ts'
import { gitCommit, rmbenchVersion } from './provenance.ts'

const MAX_LISTED_ERRORS = 100

/**
 * One example's scores.jsonl line: the task's row plus `raw`, what the task's metrics read (so `rmbench compare`
 * can recompute them on shared examples) and the response lengths (so reports chart reward against length
 * without the dataset text).
 */
export function scoredRow(task: Task, suite: Suite['spec'], ex: Example, scores: Record<string, number>, tokens: Record<string, number> | undefined): ExampleRow {
  const raw = { scores, shape: [ex.chosen.length, ex.rejected.length], chars: { chosen: ex.chosen.map(charCount), rejected: ex.rejected.map(charCount) }, ...(tokens ? { tokens } : {}), ...(ex.alpha !== undefined ? { alpha: ex.alpha } : {}), ...(ex.swapped ? { swapped: true } : {}) }
  return { ...task.row(ex, scores, suite), raw }
}

/** What a finished run adds to its suite and model to make results.json. */
export interface RunFacts {
  suite: Suite
  runner: Runner
  modelSpec: string
  data: Pick<StreamedDataset, 'hash' | 'files' | 'sources'>
  started: Date
  finished: Date
  scoringMs: number
  /** Phase timings beyond scoring (statistics, load); the run's report time is added when the reports are written. */
  phases?: Omit<RunPhases, 'scoringMs'>
  metrics: Metrics
  stats: CiSummary | null
  counts: RunResult['counts']
  failed: Iterable<[id: string, error: { code: string; message: string }]>
  /** How an LLM judge was asked, when the model is one. */
  judge?: JudgeDescription
}

/** Token usage a served judge counted in its info (usage/<kind> keys). */
function judgeUsage(info: Runner['info']): Record<string, number> | undefined {
  const u = Object.entries(info).filter(([k, v]) => k.startsWith('usage/') && typeof v === 'number')
  return u.length ? Object.fromEntries(u.map(([k, v]) => [k.slice(6), v as number])) : undefined
}

/** results.json of a finished run (the same for a run that held its examples and one that streamed them). */
export function runResult(f: RunFacts): RunResult {
  const spec = f.suite.spec
  const info = f.runner.info
  const str = (v: unknown) => (typeof v === 'string' ? v : null)
  return {
    schemaVersion: 1,
    complete: f.counts.failed === 0,
    suite: { name: spec.name, version: spec.version ?? 1, task: spec.task, file: relative(process.cwd(), f.suite.file), hash: f.suite.hash, spec },
    model: { spec: f.modelSpec, id: f.runner.id, fingerprint: f.runner.fingerprint, info },
    provenance: {
      rmbenchVersion: rmbenchVersion(),
      gitCommit: gitCommit(f.suite.dir),
      suiteHash: f.suite.hash,
      datasetHash: f.data.hash,
      dataFiles: f.data.files.map((file) => relative(process.cwd(), file)),
      dataSources: f.data.sources,
      modelSource: (f.runner.source as HubModelSource | undefined) ?? null,
      modelFingerprint: f.runner.fingerprint,
      templateHash: str(info.templateHash),
      tokenizerHash: str(info.tokenizerHash),
      executionProvider: str(info.executionProvider),
      maxLength: typeof info.maxLength === 'number' ? info.maxLength : null,
      seed: spec.stats?.seed ?? 0,
      startedAt: f.started.toISOString(),
      finishedAt: f.finished.toISOString(),
      durationMs: f.finished.getTime() - f.started.getTime(),
      scoringMs: Math.round(f.scoringMs),
      ...(f.judge ? { judge: { ...f.judge, ...(judgeUsage(info) ? { usage: judgeUsage(info) } : {}) } } : {}),
      ...(f.phases ? { phases: { ...f.phases, scoringMs: Math.round(f.scoringMs), ...f.runner.timings?.() } } : {}),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    metrics: f.metrics,
    ...(f.stats ? { stats: f.stats } : {}),
    counts: f.counts,
    errors: [...f.failed].slice(0, MAX_LISTED_ERRORS).map(([id, e]) => ({ id, ...e })),
  }
}
