import type { Example } from '../../data/types.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { sideScores } from '../response-requests.ts'
import type { ExampleScores, Replicator } from '../types.ts'
import { splitTiesId, tiesComposite, tiesMargin, tiesStats, type TiesStats } from './ties-score.ts'
import { topKCredit } from './top-k-credit.ts'

/** One Ties row's parts of the composite, computed once, and its resampling cluster. */
interface TiesRow extends TiesStats { cluster: number; kind: 'ref' | 'tied' }

/**
 * bestOfNTask.metrics as a weighted replicator: per-subset mean top-k credit, and the Ties composite over the drawn
 * prompts (a drawn cluster is one prompt copy: its ref and tied rows pair up, as the copies' `pid~k` ids do; rows
 * of one prompt in different clusters never pair, as their copies' ids never match).
 */
export function bestOfNReplicator(examples: Example[], scores: ExampleScores, suite: SuiteSpec, _tokens?: ExampleScores, clusterOf?: Int32Array): Replicator {
  const tiesName = suite.best_of_n?.ties_subset ?? 'Ties'
  const groups = [...new Set(examples.filter((e) => e.group !== tiesName).map((e) => e.group))].sort((a, b) => a.localeCompare(b))
  const gIx = new Map(groups.map((g, i) => [g, i]))
  const group = new Int32Array(examples.length).fill(-1)
  const credit = new Float64Array(examples.length)
  const ties: { row: TiesRow; at: number }[] = []
  const clusters = new Map<string, number>()
  examples.forEach((ex, i) => {
    const s = scores.get(ex.id)!
    const rejected = sideScores(s, 'rejected', ex.rejected.length)
    if (ex.group !== tiesName) {
      group[i] = gIx.get(ex.group)!
      credit[i] = topKCredit([s['chosen/0'], ...rejected])
      return
    }
    const [kind, pid] = splitTiesId(ex)
    // A prompt copy is a resampling cluster: its ref and tied rows pair up only when they are drawn together.
    const key = clusterOf ? `c${clusterOf[i]}` : pid
    if (!clusters.has(key)) clusters.set(key, clusters.size)
    ties.push({ at: i, row: { cluster: clusters.get(key)!, kind, ...tiesStats({ correct: sideScores(s, 'chosen', ex.chosen.length), incorrect: rejected }) } })
  })
  const hasTies = ties.length > 0
  const keys = [...groups.map((g) => `accuracy/${g}`), ...(hasTies ? [`accuracy/${tiesName}`, 'ties/tied-accuracy', 'ties/ref-accuracy', 'ties/correctness-preferred', 'ties/correctness-preferred-hard', 'ties/margin'] : []), 'score']
  const sums = new Float64Array(groups.length)
  const counts = new Float64Array(groups.length)
  // Per Ties cluster, its ref and tied rows (a cluster holds one of each at most, as the reference keys them).
  const refOf = new Array<{ row: TiesRow; at: number } | undefined>(clusters.size)
  const tiedOf = new Array<{ row: TiesRow; at: number } | undefined>(clusters.size)
  for (const t of ties) (t.row.kind === 'ref' ? refOf : tiedOf)[t.row.cluster] = t
  return {
    keys,
    evaluate(w) {
      sums.fill(0)
      counts.fill(0)
      for (let i = 0; i < w.length; i++) {
        const g = group[i]
        if (g < 0 || !w[i]) continue
        sums[g] += w[i] * credit[i]
        counts[g] += w[i]
      }
      const out: Record<string, number> = {}
      const subsets: number[] = []
      groups.forEach((g, k) => {
        if (!counts[k]) return
        out[`accuracy/${g}`] = sums[k] / counts[k]
        subsets.push(out[`accuracy/${g}`])
      })
      let tiesUndefined = false
      if (hasTies) {
        // The composite over drawn prompt copies: weights of a cluster's rows are its draw count.
        let nRef = 0, accRef = 0, nTied = 0, accTied = 0, nBoth = 0, cp = 0, cph = 0, margin = 0
        let drawnTies = 0
        for (let c = 0; c < refOf.length; c++) {
          const r = refOf[c]
          const t = tiedOf[c]
          const wc = w[(r ?? t)!.at]
          if (!wc) continue
          drawnTies += (r ? wc : 0) + (t ? wc : 0)
          if (r) { nRef += wc; accRef += r.row.accurate ? wc : 0 }
          if (t) { nTied += wc; accTied += t.row.accurate ? wc : 0 }
          if (r && t) {
            const spread = t.row.correctSpread
            const hard = Math.min(r.row.gap, t.row.gap)
            nBoth += wc
            cp += wc * (t.row.gap > spread ? 1 : 0)
            cph += wc * (hard > spread ? 1 : 0)
            margin += wc * tiesMargin(hard, spread)
          }
        }
        if (drawnTies) {
          const [cpm, cphm, mm] = nBoth ? [cp / nBoth, cph / nBoth, margin / nBoth] : [NaN, NaN, NaN]
          const t = tiesComposite({ tiedAcc: nTied ? accTied / nTied : 0, refAcc: nRef ? accRef / nRef : 0, correctnessPreferred: cpm, correctnessPreferredHard: cphm, margin: mm })
          if (Number.isFinite(t.score)) {
            out[`accuracy/${tiesName}`] = t.score
            out['ties/tied-accuracy'] = t.tiedAcc
            out['ties/ref-accuracy'] = t.refAcc
            out['ties/correctness-preferred'] = t.correctnessPreferred
            out['ties/correctness-preferred-hard'] = t.correctnessPreferredHard
            out['ties/margin'] = t.margin
            subsets.push(t.score)
          } else tiesUndefined = true
        }
      }
      if (subsets.length && !tiesUndefined) out.score = subsets.reduce((a, x) => a + x, 0) / subsets.length
      return out
    },
  }
}
