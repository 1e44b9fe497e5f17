import t from 'tap'
import type { Example } from '../data/types.ts'
import type { SuiteSpec } from '../suite/types.ts'
import { tasks } from './registry.ts'

// Each task's per-example outcome (what explorer.html shows), against values worked out by hand from the rules.
const ex = (over: Partial<Example>): Example => ({ id: 'e', group: 'g', prompt: [{ role: 'user', content: 'q' }], chosen: ['c'], rejected: ['r'], origin: { file: 'f', line: 1 }, ...over })
const suite = (over: Partial<SuiteSpec> = {}) => ({ name: 's', task: 'pairwise', data: { source: 'd' }, ...over }) as SuiteSpec

t.test('pairwise: credit by the tie rule, margin chosen − rejected, sections of the subset', async (t) => {
  const task = tasks.get('pairwise')
  const s = suite({ sections: { Chat: ['g', 'h'], Other: { g: 10 } } })
  t.same(task.outcome!(ex({}), { 'chosen/0': 2, 'rejected/0': 0.5 }, s), { credit: 1, margin: 1.5, tie: false, scores: [2, 0.5], sections: ['Chat', 'Other'] })
  t.match(task.outcome!(ex({}), { 'chosen/0': 1, 'rejected/0': 1 }, suite({ score: { ties: 'half' } })), { credit: 0.5, margin: 0, tie: true })
  t.match(task.outcome!(ex({}), { 'chosen/0': 1, 'rejected/0': 1 }, suite()), { credit: 0, tie: true }, 'RewardBench: a tie is wrong')
})

t.test('best-of-n: 1/k credit among k tied top scores, margin chosen − best rejected; Ties rows: all correct above all incorrect', async (t) => {
  const task = tasks.get('best-of-n')
  const three = ex({ rejected: ['a', 'b', 'c'] })
  t.same(task.outcome!(three, { 'chosen/0': 3, 'rejected/0': 3, 'rejected/1': 1, 'rejected/2': 2 }, suite()), { credit: 0.5, margin: 0, tie: true, scores: [3, 3, 1, 2] })
  t.match(task.outcome!(three, { 'chosen/0': 1, 'rejected/0': 3, 'rejected/1': 1, 'rejected/2': 2 }, suite()), { credit: 0, margin: -2 })
  const ties = ex({ group: 'Ties', chosen: ['x', 'y'], rejected: ['z'] })
  t.match(task.outcome!(ties, { 'chosen/0': 5, 'chosen/1': 2, 'rejected/0': 1 }, suite()), { credit: 1, margin: 1, scores: [5, 2, 1] })
  t.match(task.outcome!(ties, { 'chosen/0': 5, 'chosen/1': 0, 'rejected/0': 1 }, suite()), { credit: 0, margin: -1 })
})

t.test('style-matrix: credit = share of the 9 cells won, margin = mean chosen − mean rejected, domain as section', async (t) => {
  const task = tasks.get('style-matrix')
  const e = ex({ group: 'safety-refuse', chosen: ['a', 'b', 'c'], rejected: ['d', 'e', 'f'] })
  // chosen 1, 2, 3 against rejected 0, 2, 4: cells won 1 + 1 + 2 = 4 of 9 (2 vs 2 is a tie, not won).
  const s = { 'chosen/0': 1, 'chosen/1': 2, 'chosen/2': 3, 'rejected/0': 0, 'rejected/1': 2, 'rejected/2': 4 }
  const o = task.outcome!(e, s, suite())
  t.equal(o.credit, 4 / 9)
  t.equal(o.margin, 0)
  t.equal(o.tie, true)
  t.same(o.sections, ['safety'])
  t.same(task.responseLabels!(e), ['chosen · concise', 'chosen · detailed', 'chosen · detailed + markdown', 'rejected · concise', 'rejected · detailed', 'rejected · detailed + markdown'])
})

t.test('ranking-accuracy: the policy log π difference under the ties rule; ranked lists by their smallest step', async (t) => {
  const task = tasks.get('ranking-accuracy')
  t.match(task.outcome!(ex({}), { 'policy/w': -10, 'policy/l': -10, 'ref/w': -3, 'ref/l': -4 }, suite()), { credit: 1, margin: 0, tie: true, judge: { 'ref log π(preferred)': -3 } })
  t.match(task.outcome!(ex({}), { 'policy/w': -10, 'policy/l': -10 }, suite({ ranking: { ties: 'gt' } })), { credit: 0 })
  const list = ex({ chosen: ['a', 'b', 'c'], rejected: [] })
  t.match(task.outcome!(list, { 'policy/r0': -1, 'policy/r1': -3, 'policy/r2': -2 }, suite()), { credit: 0, margin: -1, scores: [-1, -3, -2] })
})
