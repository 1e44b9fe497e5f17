import { percentileCi } from '../stats/bootstrap.ts'
import { createRng } from '../stats/rng.ts'

/** The mirrored two-component mixture fitted to the strengths: ε of the pairs drawn around −μ, the rest around +μ. */
export interface FlipFit { epsilon: number; mu: number; sigma: number; iterations: number }

const phi = (x: number, m: number, s: number) => Math.exp(-0.5 * ((x - m) / s) ** 2) / s

/**
 * Label-flip rate ε under symmetric noise (rDPO's model: each label flipped with probability ε, independently of the
 * pair): a correctly labelled pair's strength is drawn from N(μ, σ²) and a flipped one's, its mirror, from N(−μ, σ²);
 * EM fits (ε, μ, σ) with μ ≥ 0, from a start (or the warm start of a bootstrap replicate).
 */
export function fitFlipRate(s: ArrayLike<number>, start?: FlipFit): FlipFit {
  const n = s.length
  let sumAbs = 0
  let sumSq = 0
  let neg = 0
  for (let i = 0; i < n; i++) {
    sumAbs += Math.abs(s[i])
    sumSq += s[i] * s[i]
    if (s[i] < 0) neg++
  }
  let mu = start?.mu ?? sumAbs / n
  let sigma = start?.sigma ?? Math.sqrt(Math.max(sumSq / n - mu * mu, 1e-6))
  let eps = start?.epsilon ?? Math.min(0.45, Math.max(0.01, neg / n))
  let it = 0
  for (; it < 1000; it++) {
    let sr = 0
    let smu = 0
    const r = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const a = eps * phi(s[i], -mu, sigma)
      const b = (1 - eps) * phi(s[i], mu, sigma)
      r[i] = a + b > 0 ? a / (a + b) : s[i] < 0 ? 1 : 0
      sr += r[i]
      smu += (1 - 2 * r[i]) * s[i]
    }
    const nextEps = sr / n
    const nextMu = Math.max(0, smu / n)
    let ss = 0
    for (let i = 0; i < n; i++) ss += (1 - r[i]) * (s[i] - nextMu) ** 2 + r[i] * (s[i] + nextMu) ** 2
    const nextSigma = Math.sqrt(Math.max(ss / n, 1e-12))
    const done = Math.abs(nextEps - eps) < 1e-10 && Math.abs(nextMu - mu) < 1e-10 && Math.abs(nextSigma - sigma) < 1e-10
    ;[eps, mu, sigma] = [nextEps, nextMu, nextSigma]
    if (done) break
  }
  return { epsilon: eps, mu, sigma, iterations: it + 1 }
}

/** ε with a percentile bootstrap interval over pairs (each replicate warm-started from the full fit). */
export function flipRate(strengths: number[], o: { resamples?: number; seed?: number; confidence?: number } = {}): FlipFit & { ci: [number, number]; separation: number } {
  const fit = fitFlipRate(strengths)
  const B = o.resamples ?? 200
  const rng = createRng(o.seed ?? 0)
  const reps = new Float64Array(B)
  const draw = new Float64Array(strengths.length)
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < draw.length; i++) draw[i] = strengths[Math.floor(rng.next() * draw.length)]
    reps[b] = fitFlipRate(draw, fit).epsilon
  }
  return { ...fit, ci: B ? percentileCi(reps, o.confidence ?? 0.95) : [NaN, NaN], separation: fit.mu / fit.sigma }
}
