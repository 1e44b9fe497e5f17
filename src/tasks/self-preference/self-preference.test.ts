import t from 'tap'
import type { Example } from '../../data/types.ts'
import { goldVerdict } from '../../data/gold-verdict.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { cohenKappa, pairwiseJudgeMetrics, pointwiseJudgeMetrics, type PairJudgment } from './judge-metrics.ts'
import { fillTemplate } from '../../judges/render-prompt.ts'
import { judgeNames, selfPreferenceTask } from './self-preference-task.ts'

const pair = (own: 0 | 1 | null, gold: number, pAB: number, pBA?: number, lenA = 1, lenB = 1): PairJudgment => ({ own, gold, pAB, ...(pBA !== undefined ? { pBA } : {}), lenA, lenB })

t.test("DBG is about zero when the judge's own answers really are better", async (t) => {
  // Own at A in items 1–2, at B in 3–4. Gold prefers the judge's response in 3 of 4; so does the judge, on the same items.
  const items = [pair(0, 1, 1), pair(0, 0, 0), pair(1, 0, 0), pair(1, 0, 0)]
  const m = pairwiseJudgeMetrics(items)
  t.equal(m['win-rate/judge-own'].value, 0.75, 'a high raw self win rate…')
  t.equal(m['win-rate/gold-own'].value, 0.75)
  t.equal(m.dbg.value, 0, '…is not self-preference when gold agrees')
  t.equal(m.agreement.value, 1)
})

t.test('DBG > 0 when the judge prefers its own answers more than gold does; gold ties count ½', async (t) => {
  // gold own wins: 0, ½ (tie), 0, 1 → 0.375; judge own wins: 1, 1, 1, 0 → 0.75; DBG = 0.375.
  const items = [pair(0, 0, 1), pair(0, 0.5, 1), pair(1, 1, 0), pair(1, 0, 1), pair(null, 1, 1)]
  const m = pairwiseJudgeMetrics(items)
  t.equal(m['win-rate/gold-own'].value, 0.375)
  t.equal(m['win-rate/judge-own'].value, 0.75)
  t.equal(m.dbg.value, 0.375)
  t.equal(m.dbg.n, 4, 'the pair without the judge\'s response is not in DBG')
  // hard verdicts judge A,A,B,A,A vs gold B,tie,A,B,A: one agreement (the last) of 5.
  t.equal(m.agreement.value, 1 / 5)
  t.equal(m['agreement/other'].value, 1)
  t.equal(m['agreement/own'].value, 0)
})

t.test('order swaps: a judge that always picks the first answer has no preference and flips every verdict', async (t) => {
  const items = [pair(0, 1, 1, 1), pair(1, 0, 1, 1), pair(null, 1, 0.8, 0.6)]
  const m = pairwiseJudgeMetrics(items)
  t.equal(m['win-rate/judge-own'].value, 0.5, '(1 + (1 − 1)) / 2 = ½ for each own item')
  t.equal(m['position/flips'].value, 1, 'AB names the first, BA names the first: different winners every time')
  t.ok(Math.abs(m['position/first-preference'].value - (1 + 1 + 1 + 1 + 0.8 + 0.6) / 6) < 1e-15)
  const steady = pairwiseJudgeMetrics([pair(0, 1, 0.9, 0.2)])
  t.equal(steady['position/flips'].value, 0, 'A in both orders (BA: second shown = A wins)')
  t.ok(Math.abs(steady['win-rate/judge-own'].value - (0.9 + 0.8) / 2) < 1e-15)
})

t.test("length preference and Cohen's κ by hand", async (t) => {
  const m = pairwiseJudgeMetrics([pair(null, 1, 1, undefined, 10, 5), pair(null, 1, 0, undefined, 10, 5), pair(null, 0, 1, undefined, 3, 9), pair(null, 0, 0, undefined, 4, 4)])
  t.equal(m['length/judge-prefers-longer'].value, 1 / 3, 'longer picked in item 1 only; item 4 has equal lengths')
  t.equal(m['length/gold-prefers-longer'].value, 1, 'gold picks the longer in items 1, 2 and 3')
  // x = A,A,B,B and y = A,B,B,B: po = ¾, pe = ½·¼ + ½·¾ = ½, κ = (¾ − ½)/(1 − ½) = ½.
  t.equal(cohenKappa(['A', 'A', 'B', 'B'], ['A', 'B', 'B', 'B']), 0.5)
  t.ok(Number.isNaN(cohenKappa(['A', 'A'], ['A', 'A'])), 'κ undefined when chance agreement is total')
})

t.test('pointwise: a judge lenient to everyone is not self-biased', async (t) => {
  const lenient = pointwiseJudgeMetrics([{ own: true, judge: 9, gold: 7 }, { own: true, judge: 6, gold: 4 }, { own: false, judge: 8, gold: 6 }, { own: false, judge: 5, gold: 3 }])
  t.same([lenient['pointwise/self-term'].value, lenient['pointwise/other-term'].value, lenient['dbg-pointwise'].value], [2, 2, 0])
  const biased = pointwiseJudgeMetrics([{ own: true, judge: 9, gold: 6 }, { own: false, judge: 5, gold: 5 }])
  t.same([biased['pointwise/self-term'].value, biased['pointwise/other-term'].value, biased['dbg-pointwise'].value], [3, 0, 3])
})

t.test('gold verdicts: spellings, model names, majority of several judges, unreadable', async (t) => {
  const models: [string, string] = ['gpt-4', 'vicuna-13b']
  t.same(['A', 'model_b', 'tie (bothbad)', 'gpt-4', 'VICUNA-13B', 0.25].map((v) => goldVerdict(v, models)), [1, 0, 0.5, 1, 0, 0.25])
  t.equal(goldVerdict(['model_a', 'model_a', 'model_b'], models), 1, 'majority A')
  t.equal(goldVerdict(['model_a', 'tie', 'model_b'], models), 0.5, 'even: a tie vote counts half to each side')
  t.equal(goldVerdict(['model_a', 'tie'], models), 1, '1.5 vs 0.5')
  t.equal(goldVerdict('maybe', models), undefined)
  t.equal(goldVerdict(['A', 'perhaps'], models), undefined, 'one unreadable vote makes the verdict unreadable')
})

t.test('task: requests both orders, reads label log-probs, counts unparseable items apart', async (t) => {
  const ex = (id: string, models: string[], gold: number): Example => ({ id, group: 'g', prompt: [{ role: 'user', content: 'q {answer_b}' }], chosen: ['ans A'], rejected: ['ans B'], judge: { models, gold }, origin: { file: 'f', line: 1 } })
  const suite = { name: 's', task: 'self-preference', data: { source: 'x' }, judge: { name: 'GPT-4', aliases: { 'gpt-4': ['gpt-4-0613'] } } } as unknown as SuiteSpec
  t.same([...judgeNames(suite.judge!)].sort(), ['gpt-4', 'gpt-4-0613'])
  const examples = [ex('1', ['gpt-4-0613', 'llama'], 0), ex('2', ['llama', 'gpt-4'], 0), ex('3', ['llama', 'mistral'], 1)]
  const reqs = selfPreferenceTask.requests(examples, suite)
  t.same(reqs.filter((r) => r.exampleId === '1').map((r) => [r.role, r.request.response, r.lm]), [['AB/A', 'A', 'judge'], ['AB/B', 'B', 'judge'], ['BA/A', 'A', 'judge'], ['BA/B', 'B', 'judge']])
  const ab = reqs.find((r) => r.exampleId === '1' && r.role === 'AB/A')!.request.prompt[0].content
  const ba = reqs.find((r) => r.exampleId === '1' && r.role === 'BA/A')!.request.prompt[0].content
  t.ok(ab.indexOf('ans A') < ab.indexOf('ans B') && ba.indexOf('ans B') < ba.indexOf('ans A'), 'BA shows B first')
  t.match(ab, /q \{answer_b\}/, 'a placeholder inside the data is not filled')
  const L = Math.log
  // Item 1: own = A; P(first) AB = 0.8, BA = 0.4 → P(A) = (0.8 + 0.6)/2 = 0.7. Item 2: own = B; AB 0.5, BA 0.5 → 0.5. Item 3 unscored.
  const scores = new Map([['1', { 'AB/A': L(0.8), 'AB/B': L(0.2), 'BA/A': L(0.4), 'BA/B': L(0.6) }], ['2', { 'AB/A': L(0.3), 'AB/B': L(0.3), 'BA/A': L(0.1), 'BA/B': L(0.1) }]])
  const m = selfPreferenceTask.metrics(examples, scores, suite)
  t.ok(Math.abs(m['win-rate/judge-own'].value - (0.7 + 0.5) / 2) < 1e-12)
  t.equal(m['win-rate/gold-own'].value, (0 + 1) / 2)
  t.ok(Math.abs(m.dbg.value - 0.1) < 1e-12)
  t.same([m['judge/unparseable'].value, m['judge/unparseable'].n], [1 / 3, 3])
  t.match(m['judge/unparseable'].label, /1 of 3 items had no readable verdict/)
  t.throws(() => selfPreferenceTask.check!({ ...suite, judge: {} } as SuiteSpec), { code: 'E_SUITE_SCHEMA', message: /--judge/ })
  t.equal(fillTemplate('{answer_a}|{answer_b}', { answer_a: '{answer_b}', answer_b: 'x' }), '{answer_b}|x')
})
