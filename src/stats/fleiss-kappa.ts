/**
 * Fleiss' κ of N items each rated by the same number n ≥ 2 of raters into k categories: `counts[i][j]` raters put
 * item i in category j. κ = (P̄ − P_e) / (1 − P_e); NaN when every rating falls in one category (P_e = 1).
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number {
  if (!counts.length) return NaN
  const n = counts[0].reduce((a, x) => a + x, 0)
  const k = counts[0].length
  const totals = new Float64Array(k)
  let agree = 0
  for (const row of counts) {
    let sq = 0
    for (let j = 0; j < k; j++) {
      totals[j] += row[j]
      sq += row[j] * row[j]
    }
    agree += (sq - n) / (n * (n - 1))
  }
  const pBar = agree / counts.length
  let pe = 0
  for (let j = 0; j < k; j++) pe += (totals[j] / (counts.length * n)) ** 2
  return pe === 1 ? NaN : (pBar - pe) / (1 - pe)
}
