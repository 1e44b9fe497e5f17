import t from 'tap'
import type { Example } from '../data/types.ts'
import { attachCis } from '../run/metric-cis.ts'
import { createRng } from '../stats/rng.ts'
import type { SuiteSpec } from '../suite/types.ts'
import { bestOfNTask } from './best-of-n/best-of-n-task.ts'
import { styleMatrixTask } from './style-matrix/style-matrix-task.ts'
import type { ExampleScores, Metrics, Task } from './types.ts'

type TestLike = { same: typeof t.same; ok: typeof t.ok }

// A task's weighted replicator reads the same draws as recomputation on resampled copies: for the same seed every
// interval must come out the same (up to rounding), and so must every resample count.
function intervals(task: Task, examples: Example[], scores: ExampleScores, suite: SuiteSpec): Metrics {
  const m = task.metrics(examples, scores, suite)
  attachCis(m, { task, analyses: [], examples, scores, tokens: new Map(), suite })
  return m
}

function same(t: TestLike, task: Task, examples: Example[], scores: ExampleScores, suite: SuiteSpec) {
  const fast = intervals(task, examples, scores, suite)
  const slow = intervals({ ...task, replicator: undefined }, examples, scores, suite)
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
