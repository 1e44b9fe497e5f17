import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { runCli } from '../../src/cli/main.ts'
import { ROOT, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
const suite = (extra = '', source = 'd.jsonl') => `name: bad\ntask: pairwise\ndata:\n  source: ${source}\n${extra}`
const row = (o: object = {}) => ({ id: '1', prompt: 'p', chosen: 'a', rejected: 'b', ...o })
const QS = join(ROOT, 'fixtures/quickstart-rm')

/** A copy of the quickstart model folder with files replaced or removed. */
function model(change: Record<string, string | Uint8Array | null> = {}): string {
  const d = tmp()
  for (const f of ['model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'config.json']) if (!(f in change)) copyFileSync(join(QS, f), join(d, f))
  for (const [f, v] of Object.entries(change)) if (v !== null) writeFileSync(join(d, f), v)
  return d
}

/** A suite folder holding the given files; `run` arguments for it with a cheap model. */
const dataCase = (files: Record<string, string | Uint8Array>, yaml = suite()) => {
  const d = tmp({ 'suite.yaml': yaml, ...files })
  return (o: string) => ['run', d, '--out', o, '--model', 'baseline:length', '-q']
}

/** One bad input: the CLI arguments, the error code, and what the message must name (file, row or field). */
interface Case { name: string; args: (out: string) => string[]; code: string; names: RegExp }

const invalidUtf8 = Buffer.concat([Buffer.from('{"id":"1","prompt":"p","chosen":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('","rejected":"b"}\n')])
const cases: Case[] = [
  // Suites
  { name: 'suite: YAML syntax', args: (o) => ['run', tmp({ 'suite.yaml': 'name: x\ntask: [pairwise\n' }), '--out', o], code: 'E_SUITE_YAML', names: /suite\.yaml:\d+/ },
  { name: 'suite: missing task', args: (o) => ['run', tmp({ 'suite.yaml': 'name: x\ndata: { source: d.jsonl }\n' }), '--out', o], code: 'E_SUITE_SCHEMA', names: /suite\.yaml.*task/ },
  { name: 'suite: unknown task', args: (o) => ['run', tmp({ 'suite.yaml': 'name: x\ntask: pairwiss\ndata: { source: d.jsonl }\n' }), '--out', o], code: 'E_SUITE_SCHEMA', names: /\/task/ },
  { name: 'suite: wrong type', args: (o) => ['run', tmp({ 'suite.yaml': suite('limit: ten\n') }), '--out', o], code: 'E_SUITE_SCHEMA', names: /\/limit/ },
  { name: 'suite: unknown field', args: (o) => ['run', tmp({ 'suite.yaml': suite('sectoins: {}\n') }), '--out', o], code: 'E_SUITE_SCHEMA', names: /sectoins/ },
  { name: 'suite: include cycle', args: (o) => ['run', join(tmp({ 'a.yaml': 'include: b.yaml\nname: a\n', 'b.yaml': 'include: a.yaml\n' }), 'a.yaml'), '--out', o], code: 'E_SUITE_INCLUDE', names: /a\.yaml/ },
  { name: 'suite: include missing', args: (o) => ['run', join(tmp({ 'a.yaml': 'include: gone.yaml\nname: a\n' }), 'a.yaml'), '--out', o], code: 'E_SUITE_INCLUDE', names: /gone\.yaml/ },
  { name: 'suite: not found', args: (o) => ['run', 'suites/does-not-exist', '--out', o], code: 'E_SUITE_NOT_FOUND', names: /does-not-exist/ },
  { name: 'suite: empty file', args: (o) => ['run', tmp({ 'suite.yaml': '' }), '--out', o], code: 'E_SUITE_YAML', names: /suite\.yaml/ },
  { name: 'suite: unknown analysis', args: (o) => ['run', tmp({ 'suite.yaml': suite('analyses: [lenght-bias]\n') }), '--out', o], code: 'E_SUITE_SCHEMA', names: /lenght-bias/ },
  { name: 'suite: negative section weight', args: (o) => ['run', tmp({ 'suite.yaml': suite('sections: { s: { subsets: [a], weight: -1 } }\n') }), '--out', o], code: 'E_SUITE_SCHEMA', names: /weight/ },
  // Datasets
  { name: 'data: file missing', args: dataCase({}), code: 'E_DATA_NOT_FOUND', names: /d\.jsonl/ },
  { name: 'data: missing column', args: dataCase({ 'd.jsonl': jsonl([{ id: '1', prompt: 'p', chosen: 'a' }]) }), code: 'E_DATA_FIELD', names: /d\.jsonl:1.*rejected/ },
  { name: 'data: wrong type', args: dataCase({ 'd.jsonl': jsonl([row({ chosen: 3 })]) }), code: 'E_DATA_FIELD', names: /d\.jsonl:1.*chosen/ },
  { name: 'data: empty file', args: dataCase({ 'd.jsonl': '' }), code: 'E_DATA_EMPTY', names: /d\.jsonl/ },
  { name: 'data: only blank lines', args: dataCase({ 'd.jsonl': '\n\n  \n' }), code: 'E_DATA_EMPTY', names: /d\.jsonl/ },
  { name: 'data: invalid JSON line', args: dataCase({ 'd.jsonl': jsonl([row()]) + '{"id": "2", "prompt": \n' }), code: 'E_DATA_ROW', names: /d\.jsonl:2/ },
  { name: 'data: truncated JSONL line (no closing brace)', args: dataCase({ 'd.jsonl': jsonl([row()]) + '{"id":"2","prompt":"p","chosen":"a","rejected":"b"' }), code: 'E_DATA_ROW', names: /d\.jsonl:2/ },
  { name: 'data: invalid UTF-8', args: dataCase({ 'd.jsonl': invalidUtf8 }), code: 'E_DATA_ROW', names: /d\.jsonl:1.*UTF-8/ },
  { name: 'data: truncated parquet', args: dataCase({ 'd.parquet': readFileSync(join(ROOT, 'fixtures/parquet-codecs/snappy.parquet')).subarray(0, 300) }, suite('', 'd.parquet')), code: 'E_DATA_FORMAT', names: /d\.parquet/ },
  { name: 'data: not parquet at all', args: dataCase({ 'd.parquet': 'PAR1garbage' }, suite('', 'd.parquet')), code: 'E_DATA_FORMAT', names: /d\.parquet/ },
  { name: 'data: JSON that is not a list', args: dataCase({ 'd.json': '{"rows": 3}' }, suite('', 'd.json')), code: 'E_DATA_FORMAT', names: /d\.json/ },
  { name: 'data: CSV with a ragged row', args: dataCase({ 'd.csv': 'id,prompt,chosen,rejected\n1,p,a,b\n2,p,a\n' }, suite('', 'd.csv')), code: 'E_DATA_ROW', names: /d\.csv/ },
  { name: 'data: unknown format', args: dataCase({ 'd.xlsx': 'x' }, suite('', 'd.xlsx')), code: 'E_DATA_FORMAT', names: /d\.xlsx/ },
  { name: 'data: duplicate ids', args: dataCase({ 'd.jsonl': jsonl([row(), row()]) }), code: 'E_DATA_ROW', names: /d\.jsonl:2.*'1'/ },
  { name: 'data: field map names a missing column', args: dataCase({ 'd.jsonl': jsonl([row()]) }, suite('  fields: { prompt: question }\n')), code: 'E_DATA_FIELD', names: /question/ },
  { name: 'data: empty response list', args: dataCase({ 'd.jsonl': jsonl([row({ chosen: [] })]) }), code: 'E_DATA_FIELD', names: /d\.jsonl:1/ },
  // Models
  { name: 'model: folder missing', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'onnx:./no/such/folder'], code: 'E_MODEL_NOT_FOUND', names: /no\/such\/folder/ },
  { name: 'model: no model.onnx', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${model({ 'model.onnx': null })}`], code: 'E_MODEL_NOT_FOUND', names: /model\.onnx/ },
  { name: 'model: no tokenizer.json', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${model({ 'tokenizer.json': null })}`], code: 'E_MODEL_NOT_FOUND', names: /tokenizer\.json/ },
  { name: 'model: corrupt ONNX', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${model({ 'model.onnx': Buffer.from('this is not a protobuf graph at all') })}`], code: 'E_MODEL_LOAD', names: /model\.onnx/ },
  { name: 'model: truncated ONNX', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${model({ 'model.onnx': readFileSync(join(QS, 'model.onnx')).subarray(0, 2000) })}`], code: 'E_MODEL_LOAD', names: /model\.onnx/ },
  { name: 'model: tokenizer.json not JSON', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${model({ 'tokenizer.json': '{"model": ' })}`], code: 'E_MODEL_LOAD', names: /tokenizer\.json/ },
  { name: 'model: config.json not JSON', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${model({ 'config.json': 'nope' })}`], code: 'E_MODEL_LOAD', names: /config\.json/ },
  { name: 'model: tokenizer/vocab mismatch', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${model({ 'config.json': '{"vocab_size": 10}' })}`], code: 'E_VOCAB_MISMATCH', names: /vocabulary has 10 entries/ },
  { name: 'model: wrong input names', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `onnx:${join(ROOT, 'test/reliability/.models/wrong-inputs')}`], code: 'E_MODEL_INPUTS', names: /input_ids/ },
  { name: 'model: unknown runner', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'onyx:./x'], code: 'E_UNKNOWN_NAME', names: /onyx/ },
  { name: 'model: unknown option', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'onnx:fixtures/quickstart-rm?max_lenght=3'], code: 'E_MODEL_SPEC', names: /max_lenght.*max_length/ },
  { name: 'model: bad option value', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'onnx:fixtures/quickstart-rm?max_length=abc'], code: 'E_MODEL_SPEC', names: /max_length=abc/ },
  { name: 'model: label not in the head', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'onnx:fixtures/quickstart-rm?label=helpfulness'], code: 'E_MODEL_SPEC', names: /label=helpfulness/ },
  { name: 'model: unknown template', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'onnx:fixtures/quickstart-rm?template=chatmll'], code: 'E_UNKNOWN_NAME', names: /chatmll/ },
  { name: 'model: precomputed file missing', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'precomputed:./nope.jsonl'], code: 'E_MODEL_NOT_FOUND', names: /nope\.jsonl/ },
  { name: 'model: precomputed bad line', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', `precomputed:${join(tmp({ 's.jsonl': '{"id": "x", "chosen": 1, "rejected": 0}\n{oops\n' }), 's.jsonl')}`], code: 'E_DATA_ROW', names: /s\.jsonl:2/ },
  { name: 'model: served URL malformed', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'vllm:gpu1:8000'], code: 'E_MODEL_SPEC', names: /gpu1:8000/ },
  { name: 'model: served credentials in the URL', args: (o) => ['run', 'suites/quickstart', '--out', o, '--model', 'vllm:http://u:p4ss@h:1'], code: 'E_MODEL_SPEC', names: /api_key_env/ },
  // Config and CLI flags
  { name: 'config: syntax error', args: (o) => ['run', 'suites/quickstart', '--out', o, '--config', join(tmp({ 'c.mjs': 'export default {\n' }), 'c.mjs')], code: 'E_CONFIG', names: /c\.mjs/ },
  { name: 'config: unknown field', args: (o) => ['run', 'suites/quickstart', '--out', o, '--config', join(tmp({ 'c.mjs': 'export default { reportDir: "r" }\n' }), 'c.mjs')], code: 'E_CONFIG', names: /reportDir/ },
  { name: 'config: unknown model entry field', args: (o) => ['run', 'suites/quickstart', '--out', o, '--config', join(tmp({ 'c.mjs': 'export default { models: { m: { spec: "baseline:length", endpoint: [] } } }\n' }), 'c.mjs')], code: 'E_CONFIG', names: /models\.m: unknown field 'endpoint'/ },
  { name: 'config: file missing', args: (o) => ['run', 'suites/quickstart', '--out', o, '--config', './no-such.config.ts'], code: 'E_CONFIG', names: /no-such\.config\.ts/ },
  { name: 'flag: --limit 0', args: (o) => ['run', 'suites/quickstart', '--out', o, '--limit', '0'], code: 'E_USAGE', names: /--limit 0/ },
  { name: 'flag: --format xml', args: (o) => ['run', 'suites/quickstart', '--out', o, '--format', 'xml'], code: 'E_USAGE', names: /--format xml/ },
  { name: 'flag: --shard 0/3', args: (o) => ['run', 'suites/quickstart', '--out', o, '--shard', '0/3'], code: 'E_USAGE', names: /--shard 0\/3/ },
  { name: 'flag: --beta x', args: (o) => ['run', 'suites/quickstart', '--out', o, '--beta', 'x'], code: 'E_USAGE', names: /--beta x/ },
  { name: 'flag: --lm without =', args: (o) => ['run', 'suites/quickstart', '--out', o, '--lm', 'ref'], code: 'E_USAGE', names: /--lm ref/ },
  { name: 'flag: --resume with nothing to resume', args: (o) => ['run', 'suites/quickstart', '--out', o, '--resume'], code: 'E_USAGE', names: /--resume/ },
  { name: 'flag: --batch-size 0', args: (o) => ['run', 'suites/quickstart', '--out', o, '--batch-size', '0'], code: 'E_MODEL_SPEC', names: /batch_size=0/ },
  { name: 'compare: results.json missing', args: () => ['compare', './nope-a', './nope-b'], code: 'E_RESULTS', names: /nope-a/ },
  { name: 'report: not a run folder', args: () => ['report', tmp()], code: 'E_RESULTS', names: /results\.json/ },
  { name: 'merge: not a shard', args: (o) => ['merge', tmp(), '--out', o], code: 'E_MERGE', names: /shard\.json/ },
  { name: 'leaderboard: nothing found', args: (o) => ['leaderboard', tmp(), '--out', o], code: 'E_RESULTS', names: /results\.json|no runs/ },
]

async function cli(args: string[]) {
  let stdout = '', stderr = ''
  const code = await runCli(args, { out: (s) => void (stdout += s), err: (s) => void (stderr += s), isTTY: false })
  return { code, stdout, stderr }
}

t.before(async () => {
  // A graph whose inputs are not ones rmbench can fill: the quickstart graph with 'input_ids' renamed.
  const { mkdirSync } = await import('node:fs')
  const dir = join(ROOT, 'test/reliability/.models/wrong-inputs')
  mkdirSync(dir, { recursive: true })
  const bytes = readFileSync(join(QS, 'model.onnx'))
  const renamed = Buffer.from(bytes.toString('latin1').replaceAll('input_ids', 'tokens_xx'), 'latin1')
  writeFileSync(join(dir, 'model.onnx'), renamed)
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'config.json']) copyFileSync(join(QS, f), join(dir, f))
})

let passed = 0
for (const c of cases) {
  t.test(`bad input → coded error: ${c.name}`, async (t) => {
    const out = join(tmp(), 'out')
    const r = await cli(c.args(out))
    t.equal(r.code, 2, `exit 2 (stderr: ${r.stderr.slice(0, 300)})`)
    t.match(r.stderr, new RegExp(`^rmbench: error ${c.code}: `, 'm'), 'a coded error')
    t.match(r.stderr, c.names, 'names the file, row or field')
    t.notMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace')
    t.notMatch(r.stderr, /internal error/)
    t.notOk(existsSync(join(out, 'results.json')), 'no results.json')
    if (t.passing()) passed++
  })
}

/** Inputs that look odd but are valid: they must load, with the right content. */
const tolerated: { name: string; files: Record<string, string | Uint8Array>; yaml?: string; check: (scores: { id: string }[]) => boolean }[] = [
  { name: 'BOM at the start of JSONL', files: { 'd.jsonl': '\uFEFF' + jsonl([row(), row({ id: '2' })]) }, check: (s) => s.length === 2 && s[0].id === '1' },
  { name: 'CRLF line ends', files: { 'd.jsonl': jsonl([row(), row({ id: '2' })]).replaceAll('\n', '\r\n') }, check: (s) => s.length === 2 },
  { name: 'CRLF + BOM CSV', files: { 'd.csv': '\uFEFFid,prompt,chosen,rejected\r\n1,p,a,b\r\n' }, yaml: suite('', 'd.csv'), check: (s) => s.length === 1 && s[0].id === '1' },
  { name: 'extra columns', files: { 'd.jsonl': jsonl([row({ extra: { deep: [1, 2] }, more: null })]) }, check: (s) => s.length === 1 },
  { name: 'a 50 MB single row', files: { 'd.jsonl': jsonl([row({ chosen: 'word '.repeat(10_000_000) })]) }, check: (s) => s.length === 1 },
]
for (const c of tolerated) {
  t.test(`odd but valid input loads: ${c.name}`, async (t) => {
    const d = tmp({ 'suite.yaml': c.yaml ?? suite(), ...c.files })
    const out = join(d, 'out')
    const r = await cli(['run', d, '--out', out, '--model', 'baseline:length', '-q'])
    t.equal(r.code, 0, r.stderr)
    const rows = readFileSync(join(out, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    t.ok(c.check(rows), JSON.stringify(rows.map((x) => x.id)))
    if (t.passing()) passed++
  })
}

t.teardown(() => recordFigures('1 bad inputs', { 'bad-input cases tried': cases.length, 'odd-but-valid inputs tried': tolerated.length, 'cases that behaved': passed }))
