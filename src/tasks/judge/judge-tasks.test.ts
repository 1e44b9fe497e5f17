import t from 'tap'
import type { Example } from '../../data/types.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { bestOfNTask } from '../best-of-n/best-of-n-task.ts'
import { pairwiseTask } from '../pairwise/pairwise-task.ts'
import { styleMatrixTask } from '../style-matrix/style-matrix-task.ts'
import { judgeTask } from './judge-task.ts'
import { orderVerdicts, pairJudgeCredit, verdictCounts } from './pair-verdicts.ts'

const L0 = -1000
// Label scores of one order: the first shown wins (A), the second (B), a tie, or P(first) = p.
const first = { A: 0, B: L0 }
const second = { A: L0, B: 0 }
const tie = { A: Math.log(0.5), B: Math.log(0.5) }
const orders = (ab?: { A: number; B: number }, ba?: { A: number; B: number }) => ({
  ...(ab ? { 'AB/A': ab.A, 'AB/B': ab.B } : {}),
  ...(ba ? { 'BA/A': ba.A, 'BA/B': ba.B } : {}),
})
const ex = (id: string, group: string, swapped = false): Example => ({ id, group, prompt: [{ role: 'user', content: `q ${id}` }], chosen: [`good ${id}`], rejected: [`bad ${id}`], ...(swapped ? { swapped: true as const } : {}), origin: { file: 'f', line: 1 } })
const suite = (judge: SuiteSpec['judge'], task = 'pairwise'): SuiteSpec => ({ name: 's', task, data: { source: 'x' }, judge } as SuiteSpec)

t.test('each order names the chosen or the rejected by where it was shown', async (t) => {
  // Data order chosen first: AB shows the chosen first, BA the rejected first.
  t.same(orderVerdicts(orders(first, first), '', false, ['AB', 'BA']).map((v) => v.pick), ['chosen', 'rejected'], 'always the first shown: one right, one wrong')
  t.same(orderVerdicts(orders(first, second), '', false, ['AB', 'BA']).map((v) => v.pick), ['chosen', 'chosen'])
  // A label-indexed pair whose second response won (swapped): AB shows the rejected first.
  t.same(orderVerdicts(orders(first, second), '', true, ['AB', 'BA']).map((v) => v.pick), ['rejected', 'rejected'])
  t.same(orderVerdicts(orders(tie, undefined), '', false, ['AB', 'BA']).map((v) => v.pick), ['tie', null], 'BA unreadable')
})

t.test('combine: mean of order credits vs the double game; unreadable never a tie', async (t) => {
  const mean = { combine: 'mean' as const, unparseable: 'wrong' as const }
  const vote = { combine: 'vote' as const, unparseable: 'wrong' as const }
  const v = (ab?: { A: number; B: number }, ba?: { A: number; B: number }) => orderVerdicts(orders(ab, ba), '', false, ['AB', 'BA'])
  // right in both orders / right once, wrong once / right once, tie once / right once, unreadable once / tie twice
  const cases = [v(first, second), v(first, first), v(first, tie), v(first, undefined), v(tie, tie), v(undefined, undefined), v(second, first)]
  t.same(cases.map((c) => pairJudgeCredit(c, mean)), [1, 0.5, 0.75, 0.5, 0.5, 0, 0])
  // votes: +1+1, +1−1, +1+0, +1+0, 0+0, 0+0, −1−1 → right when the sum is > 0
  t.same(cases.map((c) => pairJudgeCredit(c, vote)), [1, 0, 1, 1, 0, 0, 0])
  t.same(cases.map((c) => pairJudgeCredit(c, { ...vote, unparseable: 'exclude' })), [1, 0, 1, null, 0, null, 0], 'exclude: pairs with an unreadable order leave accuracy')
  // Counts: asked 2 each; first-position picks: v(first, first) picks the first shown twice.
  t.same(verdictCounts(v(first, first)), { asked: 2, unreadable: 0, firstPicks: 2, ties: 0, swapped: 1, consistent: 0 })
  t.same(verdictCounts(v(first, tie)), { asked: 2, unreadable: 0, firstPicks: 1.5, ties: 1, swapped: 1, consistent: 0 })
  t.same(verdictCounts(v(first, second)), { asked: 2, unreadable: 0, firstPicks: 1, ties: 0, swapped: 1, consistent: 1 })
  t.same(verdictCounts(v(undefined, second)), { asked: 2, unreadable: 1, firstPicks: 0, ties: 0, swapped: 0, consistent: 0 })
})

t.test('pairwise judge task: requests both orders, subset accuracy and behaviour by hand', async (t) => {
  const task = judgeTask(pairwiseTask)
  const s = suite({ combine: 'vote' })
  const examples = [ex('1', 'g1'), ex('2', 'g1'), ex('3', 'g2', true), ex('4', 'g2')]
  const reqs = task.requests(examples, s)
  t.equal(reqs.length, 16, '2 orders × 2 labels × 4 pairs')
  const ab3 = reqs.find((r) => r.exampleId === '3' && r.role === 'AB/A')!.request.prompt[0].content
  t.ok(ab3.indexOf('bad 3') < ab3.indexOf('good 3'), 'a swapped pair shows the data\'s first (rejected) response first in AB')
  t.same(reqs[0].request.verdict, { parse: 'letter', maxTokens: 1, labels: ['A', 'B'], scale: [1, 10] })
  const scores = new Map([
    ['1', orders(first, second)], // right twice → right
    ['2', orders(first, first)], // position bias → 0
    ['3', orders(second, first)], // swapped: AB second = chosen, BA first = chosen → right
    ['4', orders(undefined, second)], // BA second shown = chosen: +1, AB unreadable 0 → right
  ])
  const m = task.metrics(examples, scores, s)
  t.equal(m['accuracy/g1'].value, 0.5)
  t.equal(m['accuracy/g2'].value, 1)
  t.equal(m.accuracy.value, 0.75)
  t.same([m['judge/unparseable'].value, m['judge/unparseable'].n], [1 / 8, 8])
  t.same([m['judge/position-consistency'].value, m['judge/position-consistency'].n], [2 / 3, 3], 'pairs 1 and 3 keep their winner; 2 flips')
  t.same([m['judge/first-position'].value, m['judge/first-position'].n], [4 / 7, 7], 'the first shown picked in 1-AB, 2-AB, 2-BA and 3-BA, of 7 read verdicts')
  t.equal(m['judge/tie-rate'].value, 0)
  t.equal(task.credit!(examples[2], scores.get('3')!, s), 1)
  t.same(task.rewardsOf!(examples[0], scores.get('1')!, s), { 'chosen/0': 1, 'rejected/0': 0 })
  const stat = task.meanStatistic!(examples, scores, s)!
  const sums = [0, 1].map((g) => stat.values.map((col) => col.reduce((a, x, i) => a + (stat.strata[i] === g ? x : 0), 0)))
  const fromStat = stat.combine(sums.map((r) => Float64Array.from(r)), Float64Array.from([2, 2]))
  for (const k of ['accuracy', 'accuracy/g1', 'judge/position-consistency', 'judge/first-position']) t.equal(fromStat[k], m[k].value, `mean statistic = metrics for ${k}`)
  t.notOk('judge/unparseable' in fromStat, 'the unreadable share gets no interval')
})

t.test('best-of-n judge: ratings are the scores, tied top ratings share 1/k, an unreadable chosen earns 0', async (t) => {
  const task = judgeTask(bestOfNTask)
  const s = suite({ prompt: 'rating', scale: [1, 10] }, 'best-of-n')
  const bon = (id: string, group: string): Example => ({ id, group, prompt: [{ role: 'user', content: id }], chosen: ['c'], rejected: ['r1', 'r2', 'r3'], origin: { file: 'f', line: 1 } })
  const rated = (...ratings: (number | null)[]) => {
    const out: Record<string, number> = {}
    ratings.forEach((r, i) => {
      const role = i === 0 ? 'chosen/0' : `rejected/${i - 1}`
      if (r !== null) for (let k = 1; k <= 10; k++) out[`${role}/rate/${k}`] = k === r ? 0 : L0
    })
    return out
  }
  const examples = [bon('p1', 'Math'), bon('p2', 'Math'), bon('p3', 'Focus'), bon('p4', 'Focus'), bon('p5', 'Focus')]
  const reqs = task.requests(examples, s)
  t.equal(reqs.length, 5 * 4 * 10, 'each completion rated alone: one label request per scale value')
  t.ok(reqs.every((r) => r.request.prompt[0].content.includes('[[5]]')), 'the rating prompt')
  t.same([...new Set(reqs.filter((r) => r.exampleId === 'p1').map((r) => r.request.ref!.position))], [0, 1, 2, 3])
  const scores = new Map([['p1', rated(9, 9, 5, 3)], ['p2', rated(8, 8, 8, 2)], ['p3', rated(7, 9, 1, 1)], ['p4', rated(10, 3, 3, 3)], ['p5', rated(null, 2, 2, 2)]])
  const m = task.metrics(examples, scores, s)
  t.equal(m['accuracy/Math'].value, (1 / 2 + 1 / 3) / 2, '9 ties one 9: ½; 8 ties two 8s: ⅓')
  t.equal(m['accuracy/Focus'].value, (0 + 1 + 0) / 3, 'beaten: 0; alone at the top: 1; unreadable chosen: 0, not a 1/4 tie with nothing')
  t.equal(m.score.value, (m['accuracy/Math'].value + m['accuracy/Focus'].value) / 2)
  t.same([m['judge/unparseable'].value, m['judge/unparseable'].n], [1 / 20, 20])
  t.equal(m['judge/top-ties'].value, 3 / 5, 'p1, p2 and p5 (its three rejected at 2) have a shared top rating')
  const unreadableRejected = task.metrics([examples[0]], new Map([['p1', rated(4, null, 3, 2)]]), s)
  t.equal(unreadableRejected['accuracy/Math'].value, 1, 'an unreadable rejected rating ranks below the scale')
})

t.test('style-matrix judge: each cell a pair in both orders', async (t) => {
  const task = judgeTask(styleMatrixTask)
  const s = suite({ combine: 'mean' }, 'style-matrix')
  const e: Example = { id: 'm1', group: 'chat', prompt: [{ role: 'user', content: 'q' }], chosen: ['c0', 'c1', 'c2'], rejected: ['r0', 'r1', 'r2'], origin: { file: 'f', line: 1 } }
  const reqs = task.requests([e], s)
  t.equal(reqs.length, 9 * 2 * 2)
  const cell = (i: number, j: number, ab: { A: number; B: number }, ba: { A: number; B: number }) => ({ [`c${i}r${j}/AB/A`]: ab.A, [`c${i}r${j}/AB/B`]: ab.B, [`c${i}r${j}/BA/A`]: ba.A, [`c${i}r${j}/BA/B`]: ba.B })
  // Diagonal right in both orders; upper triangle position-biased (½ each); lower triangle wrong in both orders.
  let sc: Record<string, number> = {}
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sc = { ...sc, ...cell(i, j, i === j ? first : j > i ? first : second, i === j ? second : j > i ? first : first) }
  const m = task.metrics([e], new Map([['m1', sc]]), s)
  t.equal(m.normal.value, 1)
  t.equal(m.hard.value, 0.5)
  t.equal(m.easy.value, 0)
  t.equal(m['matrix/chat/0-1'].value, 0.5)
  t.equal(m['judge/position-consistency'].value, 6 / 9, 'the three upper cells flip; diagonal and lower cells keep their winner')
})
