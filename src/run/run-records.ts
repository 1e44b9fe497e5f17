import { join, resolve } from 'node:path'
import type { Scored } from '../runners/types.ts'
import type { TaskRequest } from '../tasks/types.ts'
import { planRequests, type Plan, type PlanOptions } from './plan.ts'
import type { RunOptions } from './run-suite.ts'
import { cacheableResult, type CachedScore, type ScoreCache } from './score-cache.ts'
import { ScoreStore } from './score-store.ts'

/** A run folder's records and, when the model's scores may be shared, the score cache beside them. */
export interface RunRecords { outDir: string; store: ScoreStore; cache: ScoreCache | null }

/** The run folder's absolute path. */
export function prepareOutDir(o: RunOptions): string {
  // runSuite has claimed the folder (out-folder.ts): made, locked, and holding nothing of another run.
  return resolve(o.outDir)
}

/** Opens the run folder's records.jsonl (warning about a torn tail) and picks the cache for this runner. */
export function openRecords(o: RunOptions): RunRecords {
  const outDir = prepareOutDir(o)
  const store = new ScoreStore(join(outDir, 'records.jsonl'))
  if (store.discarded) o.warn?.(`${join(o.outDir, 'records.jsonl')}: ${store.discarded} torn or unsound line(s) (an interrupted write, a non-finite value, or a line that fails its integrity check) were discarded; those scores are computed again.`)
  const cache = o.runner.cacheable && !o.runner.perExample ? o.cache ?? null : null
  return { outDir, store, cache }
}

/**
 * Plans requests against the records and the cache; what only the cache had is recorded in the run folder too,
 * so the folder stays self-contained (resume, merge, reports).
 */
export function planRecorded(requests: TaskRequest[], o: RunOptions, r: RunRecords, opts: Omit<PlanOptions, 'cache'> = {}): Plan {
  const fp = o.runner.fingerprint
  const cached = r.cache?.scores(fp)
  const skipped = r.cache?.skipped(fp) ?? 0
  if (skipped) o.warn?.(`score cache ${r.cache!.root}: ${skipped} line(s) of this model's scores were unsound (damaged, a non-finite value, or failing their integrity check) and are not reused; those scores are computed again.`)
  const plan = planRequests(requests, o.runner, r.store, { ...opts, cache: cached })
  r.store.append(fp, plan.fromCache.map(([k]) => k), plan.fromCache.map(([, s]) => s))
  return plan
}

/** The scoring loop's onRecorded hook that copies finished scores (not failures, but a judge's unreadable verdicts) into the cache; none without one. */
export function cacheRecorder(o: RunOptions, r: RunRecords): ((keys: string[], results: Scored[]) => void) | undefined {
  const cache = r.cache
  if (!cache) return undefined
  return (keys, results) => cache.append(o.runner.fingerprint, keys.flatMap((k, i) => (cacheableResult(results[i]) ? [[k, results[i]] as [string, CachedScore]] : [])), { id: o.runner.id, info: o.runner.info })
}
