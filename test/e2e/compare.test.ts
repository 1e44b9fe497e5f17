import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cli, tmp } from './helpers.ts'

const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))

t.test('compare two runs of quickstart: deltas, exact McNemar counts from the per-example credits, Holm, MDE', async (t) => {
  const d = tmp()
  const [a, b] = [join(d, 'a'), join(d, 'b')]
  t.equal(cli(['run', 'suites/quickstart', '-q', '--out', a]).code, 0)
  t.equal(cli(['run', 'suites/quickstart', '-q', '--out', b, '--model', 'baseline:length']).code, 0)
  const r = cli(['compare', a, b, '--json'])
  t.equal(r.code, 0, r.stderr)
  const c = JSON.parse(r.stdout)
  const ra = JSON.parse(readFileSync(join(a, 'results.json'), 'utf8'))
  const rb = JSON.parse(readFileSync(join(b, 'results.json'), 'utf8'))
  const acc = c.metrics.find((m: { metric: string }) => m.metric === 'accuracy')
  t.equal(acc.delta, rb.metrics.accuracy.value - ra.metrics.accuracy.value)
  // Discordant pairs by hand from the two scores.jsonl files.
  const ca = new Map(lines(join(a, 'scores.jsonl')).map((x) => [x.id, x.credit]))
  const cb = lines(join(b, 'scores.jsonl'))
  const onlyA = cb.filter((x) => ca.get(x.id) === 1 && x.credit === 0).length
  const onlyB = cb.filter((x) => ca.get(x.id) === 0 && x.credit === 1).length
  t.same(acc.discordant, [onlyA, onlyB])
  t.equal(acc.test, 'mcnemar-exact')
  const tail = (k: number, n: number) => { let s = 0; let c = 1; for (let i = 0; i <= k; i++) { s += c; c = (c * (n - i)) / (i + 1) } return Math.min(1, (2 * s) / 2 ** n) }
  t.ok(Math.abs(acc.p - tail(Math.min(onlyA, onlyB), onlyA + onlyB)) < 1e-15)
  t.ok(acc.ci[0] <= acc.delta && acc.delta <= acc.ci[1])
  const subsets = c.metrics.filter((m: { metric: string }) => m.metric.startsWith('accuracy/'))
  t.ok(subsets.every((m: { pHolm: number; p: number }) => m.pHolm >= m.p), 'Holm never lowers a p-value')
  t.equal(cli(['compare', a, b, '--json']).stdout, r.stdout, 'same seed, same numbers')
  const table = cli(['compare', a, b])
  t.match(table.stdout, /accuracy\/helpful-vs-evasive +100\.00 +66\.25 +-33\.75/)
  t.match(table.stdout, /significant at α = 0\.05: accuracy -8\.44/)
})

t.test('compare refuses what cannot be compared, with coded errors', async (t) => {
  const d = tmp()
  const a = join(d, 'a')
  t.equal(cli(['run', 'suites/quickstart', '-q', '--out', a, '--limit', '40']).code, 0)
  const other = join(d, 'o')
  t.equal(cli(['run', 'suites/ranking-accuracy-mini', '-q', '--out', other, '--model', 'onnx:./fixtures/tiny-lm-policy', '--lm', 'ref=onnx:./fixtures/tiny-lm-ref', '--limit', '5']).code, 0)
  const cases: [string, string[], RegExp][] = [
    ['different suites', [a, other], /E_COMPARE: .*ran suite 'quickstart'.*'ranking-accuracy-mini'/],
    ['missing folder', [a, join(d, 'nope')], /E_RESULTS: .*nope not found. Name a run folder/],
  ]
  const edited = tmp()
  writeFileSync(join(edited, 'results.json'), readFileSync(join(a, 'results.json'), 'utf8').replace('"complete": true', '"complete": "yes"'))
  writeFileSync(join(edited, 'scores.jsonl'), readFileSync(join(a, 'scores.jsonl')))
  cases.push(['hand-edited results', [a, edited], /E_RESULTS: .*does not match schemas\/results\.schema\.json.*\/complete/])
  const newer = tmp({ 'results.json': readFileSync(join(a, 'results.json'), 'utf8').replace('"schemaVersion": 1', '"schemaVersion": 2') })
  cases.push(['newer schema', [a, newer], /E_RESULTS: .*schemaVersion 2 is not one this rmbench reads/])
  const disjoint = tmp({ 'results.json': readFileSync(join(a, 'results.json')), 'scores.jsonl': readFileSync(join(a, 'scores.jsonl'), 'utf8').replace(/"id":"/g, '"id":"x-') })
  cases.push(['no shared examples', [a, disjoint], /E_COMPARE: .*share no scored example ids/])
  for (const [name, args, msg] of cases) {
    const r = cli(['compare', ...args])
    t.equal(r.code, 2, name)
    t.match(r.stderr, msg, name)
    t.notMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`)
  }
})

t.test('self-preference runs compare in their own units: κ as in the report, lengths recomputed exactly', async (t) => {
  const d = tmp()
  const judge = ['--model', 'verdicts:./suites/self-preference-mini/judge-lm-verdicts.jsonl', '-q']
  for (const x of ['a', 'b']) t.equal(cli(['run', 'suites/self-preference-mini', ...judge, '--out', join(d, x)]).code, 0)
  const r = cli(['compare', join(d, 'a'), join(d, 'b'), '--json'])
  t.equal(r.code, 0, r.stderr)
  const c = JSON.parse(r.stdout)
  const res = JSON.parse(readFileSync(join(d, 'a', 'results.json'), 'utf8'))
  for (const k of ['kappa', 'dbg', 'length/judge-prefers-longer', 'agreement']) t.equal(c.metrics.find((m: { metric: string }) => m.metric === k)?.a, res.metrics[k].value, `${k}: recomputed from scores.jsonl equals the run's own`)
  const table = cli(['compare', join(d, 'a'), join(d, 'b')]).stdout
  t.match(table, new RegExp(`\\nkappa\\s+${res.metrics.kappa.value.toFixed(3)}\\s+${res.metrics.kappa.value.toFixed(3)}\\s+\\+0\\.000`), 'κ printed as the report prints it (0.421), not as points')
})
