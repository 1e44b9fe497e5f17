import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { schemaErrors } from '../../src/suite/schema.ts'
import { cli, ROOT, tmp } from './helpers.ts'

const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8'))
const readLines = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l))

t.test('rmbench run suites/quickstart: bundled model, bundled data, valid results', async (t) => {
  const out = join(tmp(), 'run')
  const r = cli(['run', 'suites/quickstart', '--out', out])
  t.equal(r.code, 0, r.stderr)
  t.match(r.stdout, /quickstart · quickstart-rm \(onnx:.\/fixtures\/quickstart-rm\)/)
  t.match(r.stdout, /helpful-vs-evasive\s+100\.00\s+\[100\.00, 100\.00\]\s+80/)
  t.match(r.stderr, /scoring \[[#.]+\] \d+\/\d+/, 'progress goes to stderr')
  const res = readJson(join(out, 'results.json'))
  t.same(schemaErrors('results', res), [], 'results.json matches its schema')
  t.equal(res.complete, true)
  t.same(res.counts, { examples: 320, scored: 320, failed: 0, requests: 640, unique: res.counts.unique, cached: 0 })
  t.ok(res.counts.unique <= 640 && res.counts.unique > 300, 'identical requests are scored once')
  for (const k of ['accuracy', 'accuracy/arithmetic', 'section/Helpfulness', 'score']) t.ok(res.metrics[k], k)
  // The bag-of-words model is right where words tell, ties on arithmetic (ties count wrong), and falls for padding.
  t.equal(res.metrics['accuracy/helpful-vs-evasive'].value, 1)
  t.equal(res.metrics['accuracy/arithmetic'].value, 0)
  t.equal(res.metrics['accuracy/concise-vs-padded'].value, 0)
  const p = res.provenance
  for (const k of ['suiteHash', 'datasetHash', 'modelFingerprint', 'templateHash', 'tokenizerHash']) t.match(p[k], /^[0-9a-f]{16}$/, k)
  t.same([p.executionProvider, p.maxLength, p.seed], ['cpu', 512, 0])
  const rows = readLines(join(out, 'scores.jsonl'))
  t.equal(rows.length, 320)
  t.same(Object.keys(rows[0]).sort(), ['chosen', 'credit', 'group', 'id', 'margin', 'raw', 'rejected'])
  const first = readLines(join(ROOT, 'suites/quickstart/data.jsonl'))[0]
  const chars = { chosen: [[...first.chosen].length], rejected: [[...first.rejected].length] }
  t.same(chars, { chosen: [157], rejected: [54] }, 'lengths as Python counts them (len of the str)')
  t.same(rows[0].raw, { scores: { 'chosen/0': rows[0].chosen, 'rejected/0': rows[0].rejected }, shape: [1, 1], chars, tokens: rows[0].raw.tokens }, 'raw holds the role scores compare recomputes from, and the lengths charts read')
})

t.test('the same run twice gives identical scores; batch size does not change them', async (t) => {
  const a = join(tmp(), 'a')
  const b = join(tmp(), 'b')
  const c = join(tmp(), 'c')
  t.equal(cli(['run', 'suites/quickstart', '-q', '--out', a]).code, 0)
  t.equal(cli(['run', 'suites/quickstart', '-q', '--out', b]).code, 0)
  t.equal(cli(['run', 'suites/quickstart', '-q', '--out', c, '--batch-size', '1', '--padding-side', 'left']).code, 0)
  t.equal(readFileSync(join(a, 'scores.jsonl'), 'utf8'), readFileSync(join(b, 'scores.jsonl'), 'utf8'))
  const ra = readLines(join(a, 'scores.jsonl'))
  const rc = readLines(join(c, 'scores.jsonl'))
  t.ok(ra.every((r, i) => Math.abs(r.chosen - rc[i].chosen) <= 1e-5 && Math.abs(r.rejected - rc[i].rejected) <= 1e-5), 'batch 1 left-padded ≈ batch 16 right-padded')
})

t.test('baseline:length into --out, and the default reports/ folder', async (t) => {
  const out = join(tmp(), 'len')
  const r = cli(['run', 'suites/quickstart', '--model', 'baseline:length', '--out', out, '--json'])
  t.equal(r.code, 0, r.stderr)
  const printed = JSON.parse(r.stdout)
  t.equal(printed.model.id, 'baseline-length-chars')
  t.same(printed, readJson(join(out, 'results.json')), '--json prints results.json')
  const cwd = tmp()
  const d = cli(['run', join(ROOT, 'suites/quickstart'), '--model', 'baseline:random', '-q'], { cwd })
  t.equal(d.code, 0, d.stderr)
  const made = readdirSync(join(cwd, 'reports'))
  t.match(made[0], /^quickstart-baseline-random-0-\d{8}T\d{6}Z$/)
})

t.test('an interrupted run resumes without rescoring, and a torn record is discarded', async (t) => {
  const full = join(tmp(), 'full')
  t.equal(cli(['run', 'suites/quickstart', '-q', '--out', full]).code, 0)
  const records = readFileSync(join(full, 'records.jsonl'), 'utf8').trim().split('\n')
  // Keep 100 finished records and half of the 101st, as a kill mid-write would leave them.
  const part = tmp()
  writeFileSync(join(part, 'records.jsonl'), records.slice(0, 100).join('\n') + '\n' + records[100].slice(0, 20))
  const r = cli(['run', 'suites/quickstart', '-q', '--out', part])
  t.equal(r.code, 0, r.stderr)
  const res = readJson(join(part, 'results.json'))
  t.equal(res.counts.cached, 100, '100 scores reused')
  t.equal(readFileSync(join(part, 'scores.jsonl'), 'utf8'), readFileSync(join(full, 'scores.jsonl'), 'utf8'), 'same per-example scores as an uninterrupted run')
  const lines = readFileSync(join(part, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.ok(lines.every((l) => l.fp && l.key), 'the torn line is gone')
  // The chunk the kill cut into is scored again whole (so batches match a fresh run); its later lines supersede.
  t.equal(new Set(lines.map((l) => l.key)).size, records.length, 'every request recorded, none lost')
})

t.test('validate: bundled suites pass; a bad one fails with exit 2', async (t) => {
  const suites = readdirSync(join(ROOT, 'suites')).map((s) => `suites/${s}/suite.yaml`)
  const ok = cli(['validate', ...suites])
  t.equal(ok.code, 0, ok.stderr)
  t.match(ok.stdout, /ok {4}suites\/quickstart\/suite\.yaml/)
  const d = tmp({ 'suite.yaml': 'name: x\ntask: pairwise\ndata: { source: d.jsonl, feilds: {} }\n' })
  const bad = cli(['validate', join(ROOT, 'suites/quickstart'), d])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /E_SUITE_SCHEMA.*\n.*suite\.yaml:3:\d+ \/data: unknown field 'feilds'\. Did you mean 'fields'\?/)
  t.notMatch(bad.stderr, /\n\s+at /, 'no stack trace')
})

t.test('package exposes the rmbench bin and ships the bundled model', async (t) => {
  t.equal(readJson(join(ROOT, 'package.json')).bin.rmbench, './bin/rmbench.js')
  t.ok(existsSync(join(ROOT, 'fixtures/quickstart-rm/model.onnx')))
})

const LLMBAR = join(ROOT, '../shared/data/preference/llmbar')
t.test('real data, real model: LLMBar through a field map, scored by the Llama RM export', { skip: !existsSync(LLMBAR) && 'needs ../shared/data (absent)' }, async (t) => {
  const d = tmp({
    'suite.yaml': [
      'name: llmbar-mini', 'task: pairwise', 'data:',
      ...['natural', 'adversarial-neighbor'].map((f) => `  - { source: ${join(LLMBAR, f + '.json')}, group: ${f}, limit: 20, fields: { prompt: input, responses: [output_1, output_2], label: label } }`),
      'sections: { Chat Hard: { natural: 100, adversarial-neighbor: 134 } }', '',
    ].join('\n'),
  })
  const out = join(tmp(), 'out')
  const r = cli(['run', d, '--model', `onnx:${join(ROOT, '../shared/data/reference-models/llama-rm')}?max_length=512`, '--out', out, '-q'])
  t.equal(r.code, 0, r.stderr)
  const res = readJson(join(out, 'results.json'))
  t.equal(res.counts.scored, 40)
  const acc = (g: string) => res.metrics[`accuracy/${g}`].value
  t.ok(Math.abs(res.metrics['section/Chat Hard'].value - (acc('natural') * 100 + acc('adversarial-neighbor') * 134) / 234) < 1e-12)
  t.equal(res.provenance.maxLength, 512)
  t.equal(res.model.info.template, 'chat')
})

t.test('DPO implicit reward from the command line and from bench.config.ts', async (t) => {
  const out = join(tmp(), 'dpo')
  const r = cli(['run', 'suites/quickstart', '-q', '--out', out, '--model', 'expr:beta * (logp(policy) - logp(ref))', '--lm', 'policy=onnx:./fixtures/tiny-lm-policy', '--lm', 'ref=onnx:./fixtures/tiny-lm-ref', '--beta', '0.1'])
  t.equal(r.code, 0, r.stderr)
  const res = readJson(join(out, 'results.json'))
  t.equal(res.complete, true)
  t.equal(res.model.info.reward, 'beta * (logp(policy) - logp(ref))')
  t.equal(res.model.info.beta, 0.1)
  const cwd = tmp({ 'bench.config.mjs': `export default { models: { dpo: { reward: 'logp(policy) - logp(ref)', lms: { policy: 'onnx:${join(ROOT, 'fixtures/tiny-lm-policy')}', ref: 'onnx:${join(ROOT, 'fixtures/tiny-lm-ref')}' } } } }\n` })
  const out2 = join(cwd, 'o')
  const c = cli(['run', join(ROOT, 'suites/quickstart'), '-q', '--out', out2, '--model', 'dpo'], { cwd })
  t.equal(c.code, 0, c.stderr)
  const a = readLines(join(out, 'scores.jsonl'))
  const b = readLines(join(out2, 'scores.jsonl'))
  t.ok(a.every((x, i) => Math.abs(x.margin - 0.1 * b[i].margin) < 1e-9), 'β scales the margin, never the ranking')
  const bad = cli(['run', 'suites/quickstart', '--out', join(tmp(), 'x'), '--model', 'expr:logp(polcy)', '--lm', 'policy=onnx:./fixtures/tiny-lm-policy'])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /unknown LM 'polcy'\. Did you mean 'policy'\?/)
})

t.test('ranking accuracy offline: policy and reference LMs, metrics recomputed from scores.jsonl', async (t) => {
  const out = join(tmp(), 'rank')
  const r = cli(['run', 'suites/ranking-accuracy-mini', '-q', '--out', out, '--model', 'onnx:./fixtures/tiny-lm-policy', '--lm', 'ref=onnx:./fixtures/tiny-lm-ref'])
  t.equal(r.code, 0, r.stderr)
  const res = readJson(join(out, 'results.json'))
  const rows = readLines(join(out, 'scores.jsonl'))
  t.equal(rows.length, 320)
  // R from the per-example log-probs the run recorded (paper rule ≥), and DPO accuracy likewise.
  t.equal(res.metrics['ranking/R'].value, rows.filter((x) => x['policy/w'] >= x['policy/l']).length / 320)
  t.equal(res.metrics['ranking/dpo-accuracy'].value, rows.filter((x) => x['policy/w'] - x['ref/w'] > x['policy/l'] - x['ref/l']).length / 320)
  const b1 = rows.filter((x) => x['ref/w'] - x['ref/l'] + Math.log(3) > 0).length / 320
  t.equal(res.metrics['ranking/R*/beta=1'].value, b1, 'R* at β = 1, α = 0.75')
  const missing = cli(['run', 'suites/ranking-accuracy-mini', '--out', join(tmp(), 'x'), '--model', 'onnx:./fixtures/tiny-lm-policy'])
  t.equal(missing.code, 2)
  t.match(missing.stderr, /needs log-probabilities from an LM named 'ref'.*--lm ref=<spec>/)
})

t.test('ranking accuracy: ranked lists of 3 give exact-match accuracy; a ranked pair counts as a pair', async (t) => {
  const d = tmp({
    'suite.yaml': 'name: ranked\ntask: ranking-accuracy\ndata: { source: r.jsonl, fields: { prompt: prompt, ranked: answers } }\nranking: { reference: false }\n',
    'r.jsonl': [
      { id: 'a', prompt: 'Why is the sky blue?', answers: ['Sunlight scatters off air molecules.', 'Nature.', "I'm sorry."] },
      { id: 'b', prompt: 'Hi', answers: ['Hello!', 'Sorry.'] },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n',
  })
  const out = join(d, 'out')
  const r = cli(['run', d, '-q', '--out', out, '--model', 'onnx:./fixtures/tiny-lm-policy'])
  t.equal(r.code, 0, r.stderr)
  const res = readJson(join(out, 'results.json'))
  const rows = readLines(join(out, 'scores.jsonl'))
  const a = rows.find((x) => x.id === 'a')
  t.equal(res.metrics['ranking/exact-match'].value, a['policy/r0'] >= a['policy/r1'] && a['policy/r1'] >= a['policy/r2'] ? 1 : 0)
  t.equal(res.metrics['ranking/exact-match'].n, 1)
  t.equal(res.metrics['ranking/R'].n, 1, 'the 2-item list is a pair')
})
