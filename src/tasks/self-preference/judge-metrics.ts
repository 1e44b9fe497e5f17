import { mean } from '../../stats/mean.ts'
import type { Metrics } from '../types.ts'

/** One pairwise judge item, reduced to what the metrics read. */
export interface PairJudgment {
  /** Which response is the judge's own: 0 (A), 1 (B), or null (neither, or both). */
  own: 0 | 1 | null
  /** Gold P(A wins): 1, 0, 0.5 for a tie, or a vote share. */
  gold: number
  /** The judge's P(first shown wins) with A shown first, and with B shown first (absent when only AB was asked). */
  pAB: number
  pBA?: number
  lenA: number
  lenB: number
}

/** One pointwise item: is the response the judge's own, the judge's score and the gold score. */
export interface RatingJudgment { own: boolean; judge: number; gold: number }

/** The judge's P(A wins): the two orders averaged (as Chen et al. do), or the AB order alone. */
export function judgeProbA(j: PairJudgment): number {
  return j.pBA === undefined ? j.pAB : (j.pAB + (1 - j.pBA)) / 2
}

/** A verdict from P(A wins): 'A', 'B', or 'tie' at exactly one half. */
export function hardVerdict(pA: number): 'A' | 'B' | 'tie' {
  return pA > 0.5 ? 'A' : pA < 0.5 ? 'B' : 'tie'
}

/** Cohen's κ of two raters over the same items (categorical labels); NaN when chance agreement is total. */
export function cohenKappa(x: string[], y: string[]): number {
  const n = x.length
  if (!n) return NaN
  const cats = [...new Set([...x, ...y])]
  let po = 0
  for (let i = 0; i < n; i++) if (x[i] === y[i]) po++
  po /= n
  let pe = 0
  for (const c of cats) pe += (x.filter((v) => v === c).length / n) * (y.filter((v) => v === c).length / n)
  return pe === 1 ? NaN : (po - pe) / (1 - pe)
}

/**
 * Pairwise self-preference (Chen et al. 2025): DBG = judge's win rate for its own responses − gold win rate for the
 * same responses on the same pairs (a fraction; ×100 gives points, −100…100; > 0 is self-preference), with the raw
 * win rates, judge–gold agreement and Cohen's κ (all, own, other), position bias and length preference.
 */
export function pairwiseJudgeMetrics(items: PairJudgment[]): Metrics {
  const out: Metrics = {}
  const put = (k: string, v: number, n: number, label?: string) => { if (n > 0) out[k] = { value: v, n, ...(label ? { label } : {}) } }
  const own = items.filter((j) => j.own !== null)
  const ownWin = (j: PairJudgment, pA: number) => (j.own === 0 ? pA : 1 - pA)
  const judgeOwn = mean(own.map((j) => ownWin(j, judgeProbA(j))))
  const goldOwn = mean(own.map((j) => ownWin(j, j.gold)))
  put('dbg', judgeOwn - goldOwn, own.length, "judge's win rate for its own responses − gold win rate for them on the same pairs (> 0: self-preference)")
  put('win-rate/judge-own', judgeOwn, own.length, "how often the judge picks its own response")
  put('win-rate/gold-own', goldOwn, own.length, 'how often gold picks the judge\'s response')
  const agreement = (list: PairJudgment[], key: string) => {
    const jv = list.map((j) => hardVerdict(judgeProbA(j)))
    const gv = list.map((j) => hardVerdict(j.gold))
    put(`agreement${key}`, mean(jv.map((v, i) => (v === gv[i] ? 1 : 0))), list.length)
    const k = cohenKappa(jv, gv)
    if (Number.isFinite(k)) put(`kappa${key}`, k, list.length)
  }
  agreement(items, '')
  agreement(own, '/own')
  agreement(items.filter((j) => j.own === null), '/other')
  const both = items.filter((j) => j.pBA !== undefined)
  // A verdict "flips" when the two orders name different winners of the same pair (a tie counts as a verdict).
  put('position/flips', mean(both.map((j) => (hardVerdict(j.pAB) === hardVerdict(1 - j.pBA!) ? 0 : 1))), both.length, 'share of items whose verdict changes when the two responses swap places')
  put('position/first-preference', mean(both.flatMap((j) => [j.pAB, j.pBA!])), both.length, 'mean P(first shown wins) over both orders (0.5: no position bias)')
  const uneven = items.filter((j) => j.lenA !== j.lenB)
  const longer = (j: PairJudgment, pA: number) => (j.lenA > j.lenB ? pA : 1 - pA)
  put('length/judge-prefers-longer', mean(uneven.map((j) => longer(j, judgeProbA(j)))), uneven.length, 'how often the judge picks the longer response')
  put('length/gold-prefers-longer', mean(uneven.map((j) => longer(j, j.gold))), uneven.length)
  return out
}

/**
 * Pointwise self-preference for ratings: mean(judge − gold) on the judge's own responses minus the same on other
 * models' responses, so a judge lenient to everyone is not called self-biased; both terms reported.
 */
export function pointwiseJudgeMetrics(items: RatingJudgment[]): Metrics {
  const out: Metrics = {}
  const own = items.filter((r) => r.own)
  const other = items.filter((r) => !r.own)
  const self = mean(own.map((r) => r.judge - r.gold))
  const rest = mean(other.map((r) => r.judge - r.gold))
  if (own.length) out['pointwise/self-term'] = { value: self, n: own.length, label: 'mean(judge − gold score) on its own responses' }
  if (other.length) out['pointwise/other-term'] = { value: rest, n: other.length, label: "mean(judge − gold score) on other models' responses" }
  if (own.length && other.length) out['dbg-pointwise'] = { value: self - rest, n: items.length, label: 'self term − other term, in rating points (> 0: self-preference)' }
  return out
}
