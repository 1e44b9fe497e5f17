import type { Example } from '../../data/types.ts'
import { logistic1 } from '../../stats/logistic.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { pairCredit } from '../pairwise/pairwise-task.ts'
import type { ExampleScores, Replicator } from '../types.ts'
import { lengthPairs, responseLengths } from './length-bias.ts'

/**
 * The length-bias metrics as functions of how often each example was drawn: `prepare` computes every per-pair and
 * per-response column once, and `evaluate(weights)` gives one resample's values from weighted sums — the same
 * quantities `lengthBias` computes on the resampled copies (the same draws, so the same intervals up to rounding),
 * without building copies, maps or objects per resample. weights[i] is how many times examples[i] was drawn.
 */
/** Columns of the pairs (first chosen against each rejected) and of every response, for weighted evaluation. */
export function lengthBiasReplicator(examples: Example[], scores: ExampleScores, tokens: ExampleScores, suite: SuiteSpec): Replicator {
  const ties = suite.score?.ties ?? 'wrong'
  const pairs = lengthPairs(examples, scores, tokens)
  const groups = [...new Set(pairs.map((p) => p.group))].sort()
  const groupIx = new Map(groups.map((g, i) => [g, i]))
  const allTokens = pairs.every((p) => p.tokC !== undefined && p.tokR !== undefined)
  // Per pair: its example, credit, length and token comparisons, baseline credit, whether decided, Δ length.
  const ex: number[] = [], credit: number[] = [], longer: number[] = [], shorter: number[] = [], tLonger: number[] = [], tShorter: number[] = []
  const base: number[] = [], group: number[] = [], decided: number[] = [], longerWon: number[] = [], delta: number[] = []
  for (const p of pairs) {
    ex.push(p.at)
    credit.push(pairCredit(p.chosen, p.rejected, ties))
    longer.push(p.lenC > p.lenR ? 1 : 0)
    shorter.push(p.lenC < p.lenR ? 1 : 0)
    tLonger.push(p.tokC! > p.tokR! ? 1 : 0)
    tShorter.push(p.tokC! < p.tokR! ? 1 : 0)
    base.push(pairCredit(p.lenC, p.lenR, ties))
    group.push(groupIx.get(p.group)!)
    const d = p.lenC !== p.lenR && p.chosen !== p.rejected
    decided.push(d ? 1 : 0)
    longerWon.push(d && (p.chosen > p.rejected) === (p.lenC > p.lenR) ? 1 : 0)
    delta.push(p.lenC - p.lenR)
  }
  // Per response (pooled Spearman): its example, reward, length; per example: within-prompt rho (NaN if none).
  const rEx: number[] = [], rReward: number[] = [], rLen: number[] = []
  const within = new Float64Array(examples.length).fill(NaN)
  examples.forEach((e, i) => {
    const s = scores.get(e.id)
    if (!s) return
    const { rewards, lengths } = responseLengths(e, s)
    for (let k = 0; k < rewards.length; k++) {
      rEx.push(i)
      rReward.push(rewards[k])
      rLen.push(lengths[k])
    }
    within[i] = weightedSpearman(rewards, lengths, new Float64Array(rewards.length).fill(1), sortedOrder(rewards), sortedOrder(lengths))
  })
  const P = ex.length
  const byReward = sortedOrder(rReward)
  const byLength = sortedOrder(rLen)
  const keys = ['length/accuracy-chosen-longer', 'length/accuracy-chosen-shorter', ...(allTokens ? ['length/tokens/accuracy-chosen-longer', 'length/tokens/accuracy-chosen-shorter'] : []), 'length/baseline', ...groups.map((g) => `length/baseline/${g}`), 'length/longer-preferred', 'length/spearman', 'length/spearman-within-prompt', 'length/lc-accuracy']
  const rw = new Float64Array(rEx.length)
  const pw = new Float64Array(P)
  return {
    keys,
    evaluate(weights) {
      const out: Record<string, number> = {}
      for (let p = 0; p < P; p++) pw[p] = weights[ex[p]]
      const ratio = (num: (p: number) => number, den: (p: number) => number) => {
        let a = 0
        let b = 0
        for (let p = 0; p < P; p++) {
          const d = pw[p] * den(p)
          a += d * num(p)
          b += d
        }
        return b > 0 ? a / b : NaN
      }
      out['length/accuracy-chosen-longer'] = ratio((p) => credit[p], (p) => longer[p])
      out['length/accuracy-chosen-shorter'] = ratio((p) => credit[p], (p) => shorter[p])
      if (allTokens) {
        out['length/tokens/accuracy-chosen-longer'] = ratio((p) => credit[p], (p) => tLonger[p])
        out['length/tokens/accuracy-chosen-shorter'] = ratio((p) => credit[p], (p) => tShorter[p])
      }
      out['length/baseline'] = ratio((p) => base[p], () => 1)
      groups.forEach((g, k) => (out[`length/baseline/${g}`] = ratio((p) => base[p], (p) => (group[p] === k ? 1 : 0))))
      out['length/longer-preferred'] = ratio((p) => longerWon[p], (p) => decided[p])
      for (let r = 0; r < rw.length; r++) rw[r] = weights[rEx[r]]
      out['length/spearman'] = weightedSpearman(rReward, rLen, rw, byReward, byLength)
      let ws = 0
      let wn = 0
      for (let i = 0; i < weights.length; i++)
        if (weights[i] > 0 && !Number.isNaN(within[i])) {
          ws += weights[i] * within[i]
          wn += weights[i]
        }
      out['length/spearman-within-prompt'] = wn > 0 ? ws / wn : NaN
      out['length/lc-accuracy'] = P ? weightedLengthControlled(credit, delta, pw) : NaN
      return out
    },
  }
}

/** Indices of xs in ascending order of value (ties in index order). */
function sortedOrder(xs: number[]): Int32Array {
  return Int32Array.from(xs.keys()).sort((a, b) => xs[a] - xs[b] || a - b)
}

/** Average ranks (scipy's rankdata) of a multiset where item i occurs w[i] times, from its sorted order. */
function weightedRanks(xs: number[], w: Float64Array, order: Int32Array, out: Float64Array): void {
  let before = 0
  for (let i = 0; i < order.length; ) {
    let j = i
    let total = 0
    while (j < order.length && xs[order[j]] === xs[order[i]]) total += w[order[j++]]
    const rank = before + (total + 1) / 2
    for (let k = i; k < j; k++) out[order[k]] = rank
    before += total
    i = j
  }
}

/** Spearman's ρ of the multiset (xs[i], ys[i]) × w[i] (Pearson on average ranks); NaN when a side is constant. */
export function weightedSpearman(xs: number[], ys: number[], w: Float64Array, orderX: Int32Array, orderY: Int32Array): number {
  const n = xs.length
  const rx = new Float64Array(n)
  const ry = new Float64Array(n)
  weightedRanks(xs, w, orderX, rx)
  weightedRanks(ys, w, orderY, ry)
  let W = 0, mx = 0, my = 0
  for (let i = 0; i < n; i++) {
    W += w[i]
    mx += w[i] * rx[i]
    my += w[i] * ry[i]
  }
  if (!(W > 0)) return NaN
  mx /= W
  my /= W
  let sxy = 0, sxx = 0, syy = 0
  for (let i = 0; i < n; i++) {
    if (!w[i]) continue
    const dx = rx[i] - mx
    const dy = ry[i] - my
    sxy += w[i] * dx * dy
    sxx += w[i] * dx * dx
    syy += w[i] * dy * dy
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy)
}

/**
 * lengthControlled on a weighted sample: σ(a) of the logistic fit P(right) = σ(a + b·tanh(Δ/sd)) with each pair
 * counted w times, by logistic1's Newton iterations from (0, 0) (the iterates of the unweighted fit on copies).
 */
function weightedLengthControlled(credit: number[], delta: number[], w: Float64Array): number {
  const P = credit.length
  let n = 0, m = 0
  for (let p = 0; p < P; p++) {
    n += w[p]
    m += w[p] * delta[p]
  }
  m /= n
  let ss = 0
  for (let p = 0; p < P; p++) ss += w[p] * (delta[p] - m) ** 2
  const sd = Math.sqrt(ss / Math.max(1, n - 1))
  const x = new Float64Array(P)
  for (let p = 0; p < P; p++) x[p] = sd > 0 ? Math.tanh(delta[p] / sd) : 0
  const { a } = logistic1(x, credit, 100, w)
  return 1 / (1 + Math.exp(-a))
}
