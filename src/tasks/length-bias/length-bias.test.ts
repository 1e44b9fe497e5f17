import fc from 'fast-check'
import t from 'tap'
import type { Example } from '../../data/types.ts'
import { logistic1 } from '../../stats/logistic.ts'
import { ranks, spearman } from '../../stats/spearman.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { charCount } from '../../util/char-count.ts'
import { lengthBias, lengthControlled } from './length-bias.ts'

const suite: SuiteSpec = { name: 's', task: 'pairwise', data: { source: 'x' } }
const ex = (id: string, group: string, chosen: string, rejected: string): Example => ({ id, group, prompt: [{ role: 'user', content: 'q' }], chosen: [chosen], rejected: [rejected], origin: { file: 'f', line: 1 } })

t.test('spearman with tied ranks, and its undefined case', async (t) => {
  t.same(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1])
  t.equal(spearman([1, 2, 3], [10, 20, 30]), 1)
  t.equal(spearman([1, 2, 3], [3, 2, 1]), -1)
  // x ranks [1,2,3,4], y ranks [1,2.5,2.5,4] → pearson by hand = 4.5 / sqrt(5 · 4.5)
  t.ok(Math.abs(spearman([1, 2, 3, 4], [1, 5, 5, 9]) - 4.5 / Math.sqrt(5 * 4.5)) < 1e-12)
  t.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])))
})

t.test('logistic fit: intercept only recovers the mean; a known slope is recovered', async (t) => {
  const { a } = logistic1([0, 0, 0, 0], [1, 1, 0, 1])
  t.ok(Math.abs(1 / (1 + Math.exp(-a)) - 0.75) < 1e-9)
  // Data generated exactly from σ(0.5 + 2x) as fractional outcomes: the MLE is (0.5, 2).
  const xs = [-1, -0.5, 0, 0.5, 1]
  const fit = logistic1(xs, xs.map((x) => 1 / (1 + Math.exp(-(0.5 + 2 * x)))))
  t.ok(Math.abs(fit.a - 0.5) < 1e-6 && Math.abs(fit.b - 2) < 1e-6, JSON.stringify(fit))
})

t.test('length metrics on pairs built so each answer is known', async (t) => {
  // lengths (chars): chosen vs rejected; rewards: the model always prefers the longer text.
  const exs = [
    ex('1', 'a', 'long chosen', 'short'), // chosen longer, reward right
    ex('2', 'a', 'tiny', 'much longer'), // chosen shorter, reward wrong
    ex('3', 'b', 'abcdef', 'xyz'), // chosen longer, reward right
    ex('4', 'b', 'same', 'more'), // equal length, tie on reward → wrong
  ]
  const scores = new Map([
    ['1', { 'chosen/0': 11, 'rejected/0': 5 }],
    ['2', { 'chosen/0': 4, 'rejected/0': 11 }],
    ['3', { 'chosen/0': 6, 'rejected/0': 3 }],
    ['4', { 'chosen/0': 1, 'rejected/0': 1 }],
  ])
  const m = lengthBias(exs, scores, new Map(), suite)
  t.same(m['length/accuracy-chosen-longer'].value, 1)
  t.equal(m['length/accuracy-chosen-longer'].n, 2)
  t.same(m['length/accuracy-chosen-shorter'], { value: 0, n: 1, label: m['length/accuracy-chosen-shorter'].label })
  t.equal(m['length/baseline/a'].value, 0.5, 'pick-longer: right on 1, wrong on 2')
  t.equal(m['length/baseline/b'].value, 0.5, 'right on 3, a length tie on 4 counts wrong')
  t.equal(m['length/longer-preferred'].value, 1, 'pairs 1-3: the longer always won; pair 4 excluded')
  t.equal(m['length/longer-preferred'].n, 3)
  t.notOk(m['length/tokens/accuracy-chosen-longer'], 'no token counts: no token metrics')
  t.equal(m['length/spearman-within-prompt'].value, 1, 'pairs 1-3: +1 each; pair 4 constant: left out')
  t.equal(m['length/spearman-within-prompt'].n, 3)
})

t.test('token lengths are used when the runner reports them', async (t) => {
  const exs = [ex('1', 'a', 'x', 'y'), ex('2', 'a', 'x', 'y')]
  const scores = new Map([['1', { 'chosen/0': 1, 'rejected/0': 0 }], ['2', { 'chosen/0': 0, 'rejected/0': 1 }]])
  const tokens = new Map([['1', { 'chosen/0': 5, 'rejected/0': 3 }], ['2', { 'chosen/0': 2, 'rejected/0': 3 }]])
  const m = lengthBias(exs, scores, tokens, suite)
  t.same([m['length/tokens/accuracy-chosen-longer'].value, m['length/tokens/accuracy-chosen-shorter'].value], [1, 0])
})

t.test('length-controlled accuracy removes a pure length effect', async (t) => {
  // The model is right exactly when the chosen answer is longer: balanced Δ → LC accuracy 0.5.
  const pairs = [...Array(50)].flatMap((_, i) => [{ credit: 1, delta: 10 + i }, { credit: 0, delta: -10 - i }])
  t.ok(Math.abs(lengthControlled(pairs) - 0.5) < 1e-6)
  // Right 80% of the time whatever the length: LC accuracy 0.8.
  const flat = [...Array(100)].map((_, i) => ({ credit: i % 5 === 0 ? 0 : 1, delta: i % 2 ? 7 : -7 }))
  t.ok(Math.abs(lengthControlled(flat) - 0.8) < 1e-6)
})

t.test('charCount counts code points exactly as spreading the string does, lone surrogates included', async (t) => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => charCount(s) === [...s].length), { numRuns: 2000 })
  fc.assert(fc.property(fc.array(fc.constantFrom('a', '\uD83D', '\uDE00', '😀', 'é', '\uDBFF\uDFFF'), { maxLength: 30 }), (parts) => charCount(parts.join('')) === [...parts.join('')].length), { numRuns: 2000 })
  t.equal(charCount('a😀b'), 3)
  t.equal(charCount('\uDE00\uD83D'), 2, 'a low then a high surrogate are two characters')
})
