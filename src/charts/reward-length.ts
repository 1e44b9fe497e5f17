import { baseSpec, round4, type Chart, type ChartRow } from './chart-types.ts'

/** Most points drawn: beyond this a scatter is ink, and the page grows by ~40 bytes a point. */
export const MAX_POINTS = 3000

/** Ordinary least squares y = a + b·x with Pearson's r. */
export function leastSquares(xs: ArrayLike<number>, ys: ArrayLike<number>): { intercept: number; slope: number; r: number } {
  const n = xs.length
  let mx = 0, my = 0
  for (let i = 0; i < n; i++) { mx += xs[i]; my += ys[i] }
  mx /= n; my /= n
  let sxx = 0, sxy = 0, syy = 0
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx, dy = ys[i] - my
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy
  }
  const slope = sxx > 0 ? sxy / sxx : 0
  return { intercept: my - slope * mx, slope, r: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0 }
}

/**
 * Reward against response length (characters), chosen and rejected responses coloured apart, with the least-squares
 * trend over all responses. Large runs show an evenly spaced subset of points; the fit always uses every response.
 */
export function rewardLengthChart(rows: ChartRow[]): Chart | null {
  const pts: { length: number; reward: number; side: string }[] = []
  for (const r of rows) {
    if (!r.chars) continue
    for (const side of ['chosen', 'rejected'] as const)
      r[side].forEach((reward, i) => {
        const length = r.chars![side][i]
        if (Number.isFinite(reward) && Number.isFinite(length)) pts.push({ length, reward, side })
      })
  }
  if (pts.length < 2) return null
  const fit = leastSquares(pts.map((p) => p.length), pts.map((p) => p.reward))
  const stride = Math.ceil(pts.length / MAX_POINTS)
  const shown = pts.filter((_, i) => i % stride === 0).map((p) => ({ ...p, reward: round4(p.reward) }))
  let xMin = Infinity, xMax = -Infinity
  for (const p of pts) { xMin = Math.min(xMin, p.length); xMax = Math.max(xMax, p.length) }
  const trend = [xMin, xMax].map((length) => ({ length, reward: round4(fit.intercept + fit.slope * length) }))
  const subtitle = `trend: ${fit.slope >= 0 ? '+' : ''}${(fit.slope * 1000).toPrecision(3)} reward per 1,000 characters, r = ${fit.r.toFixed(3)} over ${pts.length} responses${stride > 1 ? ` (${shown.length} drawn)` : ''}`
  const x = { field: 'length', type: 'quantitative', title: 'response length (characters)' }
  const y = { field: 'reward', type: 'quantitative', title: 'reward', scale: { zero: false } }
  return {
    name: 'reward-length',
    title: 'Reward vs response length',
    caption: 'Each dot is one response. A steep trend means the model pays for length itself; compare with how often the longer answer is the chosen one.',
    spec: {
      ...baseSpec('Reward vs response length', subtitle),
      width: 420,
      height: 260,
      layer: [
        {
          data: { values: shown },
          mark: { type: 'point', filled: true, size: 14, opacity: 0.45 },
          encoding: { x, y, color: { field: 'side', type: 'nominal', scale: { domain: ['chosen', 'rejected'], range: ['#2e86c1', '#e67e22'] }, title: null, legend: { symbolOpacity: 0.9, symbolSize: 50 } }, tooltip: [{ field: 'side' }, { field: 'length' }, { field: 'reward' }] },
        },
        { data: { values: trend }, mark: { type: 'line', color: '#222', strokeWidth: 2 }, encoding: { x, y } },
      ],
    },
  }
}
