import type { Tensor } from 'onnxruntime-node'
import { RmbenchError } from '../../errors.ts'
import type { Encoded } from './request-encoder.ts'
import type { ValueMeta } from './ort-session.ts'

/** Which end of a batch row receives the padding. */
export type PaddingSide = 'left' | 'right'

type TensorCtor = typeof Tensor
const PAST = /^past(_key_values)?[._]/

/** Names of graph inputs rmbench can fill, for error messages. */
export const FEEDABLE = ['input_ids', 'attention_mask', 'token_type_ids', 'position_ids', 'past_key_values.* / past_*']

/** Checks up front that every graph input is one rmbench knows how to fill. */
export function checkInputs(inputs: ValueMeta[], modelFile: string): void {
  const names = inputs.map((i) => i.name)
  if (!names.includes('input_ids'))
    throw new RmbenchError('E_MODEL_INPUTS', `${modelFile}: the graph has no 'input_ids' input (it has ${names.join(', ')}). rmbench feeds ${FEEDABLE.join(', ')}.`)
  const unknown = names.filter((n) => !FEEDABLE.slice(0, 4).includes(n) && !PAST.test(n))
  if (unknown.length)
    throw new RmbenchError('E_MODEL_INPUTS', `${modelFile}: graph input(s) ${unknown.join(', ')} are not ones rmbench can fill; it feeds ${FEEDABLE.join(', ')}. Re-export the model with standard input names.`)
  for (const i of inputs)
    if (!PAST.test(i.name) && !['int64', 'int32'].includes(i.type))
      throw new RmbenchError('E_MODEL_INPUTS', `${modelFile}: input '${i.name}' has type ${i.type}; rmbench feeds int64 or int32 ids.`)
}

/** An empty past key/value tensor: batch dims → B, the (symbolic) past-length dim → 0, fixed dims kept. */
function emptyPast(T: TensorCtor, meta: ValueMeta, batch: number): Tensor {
  const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : /batch/i.test(String(d)) ? batch : 0))
  if (!dims.includes(0)) dims[dims.length - 2] = 0
  const type = meta.type === 'float16' ? 'float16' : meta.type === 'float32' ? 'float32' : null
  if (!type) throw new RmbenchError('E_MODEL_INPUTS', `past input '${meta.name}' has type ${meta.type}; rmbench fills float32 or float16 past tensors.`)
  return new T(type, type === 'float16' ? new Uint16Array(0) : new Float32Array(0), dims)
}

type IntArray = BigInt64Array | Int32Array

/** Whether this machine stores the low half of an int64 first (every platform onnxruntime-node ships for). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/**
 * Writes value v at index k of an id tensor's data. An int64 is written as two 32-bit words, low word first: no
 * BigInt allocated per token (one each, for every token of every input, was most of buildFeeds' time and garbage).
 * Exact for -2^31 ≤ v < 2^32; ids are ≥ 0.
 */
function writer(data: IntArray): (k: number, v: number) => void {
  if (data instanceof Int32Array) return (k, v) => void (data[k] = v)
  if (!LITTLE_ENDIAN) return (k, v) => void (data[k] = BigInt(v))
  const words = new Uint32Array(data.buffer)
  return (k, v) => {
    words[2 * k] = v >>> 0
    words[2 * k + 1] = v < 0 ? 0xffffffff : 0
  }
}

/** The value of one id input at position t of a row's real tokens. */
type Fill = (e: Encoded, t: number) => number

const FILLS: Record<string, { fill: Fill; pad: (padId: number) => number }> = {
  input_ids: { fill: (e, t) => e.ids[t], pad: (padId) => padId },
  attention_mask: { fill: () => 1, pad: () => 0 },
  token_type_ids: { fill: (e, t) => e.typeIds[t], pad: () => 0 },
  // = cumsum(mask) - 1 on real tokens, 1 on padding, as transformers derives them.
  position_ids: { fill: (_e, t) => t, pad: () => 1 },
}

/**
 * Pads a batch of encoded sequences and builds every graph input from the session's metadata, writing each
 * id input straight into the typed array onnxruntime reads (no intermediate JS arrays), and only the inputs
 * the graph has.
 */
export function buildFeeds(T: TensorCtor, inputs: ValueMeta[], batch: Encoded[], padId: number, side: PaddingSide): Record<string, Tensor> {
  const B = batch.length
  let L = 0
  for (const e of batch) L = Math.max(L, e.ids.length)
  const feeds: Record<string, Tensor> = {}
  for (const i of inputs) {
    const how = FILLS[i.name]
    if (!how) {
      feeds[i.name] = emptyPast(T, i, B)
      continue
    }
    const wide = i.type !== 'int32'
    const data: IntArray = wide ? new BigInt64Array(B * L) : new Int32Array(B * L)
    const padValue = how.pad(padId)
    const put = writer(data)
    if (padValue !== 0) for (let k = 0; k < B * L; k++) put(k, padValue)
    for (let b = 0; b < B; b++) {
      const e = batch[b]
      const off = b * L + (side === 'left' ? L - e.ids.length : 0)
      for (let t = 0; t < e.ids.length; t++) put(off + t, how.fill(e, t))
    }
    feeds[i.name] = wide ? new T('int64', data as BigInt64Array, [B, L]) : new T('int32', data as Int32Array, [B, L])
  }
  return feeds
}
