import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { RewardRequest, Runner, Scored } from '../runners/types.ts'
import { chunkSize } from '../util/chunk-size.ts'
import type { PlannedRequest } from './plan.ts'
import { scoreRequests } from './score-requests.ts'
import { ScoreStore } from './score-store.ts'

const FP = '0123456789abcdef'
const planned = (n: number): PlannedRequest[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, request: { prompt: [{ role: 'user', content: 'q' }], response: `r${i}` }, size: i }))

/** A runner that scores the response's number and writes down what it was told and asked, in order. */
function recorder(lookahead: number, batchInvariant = false) {
  const told: string[][] = []
  const asked: string[][] = []
  const runner: Runner = {
    id: 'rec', fingerprint: FP, capabilities: { reward: true }, info: { runner: 'test' }, batchSize: 16, lookahead, batchInvariant,
    prepare: (batch: RewardRequest[]) => void told.push(batch.map((r) => r.response)),
    reward: async (batch: RewardRequest[]): Promise<Scored[]> => {
      asked.push(batch.map((r) => r.response))
      return batch.map((r) => ({ value: Number(r.response.slice(1)) }))
    },
  }
  return { runner, told, asked }
}

t.test('a runner that prepares is told every request it will be asked, ahead, in the order asked', async (t) => {
  const chunk = chunkSize(16)
  const todo = planned(chunk * 5 + 3)
  const { runner, told, asked } = recorder(chunk * 2)
  const store = new ScoreStore(join(mkdtempSync(join(tmpdir(), 'rmbench-sr-')), 'records.jsonl'))
  await scoreRequests(todo, runner, store, { cached: 0 })
  t.same(told.flat(), asked.flat(), 'told exactly what was asked, in that order')
  t.same(told.map((b) => b.length), [chunk * 2, chunk * 2, chunk + 3], 'about `lookahead` requests at a time, in whole chunks')
  t.equal(store.records().length, todo.length)
})

t.test('settled chunks are not told; a chunk with a gap is told whole unless scores do not depend on batching', async (t) => {
  const chunk = chunkSize(16)
  const todo = planned(chunk * 3)
  for (const invariant of [false, true]) {
    const store = new ScoreStore(join(mkdtempSync(join(tmpdir(), 'rmbench-sr-')), 'records.jsonl'))
    // Chunk 0 settled; chunk 1 lacks one request; chunk 2 lacks all.
    store.append(FP, todo.slice(0, chunk * 2 - 1).map((p) => p.key), todo.slice(0, chunk * 2 - 1).map(() => ({ value: 0 })))
    const { runner, told, asked } = recorder(chunk * 10, invariant)
    await scoreRequests(todo, runner, store, { cached: 0 })
    t.same(told.flat(), asked.flat(), `batchInvariant ${invariant}: told what was asked`)
    t.equal(told.flat().length, invariant ? chunk + 1 : chunk * 2)
  }
})
