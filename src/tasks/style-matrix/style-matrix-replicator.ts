import type { Example } from '../../data/types.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { sideScores } from '../response-requests.ts'
import type { ExampleScores, Replicator } from '../types.ts'
import { domainOf, matrixSummary } from './style-matrix.ts'

/** An example's win indicators, cell a·size + b = 1[chosen a > rejected b] (strict: a tie is wrong, as RM-Bench counts). */
export function winCells(s: Record<string, number>, size: number): Uint8Array {
  const chosen = sideScores(s, 'chosen', size)
  const rejected = sideScores(s, 'rejected', size)
  const out = new Uint8Array(size * size)
  for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) out[a * size + b] = chosen[a] > rejected[b] ? 1 : 0
  return out
}

/**
 * styleMatrixTask.metrics as a weighted replicator: each example's 3×3 win indicators computed once; a resample's
 * cell is the weighted share of its domain's examples, and domain, hard/normal/easy and score follow as the task
 * combines them.
 */
export function styleMatrixReplicator(examples: Example[], scores: ExampleScores, suite: SuiteSpec, domains: Record<string, string[]>, size: number, cellsOf: (ex: Example, s: Record<string, number>) => ArrayLike<number> = (ex, s) => winCells(s, size)): Replicator {
  const names = [...new Set(examples.map((e) => domainOf(e.group, domains)))].sort()
  const dIx = new Map(names.map((d, i) => [d, i]))
  const domain = Int32Array.from(examples, (e) => dIx.get(domainOf(e.group, domains))!)
  const cells = size * size
  // Each example's credit per cell: 1[chosen a > rejected b] for rewards, a judge's pair credit for judges.
  const wins = new Float64Array(examples.length * cells)
  examples.forEach((ex, i) => wins.set(cellsOf(ex, scores.get(ex.id)!), i * cells))
  const keys = [...names.flatMap((d) => [...Array.from({ length: cells }, (_, c) => `matrix/${d}/${Math.floor(c / size)}-${c % size}`), `domain/${d}`, `hard/${d}`, `normal/${d}`, `easy/${d}`]), ...(names.length ? ['hard', 'normal', 'easy', 'score'] : [])]
  const acc = new Float64Array(names.length * cells)
  const count = new Float64Array(names.length)
  return {
    keys,
    evaluate(w) {
      acc.fill(0)
      count.fill(0)
      for (let i = 0; i < w.length; i++) {
        if (!w[i]) continue
        const d = domain[i]
        count[d] += w[i]
        for (let c = 0; c < cells; c++) acc[d * cells + c] += w[i] * wins[i * cells + c]
      }
      const out: Record<string, number> = {}
      const sums = { hard: 0, normal: 0, easy: 0, mean: 0 }
      let present = 0
      names.forEach((d, k) => {
        if (!count[k]) return
        present++
        const m = Array.from({ length: size }, (_, a) => Array.from({ length: size }, (_, b) => acc[k * cells + a * size + b] / count[k]))
        m.forEach((row, a) => row.forEach((v, b) => (out[`matrix/${d}/${a}-${b}`] = v)))
        const s = matrixSummary(m)
        out[`domain/${d}`] = s.mean
        for (const x of ['hard', 'normal', 'easy'] as const) out[`${x}/${d}`] = s[x]
        for (const x of Object.keys(sums) as (keyof typeof sums)[]) sums[x] += s[x]
      })
      if (present) {
        out.hard = sums.hard / present
        out.normal = sums.normal / present
        out.easy = sums.easy / present
        out.score = sums.mean / present
      }
      return out
    },
  }
}
