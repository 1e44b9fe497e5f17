import type { MetricValue, Metrics } from '../types.ts'

/** One preference pair's log-likelihoods: policy (and reference) on the preferred w and the dispreferred l. */
export interface RankingPair {
  group: string
  policy: { w: number; l: number; tw: number; tl: number }
  ref?: { w: number; l: number; tw: number; tl: number }
  /** Raters' agreement on the pair. */
  alpha: number
}

/** Settings of the ranking-accuracy rules. */
export interface RankingOptions { ties: 'ge' | 'gt'; betas: number[] }

const ALPHA_EPS = 0.001
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** log(α/(1−α)) with α kept inside [0.001, 0.999], so unanimous raters (α = 1) give a finite odds. */
export function logOdds(alpha: number): number {
  const a = Math.min(1 - ALPHA_EPS, Math.max(ALPHA_EPS, alpha))
  return Math.log(a / (1 - a))
}

/**
 * Chen et al. 2024, "Preference Learning Algorithms Do Not Learn Preference Rankings":
 * R = mean 1[log π(y_w) ≥ log π(y_l)] (or >), R̃ the same on per-token means; with a reference model,
 * the idealised R*(β) = mean 1[(π_ref(y_w)/π_ref(y_l))·(α/(1−α))^(1/β) > 1] (R̃*: per-token reference
 * log-probs), per β and as min/median/max, the alignment gap median R* − R, and DPO reward accuracy
 * mean 1[β·log(π/π_ref)(y_w) > β·log(π/π_ref)(y_l)] (β > 0 does not change it).
 */
export function rankingMetrics(pairs: RankingPair[], o: RankingOptions, weights?: ArrayLike<number>): Metrics {
  const out: Metrics = {}
  // weights[i]: how many times pair i counts (a bootstrap draw); without, each once — the same sums in the same order.
  const wt = (i: number) => (weights ? weights[i] : 1)
  let n = 0
  for (let i = 0; i < pairs.length; i++) n += wt(i)
  if (!n) return out
  const avg = (f: (p: RankingPair) => number, keep?: (p: RankingPair) => boolean): number => {
    let a = 0
    let b = 0
    for (let i = 0; i < pairs.length; i++) {
      const w = wt(i)
      if (!w || (keep && !keep(pairs[i]))) continue
      a += w * f(pairs[i])
      b += w
    }
    return a / b
  }
  const ranked = (w: number, l: number) => (o.ties === 'ge' ? w >= l : w > l) ? 1 : 0
  const put = (key: string, value: number, count = n, label?: string): MetricValue => (out[key] = { value, n: count, ...(label ? { label } : {}) })
  const R = put('ranking/R', avg((p) => ranked(p.policy.w, p.policy.l)), n, `ranking accuracy: log π(y_w) ${o.ties === 'ge' ? '≥' : '>'} log π(y_l)`).value
  const Rn = put('ranking/R-normalized', avg((p) => ranked(p.policy.w / p.policy.tw, p.policy.l / p.policy.tl)), n, 'ranking accuracy on per-token mean log-probs').value
  for (const g of [...new Set(pairs.filter((_, i) => wt(i)).map((p) => p.group))].sort()) {
    let count = 0
    pairs.forEach((p, i) => (count += p.group === g ? wt(i) : 0))
    put(`ranking/R/${g}`, avg((p) => ranked(p.policy.w, p.policy.l), (p) => p.group === g), count)
  }
  if (pairs.every((p) => p.ref)) {
    put('ranking/dpo-accuracy', avg((p) => ((p.policy.w - p.ref!.w) > (p.policy.l - p.ref!.l) ? 1 : 0)), n, 'DPO implicit reward accuracy: log(π/π_ref)(y_w) > log(π/π_ref)(y_l)')
    const star: number[] = []
    const starN: number[] = []
    for (const beta of o.betas) {
      const s = avg((p) => (p.ref!.w - p.ref!.l + logOdds(p.alpha) / beta > 0 ? 1 : 0))
      const sn = avg((p) => (p.ref!.w / p.ref!.tw - p.ref!.l / p.ref!.tl + logOdds(p.alpha) / beta > 0 ? 1 : 0))
      put(`ranking/R*/beta=${beta}`, s)
      put(`ranking/R*-normalized/beta=${beta}`, sn)
      star.push(s)
      starN.push(sn)
    }
    for (const [name, xs] of [['R*', star], ['R*-normalized', starN]] as const) {
      put(`ranking/${name}/min`, Math.min(...xs))
      put(`ranking/${name}/median`, median(xs))
      put(`ranking/${name}/max`, Math.max(...xs))
    }
    put('ranking/gap', median(star) - R, n, 'alignment gap: median over β of R* − R')
    put('ranking/gap-normalized', median(starN) - Rn, n, 'median over β of R̃* − R̃')
  }
  return out
}

/** Exact-match ranking accuracy: the share of lists (best first) whose log-probs descend in that order. */
export function exactMatch(lists: number[][], ties: 'ge' | 'gt', weights?: ArrayLike<number>): number {
  const ok = (xs: number[]) => xs.every((x, i) => i === 0 || (ties === 'ge' ? xs[i - 1] >= x : xs[i - 1] > x))
  if (!weights) return lists.filter(ok).length / lists.length
  let a = 0
  let b = 0
  lists.forEach((xs, i) => {
    a += weights[i] * (ok(xs) ? 1 : 0)
    b += weights[i]
  })
  return a / b
}
