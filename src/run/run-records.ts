import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { RmbenchError } from '../errors.ts'
import type { Scored } from '../runners/types.ts'
import type { TaskRequest } from '../tasks/types.ts'
import { planRequests, type Plan, type PlanOptions } from './plan.ts'
import type { RunOptions } from './run-suite.ts'
import type { CachedScore, ScoreCache } from './score-cache.ts'
import { ScoreStore } from './score-store.ts'

/** A run folder's records and, when the model's scores may be shared, the score cache beside them. */
export interface RunRecords { outDir: string; store: ScoreStore; cache: ScoreCache | null }

/** Makes the run folder, refusing one that holds another run's finished results; returns its absolute path. */
export function prepareOutDir(o: RunOptions): string {
  const outDir = resolve(o.outDir)
  mkdirSync(outDir, { recursive: true })
  if (existsSync(join(outDir, 'results.json')) && !existsSync(join(outDir, 'records.jsonl')))
    throw new RmbenchError('E_USAGE', `${o.outDir} already holds results from another run; choose a new --out folder.`)
  return outDir
}

/** Opens the run folder's records.jsonl (warning about a torn tail) and picks the cache for this runner. */
export function openRecords(o: RunOptions): RunRecords {
  const outDir = prepareOutDir(o)
  const store = new ScoreStore(join(outDir, 'records.jsonl'))
  if (store.discarded) o.warn?.(`${join(o.outDir, 'records.jsonl')}: ${store.discarded} torn or corrupt line(s) from an interrupted write were discarded; those scores are computed again.`)
  const cache = o.runner.cacheable && !o.runner.perExample ? o.cache ?? null : null
  return { outDir, store, cache }
}

/**
 * Plans requests against the records and the cache; what only the cache had is recorded in the run folder too,
 * so the folder stays self-contained (resume, merge, reports).
 */
export function planRecorded(requests: TaskRequest[], o: RunOptions, r: RunRecords, opts: Omit<PlanOptions, 'cache'> = {}): Plan {
  const fp = o.runner.fingerprint
  const plan = planRequests(requests, o.runner, r.store, { ...opts, cache: r.cache?.scores(fp) })
  r.store.append(fp, plan.fromCache.map(([k]) => k), plan.fromCache.map(([, s]) => s))
  return plan
}

/** The scoring loop's onRecorded hook that copies finished scores (not failures) into the cache; none without one. */
export function cacheRecorder(o: RunOptions, r: RunRecords): ((keys: string[], results: Scored[]) => void) | undefined {
  const cache = r.cache
  if (!cache) return undefined
  return (keys, results) => cache.append(o.runner.fingerprint, keys.flatMap((k, i) => ('value' in results[i] ? [[k, results[i]] as [string, CachedScore]] : [])), { id: o.runner.id, info: o.runner.info })
}
