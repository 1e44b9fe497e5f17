import { RmbenchError } from '../../errors.ts'
import { hashOf } from '../../util/hash.ts'
import type { RewardRequest, Runner, Scored } from '../types.ts'
import { requestChars } from '../request-size.ts'
import { compileRewardExpression, useKey, type LmUse } from './reward-expression.ts'

/** An expression reward over named causal LMs: DPO, reference-free average, CDR, FLR. */
export interface ExpressionSpec { reward: string; lms: Record<string, Runner>; constants?: Record<string, number> }

/** The request an LM scores for one use: the response itself, or a user follow-up appended after it (FLR). */
function lmRequest(r: RewardRequest, u: LmUse): RewardRequest {
  if (u.followup === undefined) return { prompt: r.prompt, response: r.response }
  return { prompt: [...r.prompt, { role: 'assistant', content: r.response }], response: u.followup, turnRole: 'user' }
}

/**
 * A reward runner that evaluates an expression over LM log-likelihoods. Each LM scores each distinct text
 * of a batch once, however many terms of the expression read it. A non-finite result (0 tokens in a
 * division, log of a negative) is that example's failure, never a silent number.
 */
export function expressionRunner(spec: ExpressionSpec): Runner {
  const names = Object.keys(spec.lms)
  const constants = { beta: 1, ...spec.constants }
  const expr = compileRewardExpression(spec.reward, names, constants)
  for (const u of expr.uses)
    if (!spec.lms[u.lm].logprob) throw new RmbenchError('E_MODEL_SPEC', `LM '${u.lm}' (${spec.lms[u.lm].id}) gives no log-probabilities; logp() needs a causal language model.`)
  const scored = [...new Map(expr.uses.map((u) => [useKey(u), u])).values()]
  return {
    id: `expr-${names.map((n) => spec.lms[n].id).join('-')}`,
    fingerprint: hashOf({ runner: 'expr', reward: spec.reward, constants, lms: Object.fromEntries(names.map((n) => [n, spec.lms[n].fingerprint])) }),
    capabilities: { reward: true },
    lms: spec.lms,
    cacheable: names.every((n) => spec.lms[n].cacheable),
    info: { runner: 'expr', reward: spec.reward, ...Object.fromEntries(names.map((n) => [`lm.${n}`, spec.lms[n].id])), ...Object.fromEntries(Object.entries(constants).map(([k, v]) => [k, v])) },
    batchSize: Math.min(...names.map((n) => spec.lms[n].batchSize)) * 4,
    sizeOf: requestChars,
    async reward(batch, signal) {
      const values = batch.map(() => new Map<string, { logp: number; tokens: number }>())
      const failures = new Array<Scored | undefined>(batch.length)
      for (const u of scored) {
        // Identical texts in one batch are scored once per LM.
        const reqs = batch.map((r) => lmRequest(r, u))
        const keyOf = (r: RewardRequest) => hashOf([r.prompt, r.response, r.turnRole ?? null])
        const unique = [...new Map(reqs.map((r) => [keyOf(r), r])).entries()]
        const out = await spec.lms[u.lm].logprob!(unique.map(([, r]) => r), signal)
        const byKey = new Map(unique.map(([k], i) => [k, out[i]]))
        reqs.forEach((r, i) => {
          const s = byKey.get(keyOf(r))!
          if ('error' in s) failures[i] ??= s
          else values[i].set(useKey(u), { logp: s.value, tokens: s.tokens ?? 0 })
        })
      }
      return batch.map((_, i): Scored => {
        if (failures[i]) return failures[i]!
        const v = expr.evaluate(values[i])
        return Number.isFinite(v) ? { value: v } : { error: { code: 'E_NONFINITE', message: `reward expression '${spec.reward}' gave ${v} (e.g. a division by zero tokens)` } }
      })
    },
    async dispose() {
      await Promise.all(names.map((n) => spec.lms[n].dispose?.()))
    },
  }
}

/** Named LMs without a reward expression (`--model <policy> --lm ref=<spec>`): for tasks that read log p. */
export function lmSetRunner(lms: Record<string, Runner>): Runner {
  const names = Object.keys(lms)
  return {
    id: names.map((n) => lms[n].id).join('-vs-'),
    fingerprint: hashOf({ runner: 'lms', lms: Object.fromEntries(names.map((n) => [n, lms[n].fingerprint])) }),
    capabilities: { logprob: true },
    lms,
    cacheable: names.every((n) => lms[n].cacheable),
    info: { runner: 'lms', ...Object.fromEntries(names.map((n) => [`lm.${n}`, lms[n].id])) },
    batchSize: Math.min(...names.map((n) => lms[n].batchSize)) * 4,
    async dispose() {
      await Promise.all(names.map((n) => lms[n].dispose?.()))
    },
  }
}
