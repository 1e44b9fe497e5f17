import type { Message, VerdictAsk } from '../../data/types.ts'
import { bareAnswer, verdictRules } from '../../judges/verdict-rules.ts'
import type { RewardRequest, Scored } from '../types.ts'
import { arr, byIndex, num, obj } from './json-shape.ts'
import type { ReplicaPool } from './replica-pool.ts'

/** A chat judge's first answer token: its text and, when the server gives them, the top alternatives' log-probs. */
export interface ChatAnswer { content: string; top: { token: string; logprob: number }[] | null }

/** Log p 0 stands for "not among the server's top alternatives" (exp underflows to exactly 0). */
export const LOG_ZERO = -1000

/** `POST /v1/chat/completions` at temperature 0 (seeded) for one token, asking for the top alternatives' log-probs (OpenAI allows 20). */
export function askChat(pool: ReplicaPool, model: string, messages: Message[], topLogprobs: number, signal?: AbortSignal): Promise<ChatAnswer> {
  return pool.post('/v1/chat/completions', { model, messages, temperature: 0, seed: 0, max_tokens: 1, logprobs: true, top_logprobs: topLogprobs }, (json) => {
    const choice = byIndex(json, 'choices', 1)[0]
    const content = String(obj(choice.message, 'choices[0].message').content ?? '')
    const lp = choice.logprobs as { content?: unknown } | null | undefined
    if (!lp || !Array.isArray(lp.content) || !lp.content.length) return { content, top: null }
    const first = obj(lp.content[0], 'choices[0].logprobs.content[0]')
    const top = arr(first.top_logprobs ?? [], 'top_logprobs').map((t, i) => {
      const o = obj(t, `top_logprobs[${i}]`)
      return { token: String(o.token), logprob: num(o.logprob, `top_logprobs[${i}].logprob`) }
    })
    if (!top.some((t) => t.token === first.token)) top.push({ token: String(first.token), logprob: num(first.logprob, 'choices[0].logprobs.content[0].logprob') })
    return { content, top }
  }, signal)
}

const norm = bareAnswer

/**
 * One call per distinct key (the labels of one prompt are separate requests that ask the same): a call in flight
 * or done is shared, a failed one forgotten so a retry asks again; past 4,096 keys the oldest is dropped.
 */
export function sharedCalls<T>(): (key: string, call: () => Promise<T>) => Promise<T> {
  const calls = new Map<string, Promise<T>>()
  return (key, call) => {
    let p = calls.get(key)
    if (!p) {
      if (calls.size > 4096) calls.delete(calls.keys().next().value!)
      p = call()
      p.catch(() => calls.delete(key))
      calls.set(key, p)
    }
    return p
  }
}

/** A judge's generated answer and the tokens it cost (the server's usage block; 0 where it sends none). */
export interface GeneratedAnswer { content: string; promptTokens: number; completionTokens: number }

/**
 * `POST /v1/chat/completions` for a judge that explains before its verdict: temperature 0 and a fixed seed (so a
 * re-asked verdict is the same one), up to `maxTokens` tokens.
 */
export function generateAnswer(pool: ReplicaPool, model: string, messages: Message[], maxTokens: number, signal?: AbortSignal): Promise<GeneratedAnswer> {
  return pool.post('/v1/chat/completions', { model, messages, temperature: 0, seed: 0, max_tokens: maxTokens }, (json) => {
    const choice = byIndex(json, 'choices', 1)[0]
    const content = obj(choice.message, 'choices[0].message').content
    const u = (json as { usage?: unknown }).usage
    const usage = u && typeof u === 'object' ? (u as Record<string, unknown>) : {}
    const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0)
    return { content: typeof content === 'string' ? content : '', promptTokens: count(usage.prompt_tokens), completionTokens: count(usage.completion_tokens) }
  }, signal)
}

/**
 * log p(label) from a generated answer read by the template's verdict rule: 0 for the label it names, LOG_ZERO for
 * the other, log ½ each for a tie; a rating names its scale value. The answer's text travels with the score; an
 * answer the rule cannot read is E_VERDICT (the task's declared rule counts it), never an even split.
 */
export function verdictLogprob(text: string, req: RewardRequest, ask: VerdictAsk): Scored {
  const v = verdictRules.get(ask.parse).parse(text, ask)
  if (typeof v === 'string') return { error: { code: 'E_VERDICT', message: v }, output: text }
  if ('rating' in v) return { value: String(v.rating) === req.response ? 0 : LOG_ZERO, output: text }
  if (v.winner === 'tie') return { value: Math.log(0.5), output: text }
  const named = v.winner === 'first' ? ask.labels[0] : ask.labels[1]
  return { value: named === req.response ? 0 : LOG_ZERO, output: text }
}

/**
 * log p(label) from a chat answer. With top log-probs: the summed probability of the tokens that spell the label
 * (" A" and "A" alike); a label outside the top alternatives gets LOG_ZERO, as long as some choice is there. Without them: the
 * answer text decides (0 for the label it names, LOG_ZERO for the others). An answer that names no choice at all is
 * unparseable: an error, never an even split (that would score as a tie).
 */
export function labelLogprob(answer: ChatAnswer, req: RewardRequest): Scored {
  const choices = (req.choices ?? [req.response]).map(norm)
  const label = norm(req.response)
  if (answer.top) {
    const hits = answer.top.filter((t) => norm(t.token) === label)
    if (hits.length) {
      const m = Math.max(...hits.map((h) => h.logprob))
      return { value: m + Math.log(hits.reduce((z, h) => z + Math.exp(h.logprob - m), 0)), tokens: 1 }
    }
    if (answer.top.some((t) => choices.includes(norm(t.token)))) return { value: LOG_ZERO, tokens: 1 }
  }
  const said = norm(answer.content)
  const named = choices.find((c) => said === c || said.startsWith(c + ' '))
  if (named === undefined) return { error: { code: 'E_VERDICT', message: `the judge answered ${JSON.stringify(answer.content.slice(0, 40))}, which is none of ${(req.choices ?? [req.response]).join(', ')}` } }
  return { value: named === label ? 0 : LOG_ZERO, tokens: 1 }
}
