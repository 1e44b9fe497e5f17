import fc from 'fast-check'
import t from 'tap'
import type { Example } from '../data/types.ts'
import { percentileCi } from '../stats/bootstrap.ts'
import { createRng } from '../stats/rng.ts'
import type { SuiteSpec } from '../suite/types.ts'
import { bestOfNTask } from '../tasks/best-of-n/best-of-n-task.ts'
import { pairwiseTask } from '../tasks/pairwise/pairwise-task.ts'
import type { ExampleScores, Task } from '../tasks/types.ts'
import { meanReplicates } from '../tasks/mean-replicates.ts'
import { attachCis } from './metric-cis.ts'

const ex = (id: string, group: string, nc = 1, nr = 1): Example => ({ id, group, prompt: [], chosen: new Array(nc).fill('c'), rejected: new Array(nr).fill('r'), origin: { file: 'x', line: 1 } })

function pairs(n: number, seed: number) {
  const rng = createRng(seed)
  const examples: Example[] = []
  const scores: ExampleScores = new Map()
  for (let i = 0; i < n; i++) {
    const g = i % 3 === 0 ? 'a' : 'b'
    examples.push(ex(`e${i}`, g))
    scores.set(`e${i}`, { 'chosen/0': rng.next() + (g === 'a' ? 0.2 : 0), 'rejected/0': rng.next() })
  }
  return { examples, scores }
}

t.test('the fast (typed-array) and the recomputing bootstrap agree on pairwise metrics', async (t) => {
  const { examples, scores } = pairs(600, 1)
  const suite: SuiteSpec = { name: 's', task: 'pairwise', data: { source: 'x' }, sections: { A: ['a'], B: ['b'] }, stats: { bootstrap: 4000, generic_resamples: 4000 } }
  const fast = pairwiseTask.metrics(examples, scores, suite)
  attachCis(fast, { task: pairwiseTask, analyses: [], examples, scores, tokens: new Map(), suite })
  // The same metrics through the generic path only: a task without the mean statistic.
  const slowTask: Task = { ...pairwiseTask, meanStatistic: undefined }
  const slow = pairwiseTask.metrics(examples, scores, suite)
  attachCis(slow, { task: slowTask, analyses: [], examples, scores, tokens: new Map(), suite })
  for (const k of ['accuracy', 'accuracy/a', 'accuracy/b', 'score']) {
    t.ok(fast[k].ci && slow[k].ci, k)
    t.ok(Math.abs(fast[k].ci![0] - slow[k].ci![0]) < 0.012 && Math.abs(fast[k].ci![1] - slow[k].ci![1]) < 0.012, `${k}: ${fast[k].ci} vs ${slow[k].ci}`)
  }
  t.equal(fast.accuracy.resamples, 4000)
  const se = fast['accuracy/a'].se!
  const p = fast['accuracy/a'].value
  t.ok(Math.abs(se - Math.sqrt((p * (1 - p)) / fast['accuracy/a'].n)) < 1e-12, 'analytical binomial SE')
})

t.test('BCa intervals hold the estimate; bootstrap 0 turns intervals off', async (t) => {
  const { examples, scores } = pairs(300, 2)
  const suite: SuiteSpec = { name: 's', task: 'pairwise', data: { source: 'x' }, stats: { bootstrap: 2000, method: 'bca' } }
  const m = pairwiseTask.metrics(examples, scores, suite)
  const s = attachCis(m, { task: pairwiseTask, analyses: [], examples, scores, tokens: new Map(), suite })
  t.equal(s!.method, 'bca')
  for (const [k, v] of Object.entries(m)) t.ok(v.ci![0] <= v.value && v.value <= v.ci![1], `${k}: ${v.ci}`)
  const off = pairwiseTask.metrics(examples, scores, suite)
  t.equal(attachCis(off, { task: pairwiseTask, analyses: [], examples, scores, tokens: new Map(), suite: { ...suite, stats: { bootstrap: 0 } } }), null)
  t.equal(off.accuracy.ci, undefined)
})

t.test("best-of-n: a Ties prompt's ref and tied rows are resampled together, so every resample has a Ties score", async (t) => {
  const examples: Example[] = []
  const scores: ExampleScores = new Map()
  for (let i = 0; i < 1; i++) {
    examples.push(ex(`ref:p${i}`, 'Ties', 1, 2), ex(`tied:p${i}`, 'Ties', 2, 2))
    scores.set(`ref:p${i}`, { 'chosen/0': 3 + (i % 4), 'rejected/0': 1, 'rejected/1': 2 })
    scores.set(`tied:p${i}`, { 'chosen/0': 3, 'chosen/1': 3.5 + (i % 3), 'rejected/0': 1, 'rejected/1': i % 5 })
  }
  for (let i = 0; i < 30; i++) {
    examples.push(ex(`f${i}`, 'Factuality', 1, 3))
    scores.set(`f${i}`, { 'chosen/0': i % 2, 'rejected/0': 0.5, 'rejected/1': 0.2, 'rejected/2': 0.1 })
  }
  const suite: SuiteSpec = { name: 's', task: 'best-of-n', data: { source: 'x' }, stats: { bootstrap: 300 } }
  const m = bestOfNTask.metrics(examples, scores, suite)
  attachCis(m, { task: bestOfNTask, analyses: [], examples, scores, tokens: new Map(), suite })
  t.ok(m['accuracy/Ties'].ci, 'Ties has an interval')
  t.ok(m['ties/margin'].ci && m.score.ci)
  t.ok(m['accuracy/Ties'].ci![0] <= m['accuracy/Ties'].value && m['accuracy/Ties'].value <= m['accuracy/Ties'].ci![1])
  t.equal(m['accuracy/Ties'].resamples, 300, 'every resample has a Ties score')
  // Drawn row by row instead, a ref copy and a tied copy never share a draw, so no resample has a Ties score.
  const unpaired = bestOfNTask.metrics(examples, scores, suite)
  attachCis(unpaired, { task: { ...bestOfNTask, cluster: undefined }, analyses: [], examples, scores, tokens: new Map(), suite })
  t.equal(unpaired['accuracy/Ties'].ci, undefined)
  t.ok(unpaired['accuracy/Factuality'].ci, 'other subsets are unaffected')
})

t.test('mean replicates: several value columns see the same draws', async (t) => {
  const v = Float64Array.from({ length: 50 }, (_, i) => i % 2)
  const stat = { ids: [...v].map((_, i) => String(i)), strata: new Int32Array(50), values: [v, v], combine: (s: Float64Array[]) => ({ d: s[0][1] - s[0][0] }) }
  const reps = meanReplicates(stat, 200, 3).get('d')!
  t.ok(reps.every((x) => x === 0), 'identical columns give identical sums in every resample')
  t.same(percentileCi(reps, 0.95), [0, 0])
})

/**
 * The resampling as first written: strata in ascending order, each column drawing from an index list into the
 * whole column, Mulberry32 as createRng, every column of a stratum replaying the same draws; each stratum summed
 * on its own, and the strata's sums added in ascending order.
 */
function referenceReplicates(strata: number[], values: number[][], resamples: number, seed: number): number[][] {
  let state = ((seed >>> 0) ^ 0x9e3779b9) >>> 0
  const keys = [...new Set(strata)].sort((a, b) => a - b)
  const lists = keys.map((k) => strata.flatMap((s, i) => (s === k ? [i] : [])))
  const out: number[][] = []
  for (let b = 0; b < resamples; b++) {
    const sums = values.map(() => 0)
    for (const list of lists) {
      const start = state
      values.forEach((col, k) => {
        let s = start
        let acc = 0
        for (let j = 0; j < list.length; j++) {
          s = (s + 0x6d2b79f5) >>> 0
          let x = Math.imul(s ^ (s >>> 15), s | 1)
          x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
          acc += col[list[Math.floor((((x ^ (x >>> 14)) >>> 0) * list.length) / 4294967296)]]
        }
        // A stratum's sum, then the strata's sums in order: the order the statistic adds them in.
        sums[k] += 0 + acc
        if (k === values.length - 1) state = s
      })
    }
    out.push(sums)
  }
  return out
}

t.test('meanReplicates draws exactly as the reference: few-valued columns (one-byte codes), many-valued, -0, all strata', async (t) => {
  const value = fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constant(-0))
  await fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), value, fc.constantFrom(0, 1), fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 700 }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      (rows, seed) => {
        const strata = rows.map((r) => r[0])
        const cols = [rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3] / 7)] // mixed, two-valued, ~400 distinct
        const stat = { strata: Int32Array.from(strata), values: cols.map((c) => Float64Array.from(c)), combine: (sums: Float64Array[]) => Object.fromEntries(cols.map((_, k) => [`c${k}`, sums.reduce((a, r) => a + r[k], 0)])) }
        const got = meanReplicates(stat, 5, seed)
        const want = referenceReplicates(strata, cols, 5, seed)
        return cols.every((_, k) => want.every((w, b) => Object.is(got.get(`c${k}`)![b], w[k])))
      },
    ),
    { numRuns: 200 },
  )
  t.pass('200 random datasets')
})
