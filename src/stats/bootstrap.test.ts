import t from 'tap'
import { meanReplicates } from '../tasks/mean-replicates.ts'
import { bcaCi, percentileCi, quantileSorted } from './bootstrap.ts'
import { normCdf, normQuantile } from './normal.ts'
import { createRng } from './rng.ts'

/** A one-stratum mean statistic over 0/1 values. */
function meanStat(values: number[], strata?: number[]) {
  const ns = strata ? Math.max(...strata) + 1 : 1
  return {
    ids: values.map((_, i) => String(i)),
    strata: Int32Array.from(strata ?? values.map(() => 0)),
    values: [Float64Array.from(values)],
    combine: (sums: Float64Array[], counts: Float64Array) => {
      const out: Record<string, number> = {}
      let s = 0
      let n = 0
      for (let i = 0; i < ns; i++) {
        out[`g${i}`] = sums[i][0] / counts[i]
        s += sums[i][0]
        n += counts[i]
      }
      out.all = s / n
      return out
    },
  }
}

t.test('normal quantile and cdf agree with tabled values', async (t) => {
  t.ok(Math.abs(normQuantile(0.975) - 1.959963984540054) < 5e-9)
  t.ok(Math.abs(normQuantile(0.5)) < 1e-12)
  t.ok(Math.abs(normCdf(1.959963984540054) - 0.975) < 2e-7)
  t.ok(Math.abs(normCdf(-1) - 0.15865525393145707) < 2e-7)
})

t.test('quantiles interpolate as numpy does', async (t) => {
  const s = Float64Array.from([1, 2, 3, 4])
  t.equal(quantileSorted(s, 0.5), 2.5)
  t.equal(quantileSorted(s, 0.25), 1.75)
  t.equal(quantileSorted(s, 1), 4)
})

t.test('same seed, same interval; the interval holds the estimate; strata keep their own units', async (t) => {
  const rng = createRng(3)
  const values = Array.from({ length: 300 }, () => (rng.next() < 0.7 ? 1 : 0))
  const a = meanReplicates(meanStat(values), 2000, 7).get('all')!
  const b = meanReplicates(meanStat(values), 2000, 7).get('all')!
  t.same(percentileCi(a, 0.95), percentileCi(b, 0.95))
  t.not(percentileCi(meanReplicates(meanStat(values), 2000, 8).get('all')!, 0.95)[0], undefined)
  const est = values.reduce((x: number, y) => x + y, 0) / values.length
  const [lo, hi] = percentileCi(a, 0.95)
  t.ok(lo <= est && est <= hi, `${lo} ≤ ${est} ≤ ${hi}`)
  // Binomial standard error ≈ half-width / 1.96.
  const se = Math.sqrt((est * (1 - est)) / values.length)
  t.ok(Math.abs((hi - lo) / 2 / 1.96 - se) < 0.2 * se, 'width matches the binomial standard error')
  // A stratum of all-correct units stays at 1 in every resample; the other varies.
  const strat = meanReplicates(meanStat([1, 1, 1, 1, 0, 1, 0, 1], [0, 0, 0, 0, 1, 1, 1, 1]), 500, 1)
  t.ok(strat.get('g0')!.every((v) => v === 1))
  t.ok(new Set(strat.get('g1')!).size > 1)
})

t.test('95% percentile intervals cover the true accuracy about 95% of the time (500 simulated datasets)', async (t) => {
  const rng = createRng(11)
  const p = 0.7
  let covered = 0
  const runs = 500
  for (let r = 0; r < runs; r++) {
    const values = Array.from({ length: 200 }, () => (rng.next() < p ? 1 : 0))
    const [lo, hi] = percentileCi(meanReplicates(meanStat(values), 1000, r).get('all')!, 0.95)
    if (lo <= p && p <= hi) covered++
  }
  const share = covered / runs
  t.ok(share > 0.92 && share < 0.98, `coverage ${share}`)
})

t.test('BCa: no bias and no skew gives the percentile interval; a skewed statistic moves it', async (t) => {
  const reps = Float64Array.from({ length: 1001 }, (_, i) => i / 1000)
  const sym = Float64Array.from([-1, 1, -2, 2])
  const [lo, hi] = bcaCi(reps, 0.5, sym, 0.9)
  const [plo, phi] = percentileCi(reps, 0.9)
  t.ok(Math.abs(lo - plo) < 1e-5 && Math.abs(hi - phi) < 1e-5, 'equal up to the normal cdf approximation (1.5e-7)')
  // Estimate below most replicates (z0 < 0) shifts the interval down.
  const [blo, bhi] = bcaCi(reps, 0.3, sym, 0.9)
  t.ok(blo < plo && bhi < phi)
  // Acceleration by hand: jackknife d = [3, -1, -1, -1] → a = Σd³ / (6 (Σd²)^1.5) = 24 / (6 · 12^1.5).
  const jack = Float64Array.from([-3, 1, 1, 1]) // mean 0, so d_i = −θ_(i)
  const a = 24 / (6 * Math.pow(12, 1.5))
  const z = normQuantile(0.05)
  const expectedLo = normCdf(z / (1 - a * z))
  t.ok(Math.abs(bcaCi(reps, 0.5, jack, 0.9)[0] - quantileSorted(reps, expectedLo)) < 1e-3)
})

t.test('10,000 resamples of 100,000 pairs run on typed arrays (timing reported, not asserted)', async (t) => {
  const rng = createRng(5)
  const values = Array.from({ length: 100_000 }, () => (rng.next() < 0.6 ? 1 : 0))
  const started = performance.now()
  const reps = meanReplicates(meanStat(values, values.map((_, i) => i % 20)), 10_000, 0)
  const ms = performance.now() - started
  t.equal(reps.get('all')!.length, 10_000)
  t.comment(`100,000 pairs × 10,000 resamples: ${(ms / 1000).toFixed(2)} s`)
})
