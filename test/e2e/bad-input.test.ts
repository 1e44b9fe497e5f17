import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cli, ROOT, tmp } from './helpers.ts'

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
const suite = (extra = '') => `name: bad\ntask: pairwise\ndata:\n  source: d.jsonl\n${extra}`
const GOOD = jsonl([{ id: '1', prompt: 'p', chosen: 'a', rejected: 'b' }])

/** A model folder with the quickstart model minus some files. */
function modelWithout(...missing: string[]): string {
  const d = tmp()
  for (const f of ['model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'config.json'])
    if (!missing.includes(f)) copyFileSync(join(ROOT, 'fixtures/quickstart-rm', f), join(d, f))
  return d
}

const cases: { name: string; args: (out: string) => string[]; code: string; msg: RegExp }[] = [
  { name: 'missing suite', args: (o) => ['run', 'suites/nope', '--out', o], code: 'E_SUITE_NOT_FOUND', msg: /suites\/nope: no such suite/ },
  { name: 'unknown task', args: (o) => ['run', tmp({ 'suite.yaml': 'name: x\ntask: best-of-m\ndata: { source: d.jsonl }\n' }), '--out', o], code: 'E_SUITE_SCHEMA', msg: /\/task: 'best-of-m' is not one of/ },
  { name: 'unknown field', args: (o) => ['run', tmp({ 'suite.yaml': suite('sectoins: {}\n') }), '--out', o], code: 'E_SUITE_SCHEMA', msg: /unknown field 'sectoins'\. Did you mean 'sections'\?/ },
  { name: 'missing column', args: (o) => ['run', tmp({ 'suite.yaml': suite(), 'd.jsonl': jsonl([{ prompt: 'p', chosen: 'a', answer: 'b' }]) }), '--out', o, '--model', 'baseline:length'], code: 'E_DATA_FIELD', msg: /d\.jsonl:1: column 'rejected'/ },
  { name: 'non-string response', args: (o) => ['run', tmp({ 'suite.yaml': suite(), 'd.jsonl': jsonl([{ prompt: 'p', chosen: [3], rejected: 'b' }]) }), '--out', o, '--model', 'baseline:length'], code: 'E_DATA_FIELD', msg: /chosen \('chosen'\)\[0\] must be a string, got number/ },
  { name: 'list where a pair needs one text', args: (o) => ['run', tmp({ 'suite.yaml': suite(), 'd.jsonl': jsonl([{ prompt: 'p', chosen: ['a', 'b'], rejected: 'c' }]) }), '--out', o, '--model', 'baseline:length'], code: 'E_DATA_FIELD', msg: /d\.jsonl:1: a pairwise example needs one chosen and one rejected text, got 2 and 1/ },
  { name: 'empty dataset', args: (o) => ['run', tmp({ 'suite.yaml': suite(), 'd.jsonl': '' }), '--out', o, '--model', 'baseline:length'], code: 'E_DATA_EMPTY', msg: /has no rows/ },
  { name: 'unreadable parquet', args: (o) => ['run', tmp({ 'suite.yaml': 'name: x\ntask: pairwise\ndata: { source: d.parquet }\n', 'd.parquet': 'PAR1garbage' }), '--out', o, '--model', 'baseline:length'], code: 'E_DATA_FORMAT', msg: /d\.parquet: unreadable parquet/ },
  { name: 'unknown runner', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'vlm:http://x'], code: 'E_UNKNOWN_NAME', msg: /--model 'vlm:http:\/\/x' is not a model spec.*Did you mean 'vllm'\?/ },
  { name: 'missing model.onnx', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${modelWithout('model.onnx')}`], code: 'E_MODEL_NOT_FOUND', msg: /no model\.onnx/ },
  { name: 'missing tokenizer.json', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${modelWithout('tokenizer.json')}`], code: 'E_MODEL_NOT_FOUND', msg: /tokenizer\.json not found/ },
  { name: 'bad --limit', args: (o) => ['run', 'suites/quickstart', '--out', o, '--limit', 'ten'], code: 'E_USAGE', msg: /--limit ten: expected a positive integer/ },
  { name: 'bad model option value', args: (o) => ['run', 'suites/quickstart', '--out', o, '--batch-size', '0'], code: 'E_MODEL_SPEC', msg: /batch_size=0: expected an integer ≥ 1/ },
  { name: 'unknown config field', args: (o) => ['run', 'suites/quickstart', '--out', o, '--config', join(tmp({ 'c.mjs': 'export default { defaultModle: "x" }\n' }), 'c.mjs')], code: 'E_CONFIG', msg: /unknown config field 'defaultModle'/ },
]
if (existsSync(join(ROOT, '../shared/data/models'))) {
  cases.push({ name: 'a causal LM where a reward model is needed', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${join(ROOT, '../shared/data/reference-models/llama-lm')}`], code: 'E_MODEL_SPEC', msg: /gives log-probabilities \(a causal language model\), but this suite needs a reward model/ })
  cases.push({ name: 'model/tokenizer vocabulary mismatch', args: (o) => {
    // The quickstart reward model (429 words) with BERT's tokenizer (30522 ids).
    const d = modelWithout('tokenizer.json', 'tokenizer_config.json')
    copyFileSync(join(ROOT, '../shared/data/tokenizers/bert-base-uncased/tokenizer.json'), join(d, 'tokenizer.json'))
    return ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${d}`]
  }, code: 'E_VOCAB_MISMATCH', msg: /vocabulary has 429 entries/ })
}

for (const c of cases) {
  t.test(`bad input: ${c.name}`, async (t) => {
    const out = join(tmp(), 'out')
    const r = cli(c.args(out))
    t.equal(r.code, 2, `exit 2 (stderr: ${r.stderr})`)
    t.match(r.stderr, new RegExp(`rmbench: error ${c.code}: `))
    t.match(r.stderr, c.msg)
    t.notMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace')
    t.notOk(existsSync(join(out, 'results.json')), 'no results.json')
  })
}

t.test('an unknown command or flag is a usage error with a suggestion', async (t) => {
  const r = cli(['rnu'])
  t.equal(r.code, 2)
  t.match(r.stderr, /Did you mean run\?/)
  const f = cli(['run', 'suites/quickstart', '--modle', 'x'])
  t.equal(f.code, 2)
  t.match(f.stderr, /unknown option '--modle'[\s\S]*Did you mean --model\?/)
})

t.test('an out folder holding another finished run is refused', async (t) => {
  const out = tmp({ 'results.json': '{}' })
  const r = cli(['run', 'suites/quickstart', '--out', out, '--model', 'baseline:length'])
  t.equal(r.code, 2)
  t.match(r.stderr, /E_OUT_IN_USE: .* holds a run of suite '\?'.*--force to replace it/)
  mkdirSync(join(out, 'x'))
  t.same(readdirSync(out).sort(), ['results.json', 'x'], 'nothing written there (the lock is gone again)')
})
