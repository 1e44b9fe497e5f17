import { RmbenchError } from '../errors.ts'
import type { Runner, Scored } from '../runners/types.ts'
import { chunkSize } from '../util/chunk-size.ts'
import { isSettled, type PlannedRequest } from './plan.ts'
import type { ScoreStore } from './score-store.ts'

/** Progress of the scoring loop: `done` of `total` unique requests are settled (scored or already stored). */
export interface Progress { done: number; total: number; cached: number; errors: number; elapsedMs: number }

/** The scoring function for a planned request: the model's reward, or log p from one of its named LMs. */
export function scorerFor(runner: Runner, lm: string | undefined): (batch: PlannedRequest['request'][], signal?: AbortSignal) => Promise<Scored[]> {
  const target = scorerRunner(runner, lm)
  return lm === undefined ? target.reward!.bind(target) : target.logprob!.bind(target)
}

/** The runner that scores a planned request: the model itself, or the named LM whose log p it asks. */
function scorerRunner(runner: Runner, lm: string | undefined): Runner {
  if (lm === undefined) {
    if (!runner.reward)
      throw new RmbenchError('E_MODEL_SPEC', `model '${runner.id}' gives ${runner.capabilities.logprob ? 'log-probabilities (a causal language model)' : 'no rewards'}, but this suite needs a reward model: one score per (prompt, response), e.g. an exported sequence classifier${runner.capabilities.logprob && runner.info.runner === 'onnx' ? ` — or, to judge the pairs with this LM as an LLM judge, add ?judge=true to the model spec` : ''}.`)
    return runner
  }
  const named = runner.lms?.[lm] ?? ((lm === 'policy' || lm === 'judge') && runner.logprob ? runner : undefined)
  if (!named?.logprob)
    throw new RmbenchError('E_MODEL_SPEC', `this suite needs log-probabilities from an LM named '${lm}', and model '${runner.id}' has ${runner.lms ? `LMs ${Object.keys(runner.lms).join(', ')}` : runner.logprob ? "one LM (used as 'policy')" : 'none'}. Pass it with --lm ${lm}=<spec>.`)
  return named
}

/** Options of the scoring loop. */
export interface ScoreOptions {
  signal?: AbortSignal
  onProgress?: (p: Progress) => void
  cached: number
  retryErrors?: boolean
  /** Told each chunk's new results once they are durable in the store (the shared score cache listens). */
  onRecorded?: (keys: string[], results: Scored[]) => void
}

/**
 * Scores planned requests in chunks, appending each chunk's results to the store the moment it is done (synced
 * before this returns), so an interruption loses at most the chunks in flight. Up to `runner.parallel` chunks run at once (a
 * served model's replicas stay busy). Settled requests are never asked again; a chunk that lacks some is scored
 * whole when batch composition can change a model's floats (ONNX padding), so a resumed run matches a fresh one
 * bit for bit, and only what was missing is appended. Stops taking chunks when `signal` aborts.
 */
export async function scoreRequests(todo: PlannedRequest[], runner: Runner, store: ScoreStore, opts: ScoreOptions): Promise<{ errors: number; done: number; aborted: boolean; ms: number }> {
  // Fail before any work when the model lacks what the plan needs.
  const lms = [...new Set(todo.map((p) => p.lm))]
  const scorers = new Map(lms.map((lm) => [lm, scorerFor(runner, lm)]))
  const fp = runner.fingerprint
  const retry = Boolean(opts.retryErrors)
  const chunk = chunkSize(runner.batchSize)
  const t0 = performance.now()
  let errors = 0
  let done = 0
  let settledSoFar = 0

  // What a chunk asks: nothing when it is settled, else what it lacks, or all of it where batching changes floats.
  const askedOf = (part: PlannedRequest[]): { missing: PlannedRequest[]; asked: PlannedRequest[] } => {
    const missing = part.filter((p) => !isSettled(store, fp, p.key, retry))
    return { missing, asked: !missing.length ? [] : runner.batchInvariant ? missing : part }
  }
  const runChunk = async (part: PlannedRequest[]) => {
    const { missing, asked } = askedOf(part)
    if (!asked.length) return
    const results = new Array<Scored>(asked.length)
    for (const [lm, score] of scorers) {
      const idx = asked.map((p, i) => (p.lm === lm ? i : -1)).filter((i) => i >= 0)
      if (!idx.length) continue
      const got = await score(idx.map((i) => asked[i].request), opts.signal)
      if (got.length !== idx.length) throw new Error(`runner ${runner.id} returned ${got.length} scores for ${idx.length} requests`)
      idx.forEach((i, k) => (results[i] = got[k]))
    }
    const wanted = new Set(missing)
    const keep = asked.map((p, i) => [p, results[i]] as const).filter(([p]) => wanted.has(p))
    store.append(fp, keep.map(([p]) => p.key), keep.map(([, r]) => r))
    opts.onRecorded?.(keep.map(([p]) => p.key), keep.map(([, r]) => r))
    errors += keep.filter(([, r]) => 'error' in r).length
    done += keep.length
  }

  const chunks: PlannedRequest[][] = []
  for (let i = 0; i < todo.length; i += chunk) chunks.push(todo.slice(i, i + chunk))
  let next = 0
  let aborted = false
  let broken = false
  // Runners that prepare ahead (local models tokenise) are told the next `lookahead` requests each of them will be
  // asked, whenever the chunks told so far run out: one call of the tokenizer per ~1,000 requests instead of one
  // per chunk, and not competing with the model for the cores.
  const targets = lms.map((lm) => [lm, scorerRunner(runner, lm)] as const).filter(([, r]) => r.prepare)
  let toldUntil = 0
  const tell = () => {
    const want = Math.max(...targets.map(([, r]) => r.lookahead ?? chunk))
    let told = 0
    const asked: PlannedRequest[] = []
    for (; toldUntil < chunks.length && told < want; toldUntil++) for (const p of askedOf(chunks[toldUntil]).asked) asked.push(p), told++
    for (const [lm, r] of targets) r.prepare!(asked.filter((p) => p.lm === lm).map((p) => p.request))
  }
  const worker = async () => {
    while (next < chunks.length && !broken) {
      if (opts.signal?.aborted) {
        aborted = true
        return
      }
      if (targets.length && next >= toldUntil) tell()
      const part = chunks[next++]
      try {
        await runChunk(part)
      } catch (e) {
        // Aborted mid-request: the chunk's results are not kept; everything finished before is.
        if (opts.signal?.aborted) {
          aborted = true
          return
        }
        broken = true // the other workers stop taking chunks; what they finish is kept
        throw e
      }
      settledSoFar += part.length
      opts.onProgress?.({ done: settledSoFar, total: todo.length, cached: opts.cached, errors, elapsedMs: performance.now() - t0 })
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(runner.parallel ?? 1, chunks.length)) }, worker)
  const settled = await Promise.allSettled(workers)
  const failure = settled.find((s) => s.status === 'rejected')
  if (failure) throw (failure as PromiseRejectedResult).reason
  // Every chunk's lines were written as it finished; the run goes on once they are synced too.
  await store.flush()
  return { errors, done, aborted: aborted || Boolean(opts.signal?.aborted && settledSoFar < todo.length), ms: performance.now() - t0 }
}
