import * as ort from 'onnxruntime-node'

const i64 = (a: BigInt64Array, dims: number[]) => new ort.Tensor('int64', a, dims)

/**
 * The limit's feeds: a right-padded [B, L] batch of ids and its mask, built straight into typed arrays: each int64
 * as two 32-bit words (little-endian, ids ≥ 0), so no BigInt is made per token.
 */
export function limitFeeds(rows: number[][]): Record<string, ort.Tensor> {
  const L = Math.max(...rows.map((r) => r.length))
  const ids = new BigInt64Array(rows.length * L)
  const mask = new BigInt64Array(rows.length * L)
  const idWords = new Uint32Array(ids.buffer)
  const maskWords = new Uint32Array(mask.buffer)
  rows.forEach((r, b) => r.forEach((id, t) => { idWords[2 * (b * L + t)] = id; maskWords[2 * (b * L + t)] = 1 }))
  return { input_ids: i64(ids, [rows.length, L]), attention_mask: i64(mask, [rows.length, L]) }
}
