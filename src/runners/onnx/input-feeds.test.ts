import { Tensor } from 'onnxruntime-node'
import t from 'tap'
import { buildFeeds } from './input-feeds.ts'
import type { Encoded } from './request-encoder.ts'
import type { ValueMeta } from './ort-session.ts'

const meta = (name: string, type: string): ValueMeta => ({ name, type, shape: ['batch', 'seq'] })
const INPUTS = [meta('input_ids', 'int64'), meta('attention_mask', 'int64'), meta('token_type_ids', 'int64'), meta('position_ids', 'int32')]
const row = (ids: number[], typeIds = ids.map(() => 0)) => ({ ids, typeIds }) as unknown as Encoded
const values = (x: Tensor) => Array.from(x.data as BigInt64Array | Int32Array, Number)

t.test('padded batches, by hand: ids, mask, token types and positions on either side', async (t) => {
  const batch = [row([5, 6, 7], [0, 0, 1]), row([9])]
  const right = buildFeeds(Tensor, INPUTS, batch, 2, 'right')
  t.same(right.input_ids.dims, [2, 3])
  t.equal(right.input_ids.type, 'int64')
  t.equal(right.position_ids.type, 'int32')
  t.same(values(right.input_ids), [5, 6, 7, 9, 2, 2])
  t.same(values(right.attention_mask), [1, 1, 1, 1, 0, 0])
  t.same(values(right.token_type_ids), [0, 0, 1, 0, 0, 0])
  t.same(values(right.position_ids), [0, 1, 2, 0, 1, 1])
  const left = buildFeeds(Tensor, INPUTS, batch, 2, 'left')
  t.same(values(left.input_ids), [5, 6, 7, 2, 2, 9])
  t.same(values(left.attention_mask), [1, 1, 1, 0, 0, 1])
  t.same(values(left.token_type_ids), [0, 0, 1, 0, 0, 0])
  t.same(values(left.position_ids), [0, 1, 2, 1, 1, 0])
  t.same(Object.keys(buildFeeds(Tensor, INPUTS.slice(0, 2), batch, 2, 'right')), ['input_ids', 'attention_mask'], 'only the inputs the graph has')
})

t.test('int64 words are exact across the 32-bit boundaries and for a negative pad id', async (t) => {
  const big = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]
  const f = buildFeeds(Tensor, INPUTS.slice(0, 1), [row(big), row([3])], -1, 'right')
  t.same([...(f.input_ids.data as BigInt64Array)], [0n, 1n, 2147483647n, 2147483648n, 4294967295n, 3n, -1n, -1n, -1n, -1n])
  const i32 = buildFeeds(Tensor, [meta('input_ids', 'int32')], [row([2 ** 31 - 1]), row([])], -1, 'left')
  t.same([...(i32.input_ids.data as Int32Array)], [2147483647, -1])
})
