import type { Runner } from '../runners/types.ts'
import type { TaskRequest } from '../tasks/types.ts'
import { hashOf, hashTexts } from '../util/hash.ts'
import type { CachedScore } from './score-cache.ts'
import type { ScoreStore } from './score-store.ts'
import { chunkSize } from '../util/chunk-size.ts'

/** A unique request to score, with the task requests that share it. */
export interface PlannedRequest { key: string; request: TaskRequest['request']; size: number; lm?: string }

/** What a run scores: every unique request (of its shard) in size order, and how many are settled already. */
export interface Plan {
  keys: Map<TaskRequest, string>
  todo: PlannedRequest[]
  unique: number
  /** Settled before scoring: in the run's records, or found in the shared score cache. */
  cached: number
  failedBefore: number
  /** Scores the shared cache had and the run's records lacked: the caller records them. */
  fromCache: [key: string, score: CachedScore][]
}

/** Which 1/N of the requests a run scores: `--shard 2/3` is { index: 2, count: 3 }. */
export interface Shard { index: number; count: number }

/** How a plan treats what the store holds and which requests it takes. */
export interface PlanOptions {
  /** Ask again for requests whose recorded result is an error (default: keep the error). */
  retryErrors?: boolean
  shard?: Shard
  /** The shared score cache of this model, consulted for what the run's records lack. */
  cache?: Map<string, CachedScore>
}

/**
 * Request key: a hash of what the model sees and how its answer is read (prompt messages, response, the turn's
 * role, a judge's verdict labels); a log p from a named LM is another quantity than a reward of the same text,
 * so the LM's name is part of its key. Hashed as length-prefixed strings, not JSON: a warm re-run hashes every
 * request, and escaping long texts into JSON was most of that cost.
 */
export function requestKey(r: TaskRequest): string {
  const { prompt, response, turnRole, choices, verdict } = r.request
  const parts = [r.lm ?? '', turnRole ?? 'assistant', String(prompt.length)]
  for (const m of prompt) parts.push(m.role, m.content)
  parts.push(response)
  if (choices) parts.push(...choices)
  // How a text answer is read and how long it may be change the verdict of the same prompt.
  if (verdict) parts.push('\u0000verdict', verdict.parse, String(verdict.maxTokens), String(verdict.scale))
  return hashTexts(parts)
}

/**
 * A shard's part of the plan: whole chunks, cut from the full sorted plan exactly as an unsharded run cuts them
 * (chunk i to shard i mod N), so every batch — and so every float an ONNX model computes, padding included — is
 * the unsharded run's, and merged shards equal it byte for byte. Only the plan's last chunk can be short, and it
 * stays last, so the scoring loop cuts the shard's list back into the same chunks.
 */
export function shardChunks<T>(sorted: T[], batchSize: number, shard: Shard): T[] {
  const size = chunkSize(batchSize)
  const out: T[] = []
  for (let i = 0, c = 0; i < sorted.length; i += size, c++) if (c % shard.count === shard.index - 1) out.push(...sorted.slice(i, i + size))
  return out
}

/** Settled: scored, or failed and not to be asked again. */
export function isSettled(store: ScoreStore, fp: string, key: string, retryErrors: boolean): boolean {
  if (store.get(fp, key)) return true
  return !retryErrors && store.getAny(fp, key)?.error !== undefined
}

/**
 * Dedups requests and orders them by size so batches pad little. Settled requests stay in the plan: the
 * scoring loop cuts the same chunks on a resumed run as on a fresh one, so batches (and float rounding)
 * are identical, and skips what the store already holds.
 */
export function planRequests(requests: TaskRequest[], runner: Runner, store: ScoreStore, o: PlanOptions = {}): Plan {
  const keys = new Map<TaskRequest, string>()
  const unique = new Map<string, TaskRequest>()
  for (const r of requests) {
    const k = runner.perExample ? hashOf([r.exampleId, r.role]) : requestKey(r)
    keys.set(r, k)
    if (!unique.has(k)) unique.set(k, r)
  }
  const sorted: PlannedRequest[] = [...unique].map(([key, { request, lm }]) => ({ key, request, size: runner.sizeOf ? runner.sizeOf(request) : request.response.length, ...(lm ? { lm } : {}) }))
  sorted.sort((a, b) => a.size - b.size || (a.key < b.key ? -1 : 1))
  const todo = o.shard ? shardChunks(sorted, runner.batchSize, o.shard) : sorted
  const mine = o.shard ? new Set(todo.map((p) => p.key)) : null
  let cached = 0
  let failedBefore = 0
  const fromCache: Plan['fromCache'] = []
  // Counted in the requests' own order, over this shard's part of the plan (all of it without shards).
  for (const key of unique.keys()) {
    if (mine && !mine.has(key)) continue
    // A cached unreadable verdict is asked again under --retry-errors, like one in the run's own records.
    const cachedHit = o.cache?.get(key)
    const hit = cachedHit && 'error' in cachedHit && o.retryErrors ? undefined : cachedHit
    if (store.get(runner.fingerprint, key)) cached++
    else if (hit) {
      fromCache.push([key, hit])
      cached++
    } else if (!o.retryErrors && store.getAny(runner.fingerprint, key)?.error) failedBefore++
  }
  return { keys, todo, unique: mine ? mine.size : unique.size, cached, failedBefore, fromCache }
}
