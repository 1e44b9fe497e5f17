import { RmbenchError } from '../errors.ts'
import type { Runner, Scored } from '../runners/types.ts'
import type { PlannedRequest } from './plan.ts'
import type { ScoreStore } from './score-store.ts'

/** Progress of the scoring loop: `done` of `total` unique requests are settled (scored or already stored). */
export interface Progress { done: number; total: number; cached: number; errors: number; elapsedMs: number }

/** The scoring function for a planned request: the model's reward, or log p from one of its named LMs. */
export function scorerFor(runner: Runner, lm: string | undefined): (batch: PlannedRequest['request'][], signal?: AbortSignal) => Promise<Scored[]> {
  if (lm === undefined) {
    if (!runner.reward)
      throw new RmbenchError('E_MODEL_SPEC', `model '${runner.id}' gives ${runner.capabilities.logprob ? 'log-probabilities (a causal language model)' : 'no rewards'}, but this suite needs a reward model: one score per (prompt, response), e.g. an exported sequence classifier.`)
    return runner.reward.bind(runner)
  }
  const named = runner.lms?.[lm] ?? ((lm === 'policy' || lm === 'judge') && runner.logprob ? runner : undefined)
  if (!named?.logprob)
    throw new RmbenchError('E_MODEL_SPEC', `this suite needs log-probabilities from an LM named '${lm}', and model '${runner.id}' has ${runner.lms ? `LMs ${Object.keys(runner.lms).join(', ')}` : runner.logprob ? "one LM (used as 'policy')" : 'none'}. Pass it with --lm ${lm}=<spec>.`)
  return named.logprob.bind(named)
}

/**
 * Scores planned requests in chunks, appending each chunk's results to the store before the next starts,
 * so an interruption loses at most the chunk in flight. A chunk the store already holds whole is skipped;
 * a partly held one (a torn write) is scored again whole. Stops between chunks when `signal` aborts.
 */
export async function scoreRequests(todo: PlannedRequest[], runner: Runner, store: ScoreStore, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; cached: number }): Promise<{ errors: number; done: number; aborted: boolean; ms: number }> {
  // Fail before any work when the model lacks what the plan needs.
  const scorers = new Map([...new Set(todo.map((p) => p.lm))].map((lm) => [lm, scorerFor(runner, lm)]))
  const chunk = Math.max(runner.batchSize * 4, 64)
  const t0 = performance.now()
  let errors = 0
  let done = 0
  for (let i = 0; i < todo.length; i += chunk) {
    if (opts.signal?.aborted) return { errors, done, aborted: true, ms: performance.now() - t0 }
    const part = todo.slice(i, i + chunk)
    if (part.every((p) => store.get(runner.fingerprint, p.key))) continue
    const results = new Array<Scored>(part.length)
    for (const [lm, score] of scorers) {
      const idx = part.map((p, i) => (p.lm === lm ? i : -1)).filter((i) => i >= 0)
      if (!idx.length) continue
      const got = await score(idx.map((i) => part[i].request), opts.signal)
      if (got.length !== idx.length) throw new Error(`runner ${runner.id} returned ${got.length} scores for ${idx.length} requests`)
      idx.forEach((i, k) => (results[i] = got[k]))
    }
    store.append(runner.fingerprint, part.map((p) => p.key), results)
    errors += results.filter((r) => 'error' in r).length
    done += part.length
    opts.onProgress?.({ done: i + part.length, total: todo.length, cached: opts.cached, errors, elapsedMs: performance.now() - t0 })
  }
  return { errors, done, aborted: false, ms: performance.now() - t0 }
}
