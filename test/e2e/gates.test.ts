import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import t from 'tap'
import { cli, jsonl, precomputedSuite, tmp } from './helpers.ts'

const N = 400

/**
 * Three precomputed "models" on a 400-pair suite: the baseline gets pairs 0–319 right (80%); `worse` loses 80 of
 * them (pairs 0–79: 60%); `noisy` loses 3 (pairs 0–2: 79.25%). Subsets a/b alternate.
 */
function fixture(gates = '') {
  const { d, model } = precomputedSuite(N, gates)
  return { d, base: model('base', (i) => i >= 320), worse: model('worse', (i) => i >= 320 || i < 80), noisy: model('noisy', (i) => i >= 320 || i < 3) }
}

t.test('a significantly worse candidate fails the gate (exit 1); noise alone passes (exit 0)', async (t) => {
  const f = fixture()
  const bad = cli(['compare', '--baseline', f.base, '--candidate', f.worse, '--max-drop', '1', '--gate', 'accuracy=1'])
  t.equal(bad.code, 1, bad.stderr)
  t.match(bad.stdout, /FAIL {2}accuracy: dropped 20\.00 pts \(tolerance 1\.00 pts\), significant/)
  t.match(bad.stdout, /verdict: FAIL — 2 gates crossed/)
  // 3 discordant pairs, all against the candidate: exact McNemar p = 2 · 0.5³ = 0.25 — a drop of 0.75 points, not significant.
  const noise = cli(['compare', '--baseline', f.base, '--candidate', f.noisy, '--gate', 'accuracy=0', '--json'])
  t.equal(noise.code, 0, noise.stderr)
  const j = JSON.parse(noise.stdout)
  const acc = j.verdict.gates.find((g: { metric: string }) => g.metric === 'accuracy')
  t.ok(Math.abs(acc.p - 0.25) < 1e-12, `McNemar p ${acc.p}`)
  t.ok(Math.abs(acc.drop - 0.75) < 1e-9)
  t.equal(acc.failed, false)
  t.match(acc.reason, /not significantly .* could be noise/)
  const tolerated = cli(['compare', '--baseline', f.base, '--candidate', f.worse, '--gate', 'accuracy=25', '--max-drop', '25'])
  t.equal(tolerated.code, 0, 'a significant drop within the tolerance passes')
  t.equal(cli(['compare', f.base, f.worse]).code, 0, 'plain compare reports; it does not gate')
})

t.test('gates declared in the suite; JUnit parses with the right failure count; Markdown is stable and in the step summary', async (t) => {
  const f = fixture('gates: { alpha: 0.01, max_drop: { score: 5, accuracy/a: 50, accuracy/b: 0 } }\n')
  const junit = join(f.d, 'gates.xml')
  const md = join(f.d, 'gates.md')
  const summary = join(f.d, 'summary.md')
  writeFileSync(summary, '# earlier step\n')
  const r = cli(['compare', '--baseline', f.base, '--candidate', f.worse, '--junit', junit, '--markdown', md], { env: { GITHUB_STEP_SUMMARY: summary } })
  t.equal(r.code, 1, r.stderr)
  const xml = readFileSync(junit, 'utf8')
  t.equal(XMLValidator.validate(xml), true, 'well-formed XML')
  const doc = new XMLParser({ ignoreAttributes: false }).parse(xml)
  const suite = doc.testsuites.testsuite
  // score: −20 pts > 5 → fail; accuracy/a: 40 of 200 lost = −20 pts ≤ 50 → pass; accuracy/b: −20 > 0 → fail.
  t.equal(suite['@_tests'], '3')
  t.equal(suite['@_failures'], '2')
  t.same(suite.testcase.map((c: Record<string, unknown>) => [c['@_name'], 'failure' in c]), [['score', true], ['accuracy/a', false], ['accuracy/b', true]])
  const text = readFileSync(md, 'utf8')
  t.match(text, /^### ❌ rmbench: 2 regressions on gated\n/)
  t.match(text, /\| accuracy\/a \| 80\.00 \| 60\.00 \| 20\.00 \| [\d.]+ – [\d.]+ \| 50\.00 \| <1e-4 \| ✅ pass \|/)
  t.match(text, /Holm-adjusted p < 0\.01/)
  t.equal(readFileSync(summary, 'utf8'), '# earlier step\n' + text + '\n', 'appended to $GITHUB_STEP_SUMMARY')
  cli(['compare', '--baseline', f.base, '--candidate', f.worse, '--markdown', md])
  t.equal(readFileSync(md, 'utf8'), text, 'the same runs give the same Markdown, byte for byte')
})

t.test('a committed results.json without scores.jsonl: unpaired fallback, said so', async (t) => {
  const f = fixture()
  rmSync(join(f.base, 'scores.jsonl'))
  const r = cli(['compare', '--baseline', join(f.base, 'results.json'), '--candidate', f.worse, '--max-drop', '1'])
  t.equal(r.code, 1, r.stderr)
  t.match(r.stdout, /UNPAIRED: a run has no scores\.jsonl/)
  t.match(r.stdout, /score .* unpaired/)
})

t.test('bad input: exit 2 with a coded error', async (t) => {
  const f = fixture()
  const other = tmp({ 'suite.yaml': 'name: other\ntask: pairwise\ndata: { source: d.jsonl }\n', 'd.jsonl': jsonl([{ id: 'x', prompt: 'q', chosen: 'c', rejected: 'r' }]) })
  t.equal(cli(['run', other, '-q', '--model', 'baseline:length', '--out', join(other, 'o')]).code, 0)
  const cases: [string[], RegExp][] = [
    [['compare', '--baseline', f.base, '--candidate', join(other, 'o')], /E_COMPARE: .*ran suite 'gated'.*'other'/],
    [['compare', '--baseline', f.base, '--candidate', f.worse, '--gate', 'acuracy=1'], /E_USAGE: gate on 'acuracy'.*Did you mean 'accuracy'\?/],
    [['compare', '--baseline', f.base, '--candidate', f.worse, '--gate', 'accuracy'], /E_USAGE: --gate accuracy: expected <metric>=<max drop in points>/],
    [['compare', '--baseline', f.base], /E_USAGE: name two runs/],
    [['compare', '--baseline', f.base, '--candidate', join(f.d, 'missing')], /E_RESULTS: .*missing not found/],
  ]
  for (const [args, re] of cases) {
    const r = cli(args)
    t.equal(r.code, 2, args.join(' '))
    t.match(r.stderr, re)
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
  }
  const edited = JSON.parse(readFileSync(join(f.worse, 'results.json'), 'utf8'))
  edited.metrics.score.value = 'high'
  writeFileSync(join(f.worse, 'results.json'), JSON.stringify(edited))
  const r = cli(['compare', '--baseline', f.base, '--candidate', f.worse])
  t.equal(r.code, 2)
  t.match(r.stderr, /E_RESULTS: .*does not match schemas\/results\.schema\.json/)
})
