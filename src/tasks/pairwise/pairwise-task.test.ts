import t from 'tap'
import type { Example } from '../../data/types.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { groupAccuracy, pairCredit, pairwiseTask } from './pairwise-task.ts'

const ex = (id: string, group: string): Example => ({ id, group, prompt: [{ role: 'user', content: 'q' }], chosen: ['c' + id], rejected: ['r' + id], origin: { file: 'f', line: 1 } })
const suite = (extra: Partial<SuiteSpec> = {}): SuiteSpec => ({ name: 's', task: 'pairwise', data: { source: 'x' }, ...extra })

t.test('tie rules: strict > by default, ties as declared', async (t) => {
  t.equal(pairCredit(2, 1), 1)
  t.equal(pairCredit(1, 2), 0)
  t.equal(pairCredit(1, 1), 0, 'RewardBench counts a tie as wrong')
  t.equal(pairCredit(1, 1, 'half'), 0.5)
  t.equal(pairCredit(1, 1, 'right'), 1)
  t.equal(pairCredit(-0, 0), 0, '-0 and 0 tie')
})

t.test('group accuracy never divides by zero and sorts groups', async (t) => {
  t.same(groupAccuracy([]), {})
  t.same(groupAccuracy([{ group: 'b', credit: 1 }, { group: 'a', credit: 0 }, { group: 'b', credit: 0.5 }]), { a: { value: 0, n: 1, se: 0 }, b: { value: 0.75, n: 2, se: Math.sqrt(0.0625 / 2) } }, 'se of credits [1, 0.5]: √(var 0.0625 / 2)')
})

t.test('requests: chosen and rejected per example', async (t) => {
  const r = pairwiseTask.requests([ex('1', 'g')])
  t.same(r.map((x) => [x.exampleId, x.role, x.request.response]), [['1', 'chosen/0', 'c1'], ['1', 'rejected/0', 'r1']])
})

t.test('metrics by hand: 5 pairs, a tie, a failed example, sections with weights', async (t) => {
  const examples = [ex('1', 'a'), ex('2', 'a'), ex('3', 'a'), ex('4', 'b'), ex('5', 'b'), ex('6', 'b')]
  const scores = new Map([
    ['1', { 'chosen/0': 2, 'rejected/0': 1 }], // right
    ['2', { 'chosen/0': 1, 'rejected/0': 1 }], // tie
    ['3', { 'chosen/0': 0, 'rejected/0': 3 }], // wrong
    ['4', { 'chosen/0': 5, 'rejected/0': -5 }], // right
    ['5', { 'chosen/0': 5, 'rejected/0': 4 }], // right
    // 6 failed: absent
  ])
  const spec = suite({ sections: { A: ['a'], B: { b: 3 } }, section_weights: { B: 0.5 } })
  const m = pairwiseTask.metrics(examples, scores, spec)
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-12
  t.match(m.accuracy, { value: 3 / 5, n: 5 })
  t.ok(close(m.accuracy.se!, Math.sqrt((0.6 * 0.4) / 5)), 'binomial se √(p(1−p)/n)')
  t.match(m['accuracy/a'], { value: 1 / 3, n: 3 })
  t.ok(close(m['accuracy/a'].se!, Math.sqrt((1 / 3) * (2 / 3) / 3)))
  t.same(m['accuracy/b'], { value: 1, n: 2, se: 0 })
  t.equal(m['section/A'].value, 1 / 3)
  t.equal(m['section/B'].value, 1)
  t.ok(Math.abs(m.score.value - (1 / 3 + 0.5) / 1.5) < 1e-12, 'B at half weight')
  t.equal(m['score/sections-mean'].value, 1 / 3, 'plain mean of the full-weight sections (A only)')
  const half = pairwiseTask.metrics(examples, scores, suite({ score: { ties: 'half' } }))
  t.match(half['accuracy/a'], { value: 1.5 / 3, n: 3 })
  t.ok(Math.abs(half['accuracy/a'].se! - Math.sqrt((1.25 / 3 - 0.25) / 3)) < 1e-12, 'credits [1, 0.5, 0]: E[x²] − mean² over n')
  t.same(half.score.value, 3.5 / 5, 'no sections: score is accuracy over all pairs')
  t.match(half.score.label, /no sections/)
})

t.test('nothing scored: no metrics rather than NaN', async (t) => {
  t.same(pairwiseTask.metrics([ex('1', 'a')], new Map(), suite()), {})
})

t.test('row keeps the margin', async (t) => {
  t.same(pairwiseTask.row(ex('1', 'a'), { 'chosen/0': 0.5, 'rejected/0': 2 }, suite()), { id: '1', group: 'a', chosen: 0.5, rejected: 2, margin: -1.5, credit: 0 })
})

t.test("unknown section in section_weights is a coded error", async (t) => {
  t.throws(() => pairwiseTask.check!(suite({ sections: { A: ['a'] }, section_weights: { Z: 1 } })), { code: 'E_SUITE_SCHEMA' })
})

t.test("a section whose every pair failed is reported not measured, not taken for a typo (the mean statistic too)", async (t) => {
  const examples = [ex('1', 'a'), ex('2', 'a'), ex('3', 'b')]
  const scores = new Map([['1', { 'chosen/0': 2, 'rejected/0': 1 }], ['2', { 'chosen/0': 0, 'rejected/0': 1 }]]) // 3 (subset b) failed
  const spec = suite({ sections: { A: ['a'], B: ['b'] } })
  const m = pairwiseTask.metrics(examples, scores, spec)
  t.equal(m['section/A'].value, 0.5)
  t.notOk(m['section/B'], 'B is not measured')
  t.match(m.score.label, /partial: B not measured/)
  const stat = pairwiseTask.meanStatistic!(examples, scores, spec)!
  // One stratum (a, 2 pairs, credit sum 1), as a bootstrap draw gives it: B is absent, not an error.
  const drawn = stat.combine([Float64Array.of(1)] as never, Float64Array.of(2) as never)
  t.equal(drawn['section/A'], 0.5)
  t.equal(drawn['section/B'], undefined)
  t.throws(() => pairwiseTask.metrics(examples, scores, suite({ sections: { A: ['a'], C: ['c'] } })), { code: 'E_SUITE_SCHEMA', message: /names subset 'c', which is not in the data/ }, 'a subset absent from the data is still a typo')
})
