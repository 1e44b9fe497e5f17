import t from 'tap'
import { htmlReport, htmlText } from './html-report.ts'
import type { RunResult } from './types.ts'

const result = (over: Partial<RunResult> = {}) => ({
  schemaVersion: 1, complete: false,
  suite: { name: 'demo <b>', version: 1, task: 'pairwise', file: 's.yaml', hash: 'h', spec: {} },
  model: { spec: 'onnx:./m', id: 'm', fingerprint: 'f', info: {} },
  provenance: { rmbenchVersion: '0.1.0', node: 'v20', platform: 'linux-x64', startedAt: '2026-01-01T00:00:00Z', durationMs: 1500, suiteHash: 's', datasetHash: 'd', modelFingerprint: 'f', dataSources: [], modelSource: null },
  metrics: { score: { value: 0.75, n: 4, ci: [0.5, 1] }, 'accuracy/"quoted" & <tag>': { value: 0.5, n: 2 } },
  stats: { method: 'percentile', confidence: 0.9, seed: 3, resamples: 100, genericResamples: 10, strata: 'group', ms: 1 },
  counts: { examples: 5, scored: 4, failed: 1, requests: 10, unique: 10, cached: 0 },
  errors: [],
  ...over,
}) as unknown as RunResult

t.test('htmlText escapes the five characters that matter in content and attributes', async (t) => {
  t.equal(htmlText(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;')
})

t.test('page: headline with its own confidence level, incomplete-run warning, escaped names, failed chart shown', async (t) => {
  const html = htmlReport(result(), [], [{ chart: { name: 'c1', title: 'T', caption: 'cap <i>', spec: {} }, error: 'bad <spec>', specJson: '{}' }])
  t.match(html, /score <b>75\.00<\/b> <span class="muted">\(90% CI 50\.00 – 100\.00\)<\/span>/)
  t.match(html, /Incomplete run:<\/b> 1 of 5 examples failed/)
  t.match(html, /<title>demo &lt;b&gt; · onnx:\.\/m<\/title>/)
  t.match(html, /<td>&quot;quoted&quot; &amp; &lt;tag&gt;<\/td>/)
  t.match(html, /This chart could not be drawn: bad &lt;spec&gt;/)
  t.match(html, /cap &lt;i&gt;/)
  t.match(html, /percentile bootstrap within subsets, 100 resamples \(10 for recomputed metrics\), seed 3/)
  t.notMatch(htmlReport(result({ complete: true }), [], []), /Incomplete run|<h2>Charts/, 'complete run without charts: neither')
})
