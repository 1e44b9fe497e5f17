import type { Example } from '../data/types.ts'
import { clusterPlan } from '../stats/bootstrap.ts'
import type { SuiteSpec } from '../suite/types.ts'
import type { ExampleScores, Task } from './types.ts'

/** Scored examples grouped into clusters within their subsets, for bootstrap draws that recompute metrics. */
export interface ExampleResampler {
  /** How many clusters there are (draw arrays hold cluster indices 0…clusters−1). */
  clusters: number
  /** Cluster indices per stratum (subset), for drawClusters. */
  stratumClusters: Int32Array[]
  /** The cluster of each example (in the order given): rows a weighted statistic must treat as drawn together. */
  clusterOf: Int32Array
  /** How many times each example (in the order given) is in the draw: what a weighted statistic reads. */
  weights(draw: Int32Array, out: Float64Array): Float64Array
  /** Renamed copies of the drawn clusters' examples, with one run's scores and token counts. */
  copies(draw: Int32Array, scores: ExampleScores, tokens: ExampleScores): { examples: Example[]; scores: ExampleScores; tokens: ExampleScores }
}

/** Clusters are the task's (`Task.cluster`, default one example each), never crossing a subset. */
export function exampleResampler(examples: Example[], task: Task, suite: SuiteSpec): ExampleResampler {
  const index = new Map<string, number>()
  const picks: Example[][] = []
  const positions: number[][] = []
  const groups = new Map<string, number>()
  const strata: number[] = []
  for (const [at, ex] of examples.entries()) {
    const key = `${ex.group}\u0000${task.cluster?.(ex, suite) ?? ex.id}`
    let c = index.get(key)
    if (c === undefined) {
      index.set(key, (c = picks.length))
      picks.push([])
      positions.push([])
      if (!groups.has(ex.group)) groups.set(ex.group, groups.size)
      strata.push(groups.get(ex.group)!)
    }
    picks[c].push(ex)
    positions[c].push(at)
  }
  const { stratumClusters } = clusterPlan({ strata: Int32Array.from(strata), clusters: Int32Array.from(picks.keys()) })
  const clusterOf = new Int32Array(examples.length)
  positions.forEach((list, c) => list.forEach((at) => (clusterOf[at] = c)))
  return {
    clusterOf,
    clusters: picks.length,
    stratumClusters,
    weights(draw, out) {
      out.fill(0)
      for (let k = 0; k < draw.length; k++) for (const at of positions[draw[k]]) out[at]++
      return out
    },
    copies(draw, scores, tokens) {
      const out = { examples: [] as Example[], scores: new Map() as ExampleScores, tokens: new Map() as ExampleScores }
      for (let k = 0; k < draw.length; k++) {
        for (const ex of picks[draw[k]]) {
          // `~k` keeps copies apart and keeps a cluster together (ref:<pid>~k and tied:<pid>~k share pid~k).
          const id = `${ex.id}~${k}`
          out.examples.push({ ...ex, id })
          out.scores.set(id, scores.get(ex.id)!)
          const t = tokens.get(ex.id)
          if (t) out.tokens.set(id, t)
        }
      }
      return out
    },
  }
}
