import type { Scored } from '../types.ts'
import { arr, byIndex, num, obj } from './json-shape.ts'
import type { ReplicaPool } from './replica-pool.ts'

/**
 * A log-likelihood input: token ids with the first response token's index, or the rendered text with the same
 * boundary found by tokenising it here (`start` of `count` tokens, rmbench's tokenizer folder being the server's).
 */
export type LmInput = { ids: number[]; start: number } | { text: string; start: number; count: number }

/** Which completions feature returns prompt log-probs: OpenAI's `echo` + `logprobs`, or vLLM's `prompt_logprobs`. */
export type LogprobMode = 'echo' | 'prompt_logprobs'

const result = (sum: number, tokens: number): Scored => (Number.isFinite(sum) ? { value: sum, tokens } : { error: { code: 'E_NONFINITE', message: `log-probability is ${sum}` } })

/**
 * Σ log p over response tokens from an echoed `logprobs` block, by token index: the echoed prompt's tokens come
 * first, the generated one after them is left out. For text inputs the index comes from tokenising here, never
 * from `text_offset` — vLLM's offsets are a running sum of decoded token lengths, not character positions
 * (serving_completion.py) — and the echoed token count must equal ours, or the server tokenises differently.
 */
export function echoSum(input: LmInput, lp: Record<string, unknown>, i: number): Scored {
  const values = arr(lp.token_logprobs, `choices[${i}].logprobs.token_logprobs`)
  const count = 'ids' in input ? input.ids.length : input.count
  if ('ids' in input ? values.length < count : values.length !== count + 1 && values.length !== count)
    throw new Error(`choices[${i}] echoed ${values.length} tokens for a prompt of ${count} tokens${'ids' in input ? '' : ' as the ?tokenizer= folder tokenises it: the server tokenises differently (serve the same tokenizer, or use inputs=tokens)'}`)
  let sum = 0
  for (let t = input.start; t < count; t++) sum += num(values[t], `choices[${i}].logprobs.token_logprobs[${t}]`)
  return result(sum, count - input.start)
}

/** Σ log p over response tokens from vLLM's `prompt_logprobs`: position t maps token id → {logprob}; element 0 is null. */
export function promptLogprobsSum(input: { ids: number[]; start: number }, list: unknown[], i: number): Scored {
  if (list.length < input.ids.length) throw new Error(`choices[${i}].prompt_logprobs has ${list.length} positions for ${input.ids.length} tokens`)
  let sum = 0
  for (let t = input.start; t < input.ids.length; t++) {
    const entry = obj(list[t], `choices[${i}].prompt_logprobs[${t}]`)[String(input.ids[t])]
    sum += num(obj(entry, `choices[${i}].prompt_logprobs[${t}]['${input.ids[t]}']`).logprob, `choices[${i}].prompt_logprobs[${t}].logprob`)
  }
  return result(sum, input.ids.length - input.start)
}

/** `POST /v1/completions` that generates one token and returns the prompt's log-probs; one Scored per input. */
export function completionLogprobs(pool: ReplicaPool, model: string, inputs: LmInput[], mode: LogprobMode, signal?: AbortSignal, extra: Record<string, unknown> = {}): Promise<Scored[]> {
  const prompt = inputs.map((x) => ('ids' in x ? x.ids : x.text))
  const body = mode === 'echo'
    ? { model, prompt, max_tokens: 1, temperature: 0, echo: true, logprobs: 1, ...extra }
    : { model, prompt, max_tokens: 1, temperature: 0, prompt_logprobs: 1, ...extra }
  return pool.post('/v1/completions', body, (json) =>
    byIndex(json, 'choices', inputs.length).map((c, i) => {
      const input = inputs[i]
      if (mode === 'prompt_logprobs') {
        if (!('ids' in input)) throw new Error('prompt_logprobs needs token-id inputs')
        return promptLogprobsSum(input, arr(c.prompt_logprobs, `choices[${i}].prompt_logprobs`), i)
      }
      return echoSum(input, obj(c.logprobs, `choices[${i}].logprobs`), i)
    }), signal)
}
