import t from 'tap'
import { gateJunit, gateMarkdown, xmlText } from './gate-reports.ts'
import { evaluateGates, resolveGates } from './gates.ts'
import type { Comparison, MetricComparison } from './paired-comparison.ts'

const metric = (name: string, a: number, b: number, p: number): MetricComparison => ({ metric: name, a, b, delta: b - a, ci: [b - a - 0.01, b - a + 0.01], p, test: 'paired-bootstrap', mde: 0.02, n: 100 })
const comparison = (metrics: MetricComparison[]): Comparison => ({ suite: 's<1>', task: 'pairwise', a: 'base', b: 'cand', shared: 100, onlyA: 0, onlyB: 0, alpha: 0.05, confidence: 0.95, resamples: 1000, seed: 0, metrics, paired: true })

t.test('resolveGates: suite gates, command line wins per metric, score at 0 by default', async (t) => {
  t.same(resolveGates(undefined, {}), [{ metric: 'score', maxDrop: 0, from: 'default' }])
  t.same(resolveGates({ score: 1, 'section/Chat': 2 }, { score: 0.5 }), [{ metric: 'score', maxDrop: 0.5, from: 'cli' }, { metric: 'section/Chat', maxDrop: 2, from: 'suite' }])
})

t.test('a gate fails only when the drop exceeds its tolerance and is significant after Holm', async (t) => {
  const c = comparison([metric('score', 0.8, 0.7, 0.001), metric('x', 0.8, 0.79, 0.001), metric('y', 0.8, 0.7, 0.3), metric('z', 0.5, 0.6, 0.001)])
  const v = evaluateGates(c, [{ metric: 'score', maxDrop: 5, from: 'cli' }, { metric: 'x', maxDrop: 2, from: 'cli' }, { metric: 'y', maxDrop: 0, from: 'cli' }, { metric: 'z', maxDrop: 0, from: 'cli' }], 0.05)
  // Holm over p = [0.001, 0.001, 0.3, 0.001]: sorted 0.001×3 → 0.004, 0.003, 0.002 (monotone: 0.004), then 0.3 → 0.3.
  t.same(v.gates.map((g) => [g.metric, Number(g.drop.toFixed(6)), Number(g.pAdjusted.toFixed(6)), g.failed]), [
    ['score', 10, 0.004, true], // 10 pts > 5, significant
    ['x', 1, 0.004, false], // significant, but 1 pt ≤ 2
    ['y', 10, 0.3, false], // 10 pts, but could be noise
    ['z', -10, 0.004, false], // an improvement never fails
  ])
  t.equal(v.failed, 1)
  t.equal(v.passed, false)
  t.match(v.gates[2].reason, /not significantly \(p = 0\.3000 ≥ 0\.05\): could be noise/)
  t.throws(() => evaluateGates(c, [{ metric: 'scroe', maxDrop: 1, from: 'cli' }], 0.05), { code: 'E_USAGE', message: /Did you mean 'score'\?/ })
})

t.test('JUnit and Markdown: escaped, one testcase per gate, stable', async (t) => {
  t.equal(xmlText(`a<b>&"c'\u0001`), 'a&lt;b&gt;&amp;&quot;c&apos;�')
  const c = comparison([metric('score', 0.8, 0.7, 0.001)])
  const v = evaluateGates(c, [{ metric: 'score', maxDrop: 1, from: 'cli' }], 0.05)
  const xml = gateJunit(c, v)
  t.match(xml, /<testsuite name="rmbench compare s&lt;1&gt;" tests="1" failures="1"/)
  t.match(xml, /<testcase classname="rmbench\.s&lt;1&gt;" name="score" time="0">\n\s+<failure message="dropped 10\.00 pts \(tolerance 1\.00 pts\), significant \(p = 0\.0010 &lt; 0\.05\)"/)
  const md = gateMarkdown(c, v)
  t.equal(md, gateMarkdown(c, v))
  t.match(md, /^### ❌ rmbench: 1 regression on s&lt;1&gt;\n/)
  t.match(md, /\| score \| 80\.00 \| 70\.00 \| 10\.00 \| 9\.00 – 11\.00 \| 1\.00 \| 0\.0010 \| ❌ fail \|/)
})
