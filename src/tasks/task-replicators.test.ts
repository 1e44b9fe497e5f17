import t from 'tap'
import type { Example } from '../data/types.ts'
import { attachCis } from '../run/metric-cis.ts'
import { createRng } from '../stats/rng.ts'
import type { SuiteSpec } from '../suite/types.ts'
import { bestOfNTask } from './best-of-n/best-of-n-task.ts'
import { rankingAccuracyTask } from './ranking-accuracy/ranking-accuracy-task.ts'
import { selfPreferenceTask } from './self-preference/self-preference-task.ts'
import { styleMatrixTask } from './style-matrix/style-matrix-task.ts'
import type { ExampleScores, Metrics, Task } from './types.ts'

type TestLike = { same: typeof t.same; ok: typeof t.ok }

// A task's weighted replicator reads the same draws as recomputation on resampled copies: for the same seed every
// interval must come out the same (up to rounding), and so must every resample count.
function intervals(task: Task, examples: Example[], scores: ExampleScores, suite: SuiteSpec, tokens: ExampleScores): Metrics {
  const m = task.metrics(examples, scores, suite, tokens)
  attachCis(m, { task, analyses: [], examples, scores, tokens, suite })
  return m
}

function same(t: TestLike, task: Task, examples: Example[], scores: ExampleScores, suite: SuiteSpec, tokens: ExampleScores = new Map()) {
  const fast = intervals(task, examples, scores, suite, tokens)
  const slow = intervals({ ...task, replicator: undefined }, examples, scores, suite, tokens)
  t.same(Object.keys(fast).sort(), Object.keys(slow).sort(), 'the same metrics')
  let n = 0
  for (const k of Object.keys(slow)) {
    if (!slow[k].ci) continue
    n++
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
    t.ok(fast[k].ci && close(fast[k].ci![0], slow[k].ci![0]) && close(fast[k].ci![1], slow[k].ci![1]) && fast[k].resamples === slow[k].resamples, `${k}: [${fast[k].ci}] vs [${slow[k].ci}] (${fast[k].resamples}/${slow[k].resamples})`)
  }
  t.ok(n > 5, `${n} intervals compared`)
}

const rng = createRng(9)
const score = () => Math.round(rng.next() * 12) / 4
const ex = (id: string, group: string, nc: number, nr: number): Example => ({ id, group, prompt: [], chosen: new Array(nc).fill('c'), rejected: new Array(nr).fill('r'), origin: { file: 'f', line: 1 } })

t.test('best-of-n with a Ties subset (ref and tied rows of a prompt drawn together)', async (t) => {
  const examples: Example[] = []
  const scores: ExampleScores = new Map()
  for (let i = 0; i < 300; i++) {
    const e = ex(`p${i}`, ['Factuality', 'Math', 'Focus'][i % 3], 1, 3)
    examples.push(e)
    scores.set(e.id, { 'chosen/0': score(), 'rejected/0': score(), 'rejected/1': score(), 'rejected/2': score() })
  }
  for (let i = 0; i < 60; i++)
    for (const kind of ['ref', 'tied']) {
      // Some prompts have a ref row only; tied rows have several correct answers (spread), ref rows one.
      if (kind === 'tied' && i % 7 === 0) continue
      const nc = kind === 'ref' ? 1 : 2 + (i % 3)
      const e = ex(`${kind}:q${i}`, 'Ties', nc, 3)
      examples.push(e)
      const s: Record<string, number> = {}
      for (let c = 0; c < nc; c++) s[`chosen/${c}`] = score() + 1
      for (let r = 0; r < 3; r++) s[`rejected/${r}`] = score()
      scores.set(e.id, s)
    }
  same(t, bestOfNTask, examples, scores, { name: 's', task: 'best-of-n', data: { source: 'x' }, stats: { bootstrap: 400, seed: 2 } })
})

t.test('style-matrix with pooled safety domains', async (t) => {
  const examples: Example[] = []
  const scores: ExampleScores = new Map()
  for (let i = 0; i < 240; i++) {
    const e = ex(`m${i}`, ['chat', 'math', 'safety-refuse', 'safety-response'][i % 4], 3, 3)
    examples.push(e)
    const s: Record<string, number> = {}
    for (let k = 0; k < 3; k++) {
      s[`chosen/${k}`] = score() + k * 0.3
      s[`rejected/${k}`] = score() + k * 0.6
    }
    scores.set(e.id, s)
  }
  same(t, styleMatrixTask, examples, scores, { name: 's', task: 'style-matrix', data: { source: 'x' }, stats: { bootstrap: 300, seed: 4, method: 'bca' } })
})

t.test('ranking accuracy: R, R per subset, DPO accuracy, R* per beta with min/median/max and gaps; ranked lists', async (t) => {
  const examples: Example[] = []
  const scores: ExampleScores = new Map()
  const tokens: ExampleScores = new Map()
  for (let i = 0; i < 200; i++) {
    const e = { ...ex(`r${i}`, ['a', 'b'][i % 2], 1, 1), alpha: 0.5 + rng.next() / 2 }
    examples.push(e)
    scores.set(e.id, { 'policy/w': -score() * 10, 'policy/l': -score() * 10, 'ref/w': -score() * 10, 'ref/l': -score() * 10 })
    tokens.set(e.id, { 'policy/w': 5 + (i % 7), 'policy/l': 6 + (i % 5), 'ref/w': 5 + (i % 7), 'ref/l': 6 + (i % 5) })
  }
  same(t, rankingAccuracyTask, examples, scores, { name: 's', task: 'ranking-accuracy', data: { source: 'x' }, stats: { bootstrap: 300, seed: 1 } }, tokens)
  const lists: Example[] = []
  for (let i = 0; i < 90; i++) {
    const e = ex(`l${i}`, 'c', 4, 0)
    lists.push(e)
    scores.set(e.id, Object.fromEntries([0, 1, 2, 3].map((k) => [`policy/r${k}`, -score() - k])))
    tokens.set(e.id, Object.fromEntries([0, 1, 2, 3].map((k) => [`policy/r${k}`, 4])))
  }
  same(t, rankingAccuracyTask, [...examples, ...lists], scores, { name: 's', task: 'ranking-accuracy', data: { source: 'x' }, stats: { bootstrap: 300, seed: 1 } }, tokens)
})

t.test('self-preference: DBG, win rates, agreement and κ, position and length bias; pointwise ratings', async (t) => {
  const examples: Example[] = []
  const scores: ExampleScores = new Map()
  const models = ['judge-lm', 'other-7b', 'third-13b']
  for (let i = 0; i < 160; i++) {
    const pair = [models[i % 3], models[(i + 1 + (i % 2)) % 3]]
    const e: Example = { ...ex(`j${i}`, ['writing', 'math'][i % 2], 1, 1), chosen: ['a'.repeat(5 + (i % 9))], rejected: ['b'.repeat(3 + (i % 11))], judge: { models: pair, gold: [1, 0, 0.5][i % 3] } }
    examples.push(e)
    scores.set(e.id, { 'AB/A': -score(), 'AB/B': -score(), 'BA/A': -score(), 'BA/B': -score() })
  }
  for (let i = 0; i < 60; i++) {
    const e: Example = { ...ex(`r${i}`, 'ratings', 1, 0), judge: { models: [models[i % 3]], gold: 1 + (i % 10) } }
    examples.push(e)
    scores.set(e.id, Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => [`rate/${k}`, -score() * 2])))
  }
  same(t, selfPreferenceTask, examples, scores, { name: 's', task: 'self-preference', data: { source: 'x' }, judge: { name: 'judge-lm' }, stats: { bootstrap: 300, seed: 3 } })
})
