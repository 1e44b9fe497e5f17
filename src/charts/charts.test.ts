import t from 'tap'
import type { ChartRow } from './chart-types.ts'
import { lengthAccuracyChart, lengthSplitAccuracy } from './length-accuracy.ts'
import { boxStats, marginDistributionChart, rowMargin } from './margin-distribution.ts'
import { matrixHeatmapChart } from './matrix-heatmap.ts'
import { rankingBetaChart } from './ranking-beta.ts'
import { reportCharts } from './report-charts.ts'
import { leastSquares, MAX_POINTS, rewardLengthChart } from './reward-length.ts'
import { subsetAccuracyChart } from './subset-accuracy.ts'
import { renderSvg } from './render-svg.ts'
import { chartRows } from './chart-rows.ts'

const row = (id: string, group: string, c: number, r: number, lc?: number, lr?: number): ChartRow =>
  ({ id, group, chosen: [c], rejected: [r], ...(lc !== undefined ? { chars: { chosen: [lc], rejected: [lr!] } } : {}) })

// Chart layers hold their data inline; this finds the values of the layer (or top level) carrying `field`.
const values = (spec: Record<string, unknown>): Record<string, unknown>[] => (spec.data as { values: Record<string, unknown>[] }).values

t.test('box statistics by hand: quartiles by linear interpolation, Tukey whiskers, share below zero', async (t) => {
  // sorted: -10, 1, 2, 3, 4 → q1 = 1, median 2, q3 = 3, IQR 2, fences -2 and 6: -10 is outside, so the low whisker is 1.
  const b = boxStats('g', [3, -10, 2, 4, 1])
  t.same({ q1: b.q1, median: b.median, q3: b.q3, lo: b.lo, hi: b.hi, min: b.min, max: b.max, negative: b.negative, n: b.n }, { q1: 1, median: 2, q3: 3, lo: 1, hi: 4, min: -10, max: 4, negative: 0.2, n: 5 })
  const one = boxStats('g', [7])
  t.same([one.q1, one.median, one.q3, one.lo, one.hi], [7, 7, 7, 7, 7], 'a single value is its own box')
})

t.test('margins: chosen − best rejected; the style matrix averages its diagonal', async (t) => {
  t.equal(rowMargin('best-of-n', { id: 'a', group: 'g', chosen: [2], rejected: [1, 3, -1] }), -1)
  t.equal(rowMargin('style-matrix', { id: 'a', group: 'g', chosen: [3, 2, 1], rejected: [1, 1, 4] }), (2 + 1 - 3) / 3)
  const c = marginDistributionChart('pairwise', [row('a', 'x', 1, 0), row('b', 'x', 0, 2), row('c', 'y', 5, 1)])!
  const layer = (c.spec.layer as Record<string, unknown>[])
  t.ok(layer.length > 3)
  const v = values(c.spec)
  t.same(v.map((r) => [r.group, r.n, r.median, r.wrong]), [['x', 2, -0.5, '50% < 0'], ['y', 1, 4, '0% < 0']])
  const ties = values(marginDistributionChart('pairwise', [row('a', 't', 1, 1), row('b', 't', 2, 2), row('c', 'u', 1, 2)])!.spec)
  t.same(ties.map((r) => [r.group, r.wrong]), [['t', 'all ties'], ['u', '100% < 0']], 'a subset whose margins are all 0 says so, not "0% < 0"')
  t.equal(marginDistributionChart('pairwise', []), null, 'no rows, no chart')
})

t.test('least squares and the reward–length chart', async (t) => {
  const f = leastSquares([0, 1, 2, 3], [1, 3, 5, 7])
  t.same([f.intercept, f.slope, f.r], [1, 2, 1])
  t.equal(leastSquares([1, 1], [2, 3]).slope, 0, 'no spread in x: flat, not NaN')
  const rows = [row('a', 'g', 1, 0, 100, 50), row('b', 'g', 2, 1, 200, 100)]
  const c = rewardLengthChart(rows)!
  // Points (100,1) (50,0) (200,2) (100,1): slope = Sxy/Sxx = 131.25/11875... computed: mean x 112.5, mean y 1.
  const xs = [100, 50, 200, 100], ys = [1, 0, 2, 1]
  const mx = 112.5, my = 1
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0)
  const trend = ((c.spec.layer as { data: { values: { length: number; reward: number }[] } }[])[1]).data.values
  t.same(trend.map((p) => p.length), [50, 200])
  t.equal(trend[1].reward, Number((my + slope * (200 - mx)).toPrecision(4)))
  t.equal(rewardLengthChart([row('a', 'g', 1, 0)]), null, 'no lengths recorded: no chart')
  const many = Array.from({ length: 4000 }, (_, i) => row(`r${i}`, 'g', i, -i, i + 1, i + 2))
  const big = rewardLengthChart(many)!
  const drawn = ((big.spec.layer as { data: { values: unknown[] } }[])[0]).data.values.length
  t.ok(drawn <= MAX_POINTS, `at most ${MAX_POINTS} points drawn (${drawn})`)
  t.match(JSON.stringify(big.spec.title), /over 8000 responses \(\d+ drawn\)/)
})

t.test('length split by hand: equal lengths left out, score ties earn ½', async (t) => {
  const rows = [row('a', 'g', 2, 1, 10, 5), row('b', 'g', 1, 1, 10, 5), row('c', 'g', 0, 1, 3, 9), row('d', 'g', 5, 1, 4, 4)]
  t.same(lengthSplitAccuracy(rows), [{ when: 'chosen longer', value: 0.75, lo: null, hi: null, n: 2 }, { when: 'chosen shorter', value: 0, lo: null, hi: null, n: 1 }])
  const fromMetrics = lengthAccuracyChart({ 'length/accuracy-chosen-longer': { value: 0.9, n: 10, ci: [0.8, 1] } }, rows)!
  t.same(values(fromMetrics.spec).map((b) => [b.when, b.value, b.lo, b.hi]), [['chosen longer', 0.9, 0.8, 1]], "the analysis's metrics (with CIs) win over rows")
})

t.test('subset chart: one point per direct subset, with CI bounds; nested keys left out', async (t) => {
  const c = subsetAccuracyChart({ 'accuracy/a': { value: 0.5, n: 4, ci: [0.25, 0.75] }, 'accuracy/b': { value: 1, n: 2 }, 'accuracy/a/x': { value: 0, n: 1 }, accuracy: { value: 0.6, n: 6 } }, { prefix: 'accuracy/', name: 's', title: 'T', axis: 'acc', chance: 0.5 })!
  t.same(values(c.spec).map((v) => [v.subset, v.value, v.lo, v.hi]), [['a', 0.5, 0.25, 0.75], ['b', 1, 1, 1]])
  t.equal(subsetAccuracyChart({}, { prefix: 'accuracy/', name: 's', title: 'T', axis: 'acc' }), null)
})

t.test('style matrix heatmap and ranking β chart read their metrics', async (t) => {
  const m = matrixHeatmapChart({ 'matrix/chat/0-2': { value: 0.25, n: 4 }, 'matrix/chat/1-1': { value: 0.5, n: 4 }, 'domain/chat': { value: 0.5, n: 4 } })!
  t.same(values(m.spec).map((v) => [v.domain, v.chosen, v.rejected, v.text]), [['chat', 'concise', 'markdown', '25.0'], ['chat', 'detailed', 'detailed', '50.0']])
  const r = rankingBetaChart({ 'ranking/R': { value: 0.4, n: 5 }, 'ranking/R*/beta=0.1': { value: 0.7, n: 5 }, 'ranking/R*-normalized/beta=0.1': { value: 0.9, n: 5 } })!
  const layers = r.spec.layer as { data: { values: Record<string, unknown>[] } }[]
  t.same(layers[2].data.values.map((p) => [p.series, p.beta, p.value]), [['R* (sum of log-probs)', 0.1, 0.7], ['R* (length-normalised)', 0.1, 0.9]])
  t.same(layers[3].data.values, [{ series: 'R (sum of log-probs)', measure: 'sum of log-probs', kind: 'R (the policy)', value: 0.4 }])
})

t.test('report charts per task, and every spec renders to an SVG with marks', async (t) => {
  const rows = chartRows([
    { id: 'a', group: 'g', raw: { scores: { 'chosen/0': 1, 'rejected/0': 0 }, shape: [1, 1], chars: { chosen: [10], rejected: [4] } } },
    { id: 'b', group: '<img src=x onerror=alert(1)>', raw: { scores: { 'chosen/0': 0, 'rejected/0': 2 }, shape: [1, 1], chars: { chosen: [3], rejected: [8] } } },
    { id: 'c', group: 'g', error: { code: 'E', message: 'm' } },
  ])
  t.equal(rows.length, 2, 'failed rows are skipped')
  const metrics = { 'accuracy/g': { value: 1, n: 1, ci: [1, 1] as [number, number] }, 'accuracy/<img src=x onerror=alert(1)>': { value: 0, n: 1 }, 'section/S': { value: 0.5, n: 2 } }
  const charts = reportCharts({ task: 'pairwise', metrics, rows })
  t.same(charts.map((c) => c.name), ['section-score', 'subset-accuracy', 'margin-distribution', 'reward-length', 'length-accuracy'])
  for (const c of charts) {
    const svg = await renderSvg(c.spec)
    t.match(svg, /^<svg[^>]*class="marks"/, `${c.name} is an SVG`)
    t.match(svg, /<path|<rect|<line/, `${c.name} has marks`)
    t.notMatch(svg, /<img/, `${c.name}: a subset name is text, not markup`)
  }
  t.same(reportCharts({ task: 'ranking-accuracy', metrics: { 'ranking/R/g': { value: 1, n: 1 } }, rows: [] }).map((c) => c.name), ['ranking-subsets'])
  await t.rejects(renderSvg({ data: { url: 'http://example.com/x.json' }, mark: 'point' }), /refusing to load/, 'no chart fetches data')
})
