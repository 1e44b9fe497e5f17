import fc from 'fast-check'
import t from 'tap'
import { cyclicTriads, judgmentsFromScores, type Judgment } from './intransitivity.ts'

t.test('a rock-paper-scissors prompt has one cyclic triad; an ordered one none; ties close no cycle', async (t) => {
  const rps: Judgment[] = [
    { id: 'rps', a: 0, b: 1, AB: 'A', BA: 'B' }, // 0 beats 1 in both orders (BA shows 1 first; B = 0 wins)
    { id: 'rps', a: 1, b: 2, AB: 'A', BA: 'B' },
    { id: 'rps', a: 0, b: 2, AB: 'B', BA: 'A' }, // 2 beats 0
    { id: 'ord', a: 0, b: 1, AB: 'A', BA: 'B' },
    { id: 'ord', a: 1, b: 2, AB: 'A', BA: 'B' },
    { id: 'ord', a: 0, b: 2, AB: 'A', BA: 'B' },
    { id: 'tie', a: 0, b: 1, AB: 'A', BA: 'B' },
    { id: 'tie', a: 1, b: 2, AB: 'A', BA: 'B' },
    { id: 'tie', a: 0, b: 2, AB: 'A', BA: 'A' }, // position bias: each order picks the first shown → even
  ]
  t.same(cyclicTriads(rps), [
    { id: 'rps', responses: 3, pairs: 3, ties: 0, triads: 1, cyclic: 1 },
    { id: 'ord', responses: 3, pairs: 3, ties: 0, triads: 1, cyclic: 0 },
    { id: 'tie', responses: 3, pairs: 3, ties: 1, triads: 1, cyclic: 0 },
  ])
})

t.test('probabilities average over the orders; a missing pair leaves its triads out', async (t) => {
  const j: Judgment[] = [
    { id: 'p', a: 0, b: 1, AB: 0.9, BA: 0.3 }, // P(0 beats 1) = (0.9 + 0.7) / 2
    { id: 'p', a: 1, b: 2, AB: 0.8 },
    { id: 'p', a: 2, b: 0, AB: 0.6, BA: null }, // 2 beats 0
    { id: 'p', a: 0, b: 3, AB: 'A' },
  ]
  t.same(cyclicTriads(j), [{ id: 'p', responses: 4, pairs: 4, ties: 0, triads: 1, cyclic: 1 }])
  t.throws(() => cyclicTriads([j[0], { ...j[0], AB: 'B' }]), { code: 'E_AUDIT' })
})

t.test('a Bradley–Terry reward model is transitive: judgments implied by any scores have no cyclic triad', async (t) => {
  fc.assert(fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 3, maxLength: 9 }), (scores) => {
    const [p] = cyclicTriads(judgmentsFromScores('x', scores))
    return p.cyclic === 0 && p.triads === (scores.length * (scores.length - 1) * (scores.length - 2)) / 6
  }), { seed: 1, numRuns: 300 })
  // And a random tournament has cycles, so the property is not vacuous.
  const n = 7
  const rand: Judgment[] = []
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) rand.push({ id: 'r', a, b, AB: (a * 7 + b * 3) % 2 ? 'A' : 'B', BA: (a * 7 + b * 3) % 2 ? 'B' : 'A' })
  t.ok(cyclicTriads(rand)[0].cyclic > 0, 'a tournament that is not an order has cyclic triads')
})
