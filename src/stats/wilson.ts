import { normQuantile } from './normal.ts'

/** Wilson score interval of a proportion k/n at the given confidence ([NaN, NaN] when n is 0). */
export function wilsonInterval(k: number, n: number, confidence = 0.95): [number, number] {
  if (n <= 0) return [NaN, NaN]
  const z = normQuantile(1 - (1 - confidence) / 2)
  const p = k / n
  const z2n = (z * z) / n
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n)
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}
