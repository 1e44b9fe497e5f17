import { rewardHead, type RewardHead } from '../onnx/reward-head.ts'
import type { Scored } from '../types.ts'
import { RmbenchError } from '../../errors.ts'
import { HttpFailure } from './http-failure.ts'
import { arr, byIndex, num, obj } from './json-shape.ts'
import type { ReplicaPool } from './replica-pool.ts'
import { unsupported, type PoolingAttempt } from './vllm-dialect.ts'

/** One input as a reward server takes it: token ids, a rendered text, or TEI's sequence (one text or a text pair). */
export type RewardInput = number[] | string | [string] | [string, string]

/** A reward server API: sends a batch of inputs and returns each input's logits (one per label). */
export interface RewardApi {
  name: string
  call(pool: ReplicaPool, model: string, inputs: RewardInput[], extra: Record<string, unknown>, signal?: AbortSignal): Promise<number[][]>
}

/** Logits of one pooled output: a scalar, a label vector, or per-token rows (a reward read at the last token). */
export function pooledLogits(v: unknown, what: string): number[] {
  if (typeof v === 'number') return [num(v, what)]
  const a = arr(v, what)
  if (a.length && Array.isArray(a[0])) return pooledLogits(a[a.length - 1], `${what}[last token]`)
  return a.map((x, i) => num(x, `${what}[${i}]`))
}

/**
 * vLLM's reward routes, raw logits per input, by the first of `attempts` (vllm-dialect.ts) the server accepts: the
 * first batch tries them in order (a refusal as unsupported moves on), later batches wait for it and use the one
 * that worked, which `pinned` reports (for model.info). /pooling answers `data[i].data`, /classify `data[i].probs`.
 */
export function vllmRewardApi(attempts: PoolingAttempt[], pinned: (a: PoolingAttempt) => void): RewardApi {
  let chosen: Promise<PoolingAttempt> | null = null
  const post = (a: PoolingAttempt, pool: ReplicaPool, model: string, input: RewardInput[], extra: Record<string, unknown>, signal?: AbortSignal) =>
    pool.post(a.path, { model, input, ...a.params, ...(a.path === '/pooling' ? { encoding_format: 'float' } : {}), ...extra }, (json) =>
      byIndex(json, 'data', input.length).map((d, i) => (a.path === '/pooling' ? pooledLogits(d.data, `data[${i}].data`) : pooledLogits(d.probs, `data[${i}].probs`))), signal)
  return {
    name: 'vllm',
    async call(pool, model, input, extra, signal) {
      if (chosen) return post(await chosen, pool, model, input, extra, signal)
      let first: number[][] | undefined
      const refusals: string[] = []
      chosen = (async () => {
        for (const a of attempts) {
          try {
            first = await post(a, pool, model, input, extra, signal)
            pinned(a)
            return a
          } catch (e) {
            if (!(e instanceof HttpFailure && e.kind === 'status' && unsupported(e.status, e.message))) throw e
            refusals.push(e.message)
            pool.forgetRefusal(e)
          }
        }
        throw new RmbenchError('E_HTTP_SERVER', `the vLLM server refused every way rmbench asks a reward model for raw logits (${refusals.join('; ')}). Serve it as a pooling model (vllm serve <model> --runner pooling; --task reward or classify before 0.10.1) and check the URL and model name.`)
      })()
      try {
        await chosen
      } catch (e) {
        chosen = null // the next batch tries again (this one failed for its own inputs, or the server is down)
        throw e
      }
      return first!
    },
  }
}

/**
 * TEI `POST /predict` with raw scores (router/src/http/types.rs and server.rs, v0.6–v1.9.3): `inputs` is always
 * sent as a batch of sequences, `[["text"], ["q", "r"], …]` — a list whose first element is a string would be ONE
 * input (`["a", "b"]` a text pair, `["a"]` a single text answered flat). The answer is a list per input of
 * {label, score} sorted by score (a flat list for a single input, read too), put back in label order: `labels`
 * from the tokenizer folder's config.json or TEI's own `/info` id2label.
 */
export function teiPredict(labels: string[]): RewardApi {
  return {
    name: 'predict',
    call: (pool, _model, inputs, extra, signal) =>
      pool.post('/predict', { inputs, raw_scores: true, ...extra }, (json) => {
        const answer = arr(json, 'the answer')
        const rows = answer.length && !Array.isArray(answer[0]) ? [answer] : answer
        if (rows.length !== inputs.length) throw new Error(`${rows.length} predictions for ${inputs.length} inputs`)
        return rows.map((row, i) => {
          const entries = arr(row, `prediction ${i}`).map((e, j) => obj(e, `prediction ${i}[${j}]`))
          if (entries.length !== labels.length) throw new Error(`prediction ${i} has ${entries.length} labels, the model ${labels.length} (${labels.join(', ')})`)
          return labels.map((name) => {
            const hit = entries.find((e) => String(e.label) === name)
            if (!hit) throw new Error(`prediction ${i} has no label '${name}'`)
            return num(hit.score, `prediction ${i} '${name}'.score`)
          })
        })
      }, signal),
  }
}

/** Turns one input's logits into its reward with the `label` choice (as onnx: does); a non-finite reward is that item's error. */
export function logitsReader(id2label: Record<string, string>, label: string | undefined): (logits: number[]) => Scored {
  // The head depends on the label count, known only from the first answer.
  const heads = new Map<number, RewardHead>()
  return (logits) => {
    if (!heads.has(logits.length)) heads.set(logits.length, rewardHead(logits.length, id2label, label))
    const v = heads.get(logits.length)!.read(logits, 0, logits.length)
    return Number.isFinite(v) ? { value: v } : { error: { code: 'E_NONFINITE', message: `the server returned ${v}` } }
  }
}
