import { rewardHead, type RewardHead } from '../onnx/reward-head.ts'
import type { Scored } from '../types.ts'
import { arr, byIndex, num, obj } from './json-shape.ts'
import type { ReplicaPool } from './replica-pool.ts'

/** One input as a reward server takes it: token ids, a rendered text, or a text pair (TEI). */
export type RewardInput = number[] | string | [string, string]

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

/** vLLM `POST /pooling` with task classify and no activation: raw logits per input. */
export const poolingApi: RewardApi = {
  name: 'pooling',
  call: (pool, model, input, extra, signal) =>
    pool.post('/pooling', { model, input, task: 'classify', use_activation: false, encoding_format: 'float', ...extra }, (json) =>
      byIndex(json, 'data', input.length).map((d, i) => pooledLogits(d.data, `data[${i}].data`)), signal),
}

/** vLLM `POST /classify` without activation: `probs` then holds the raw logits. */
export const classifyApi: RewardApi = {
  name: 'classify',
  call: (pool, model, input, extra, signal) =>
    pool.post('/classify', { model, input, use_activation: false, ...extra }, (json) =>
      byIndex(json, 'data', input.length).map((d, i) => pooledLogits(d.probs, `data[${i}].probs`)), signal),
}

/** TEI `POST /predict` with raw scores: one list of {label, score} per input, sorted by score, put back in label order. */
export function teiPredict(labels: string[] | null): RewardApi {
  return {
    name: 'predict',
    call: (pool, _model, inputs, extra, signal) =>
      pool.post('/predict', { inputs, raw_scores: true, ...extra }, (json) => {
        const rows = arr(json, 'the answer')
        if (rows.length !== inputs.length) throw new Error(`${rows.length} predictions for ${inputs.length} inputs`)
        return rows.map((row, i) => {
          const entries = arr(row, `prediction ${i}`).map((e, j) => obj(e, `prediction ${i}[${j}]`))
          const names = labels ?? entries.map((e) => String(e.label)).sort()
          return names.map((name) => {
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
