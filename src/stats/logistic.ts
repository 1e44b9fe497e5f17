/**
 * Logistic regression of outcomes y ∈ [0, 1] on one covariate, P(y) = σ(a + b·x), fitted by Newton's
 * method (IRLS). Fractional y (a tie's half credit) is a valid binomial likelihood weight. `w` counts each point
 * w[i] times (a bootstrap draw); without it each counts once, by the same arithmetic.
 */
export function logistic1(x: ArrayLike<number>, y: ArrayLike<number>, iterations = 100, w?: ArrayLike<number>): { a: number; b: number } {
  let a = 0
  let b = 0
  for (let it = 0; it < iterations; it++) {
    let g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0
    for (let i = 0; i < x.length; i++) {
      const wi = w ? w[i] : 1
      if (!wi) continue
      const p = 1 / (1 + Math.exp(-(a + b * x[i])))
      const v = wi * p * (1 - p)
      const r = wi * (y[i] - p)
      g0 += r
      g1 += r * x[i]
      h00 += v
      h01 += v * x[i]
      h11 += v * x[i] * x[i]
    }
    const det = h00 * h11 - h01 * h01
    // A constant covariate (or a perfectly separated fit) leaves the 2×2 system singular: fit the intercept alone.
    const [da, db] = Math.abs(det) > 1e-12 * Math.max(1, h00 * h11) ? [(h11 * g0 - h01 * g1) / det, (h00 * g1 - h01 * g0) / det] : [h00 > 1e-300 ? g0 / h00 : 0, 0]
    a += da
    b += db
    if (Math.abs(da) < 1e-12 && Math.abs(db) < 1e-12) break
  }
  return { a, b }
}

/** The logistic function. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z))
}
