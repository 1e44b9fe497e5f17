import t from 'tap'
import type { Example } from '../../data/types.ts'
import { attachCis } from '../../run/metric-cis.ts'
import { createRng } from '../../stats/rng.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { analyses } from '../analyses.ts'
import { bestOfNTask } from '../best-of-n/best-of-n-task.ts'
import { pairwiseTask } from '../pairwise/pairwise-task.ts'
import type { ExampleScores, Metrics, Task } from '../types.ts'

// The weighted replicator must give the intervals recomputation on resampled copies gives, for the same seed: it
// reads the same draws. Rounding aside (sums in another order), the endpoints are equal.
const lengthBias = analyses.get('length-bias')
const recomputing = { ...lengthBias, replicator: undefined }

function data(n: number, rejected: number, seed: number, tokens: boolean) {
  const rng = createRng(seed)
  const word = () => 'w'.repeat(1 + Math.floor(rng.next() * 6))
  const text = () => Array.from({ length: 1 + Math.floor(rng.next() * 30) }, word).join(' ') + (rng.next() < 0.1 ? ' 😀' : '')
  const examples: Example[] = []
  const scores: ExampleScores = new Map()
  const toks: ExampleScores = new Map()
  for (let i = 0; i < n; i++) {
    const chosen = text()
    const rej = Array.from({ length: rejected }, () => (rng.next() < 0.05 ? chosen : text()))
    examples.push({ id: `e${i}`, group: ['alpha', 'beta', 'gamma'][i % 3], prompt: [{ role: 'user', content: 'q' }], chosen: [chosen], rejected: rej, origin: { file: 'f', line: i + 1 } })
    // Rounded scores: ties in rewards (and so in ranks) are common, as with real models' fp16 outputs.
    const s: Record<string, number> = { 'chosen/0': Math.round(rng.next() * 20) / 4 + chosen.length / 80 }
    rej.forEach((r, j) => (s[`rejected/${j}`] = Math.round(rng.next() * 20) / 4 + r.length / 100))
    scores.set(`e${i}`, s)
    if (tokens) toks.set(`e${i}`, Object.fromEntries(Object.keys(s).map((k) => [k, Math.round(rng.next() * 50)])))
  }
  return { examples, scores, toks }
}

function intervals(task: Task, analysis: typeof lengthBias, d: ReturnType<typeof data>, suite: SuiteSpec): Metrics {
  const m = task.metrics(d.examples, d.scores, suite, d.toks)
  Object.assign(m, analysis.analyze(d.examples, d.scores, d.toks, suite))
  attachCis(m, { task, analyses: [analysis], examples: d.examples, scores: d.scores, tokens: d.toks, suite })
  return m
}

for (const [name, task, rejected, ties] of [['pairwise', pairwiseTask, 1, 'wrong'], ['pairwise, ties half', pairwiseTask, 1, 'half'], ['best-of-n, 3 rejected', bestOfNTask, 3, 'wrong']] as const) {
  t.test(`${name}: every length-bias interval equals recomputation's for the same seed`, async (t) => {
    const d = data(240, rejected, 7, true)
    const suite: SuiteSpec = { name: 's', task: task.name, data: { source: 'x' }, score: { ties }, analyses: ['length-bias'], stats: { bootstrap: 300, seed: 5 } }
    const fast = intervals(task, lengthBias, d, suite)
    const slow = intervals(task, recomputing, d, suite)
    const keys = Object.keys(slow).filter((k) => k.startsWith('length/'))
    t.ok(keys.length >= 12, `${keys.length} length metrics`)
    for (const k of keys) {
      t.ok(slow[k].ci && fast[k].ci, `${k} has an interval`)
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
      t.ok(close(fast[k].ci![0], slow[k].ci![0]) && close(fast[k].ci![1], slow[k].ci![1]), `${k}: [${fast[k].ci}] vs [${slow[k].ci}]`)
      t.equal(fast[k].resamples, slow[k].resamples, `${k}: the same resamples count`)
    }
  })
}

t.test('BCa intervals (jackknife on the same groups) agree too', async (t) => {
  const d = data(150, 1, 3, false)
  const suite: SuiteSpec = { name: 's', task: 'pairwise', data: { source: 'x' }, analyses: ['length-bias'], stats: { bootstrap: 200, method: 'bca' } }
  const fast = intervals(pairwiseTask, lengthBias, d, suite)
  const slow = intervals(pairwiseTask, recomputing, d, suite)
  for (const k of Object.keys(slow).filter((k) => k.startsWith('length/')))
    t.ok(Math.abs(fast[k].ci![0] - slow[k].ci![0]) < 1e-9 && Math.abs(fast[k].ci![1] - slow[k].ci![1]) < 1e-9, `${k}: [${fast[k].ci}] vs [${slow[k].ci}]`)
})
