import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { cli, cliAsync, jsonl, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

// Class 5 (run folders are owned), 6 (every OS error is a coded error) and 8 (a run with failed items is not a
// clean success), through the real CLI: exit codes, the coded line, and what is (not) left in the folder.
const figures = { locks: 0, owners: 0, osErrors: 0, policies: 0 }
const QS = ['run', 'suites/quickstart', '--model', 'baseline:length', '-q']

t.test('--out is locked while a run writes it; a lock whose process is gone is taken over', async (t) => {
  const d = tmp()
  const out = join(d, 'out')
  mkdirSync(out)
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
  t.teardown(() => sleeper.kill())
  writeFileSync(join(out, '.rmbench.lock'), JSON.stringify({ pid: sleeper.pid, host: hostname() }))
  const held = cli([...QS, '--out', out])
  figures.locks++
  t.equal(held.code, 2)
  t.match(held.stderr, new RegExp(`E_OUT_IN_USE: .* is being written by another rmbench \\(pid ${sleeper.pid}\\)`))
  t.notOk(existsSync(join(out, 'results.json')))
  // A dead pid: what a SIGKILLed run leaves behind.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
  writeFileSync(join(out, '.rmbench.lock'), JSON.stringify({ pid: Number(gone), host: hostname() }))
  const stale = cli([...QS, '--out', out])
  figures.locks++
  t.equal(stale.code, 0, stale.stderr)
  t.ok(existsSync(join(out, 'results.json')), 'a stale lock is taken over')
  t.notOk(existsSync(join(out, '.rmbench.lock')), 'and released when the run ends')
  // Two processes at once on one folder: the second is refused while the first writes.
  const both = join(d, 'both')
  const first = cliAsync(['run', 'suites/quickstart', '--model', 'onnx:fixtures/quickstart-rm', '-q', '--out', both])
  for (let i = 0; i < 200 && !existsSync(join(both, '.rmbench.lock')); i++) await new Promise((r) => setTimeout(r, 25))
  const second = cli([...QS.slice(0, 2), '--model', 'onnx:fixtures/quickstart-rm', '-q', '--out', both])
  figures.locks++
  t.equal(second.code, 2)
  t.match(second.stderr, /E_OUT_IN_USE: .* is being written by another rmbench/)
  t.equal((await first).code, 0, 'the first run finishes')
})

t.test('a folder holding another suite or model is refused (--force replaces it); the same run again resumes', async (t) => {
  const d = tmp()
  const out = join(d, 'out')
  t.equal(cli([...QS, '--out', out]).code, 0)
  t.same(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).suite, 'quickstart', 'run.json names the owner')
  const model = cli(['run', 'suites/quickstart', '--model', 'baseline:random', '-q', '--out', out])
  const suite = cli(['run', 'suites/ranking-accuracy-mini', '--model', 'tiny-lm-policy', '--lm', 'ref=tiny-lm-ref', '-q', '--out', out])
  figures.owners += 2
  for (const r of [model, suite]) {
    t.equal(r.code, 2)
    t.match(r.stderr, /E_OUT_IN_USE: .* holds a run of suite 'quickstart' with baseline:length, not of .*; choose another --out, or pass --force to replace it/)
  }
  const before = readFileSync(join(out, 'results.json'), 'utf8')
  t.equal(JSON.parse(before).model.spec, 'baseline:length', 'the refused runs changed nothing')
  const again = cli([...QS, '--out', out])
  t.equal(again.code, 0, 'the same suite and model again: a resume')
  const forced = cli(['run', 'suites/quickstart', '--model', 'baseline:random', '-q', '--out', out, '--force'])
  figures.owners++
  t.equal(forced.code, 0, forced.stderr)
  t.equal(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).model.spec, 'baseline:random', '--force replaced it')
  // An unfinished run (records only, from before run.json existed) is recognised by its records' fingerprints.
  const old = join(d, 'old')
  mkdirSync(old)
  writeFileSync(join(old, 'records.jsonl'), '{"fp":"00000000deadbeef","key":"k","value":1,"h":"00000000"}\n')
  const r = cli(['run', 'suites/quickstart', '--model', 'onnx:fixtures/quickstart-rm', '-q', '--out', old])
  figures.owners++
  t.equal(r.code, 2)
  t.match(r.stderr, /E_OUT_IN_USE: .* holds a run of suite '\?' with model 00000000deadbeef/)
})

t.test('OS errors are coded errors naming the path: folders, FIFOs, unwritable and blocked paths', async (t) => {
  const d = tmp({ 'd.jsonl': jsonl([{ id: 'a', prompt: 'q', chosen: 'c', rejected: 'r' }]), 'afile': 'x' })
  const fifo = join(d, 'pipe.jsonl')
  spawnSync('mkfifo', [fifo])
  mkdirSync(join(d, 'dir.jsonl'))
  const suite = (source: string, extra = '') => {
    const dir = tmp({ 'suite.yaml': `name: os\ntask: pairwise\ndata: { source: ${JSON.stringify(source)} }\n${extra}` })
    return dir
  }
  const model = tmp()
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) writeFileSync(join(model, f), readFileSync(join('fixtures/quickstart-rm', f)))
  writeFileSync(join(model, 'config.json'), 'null')
  writeFileSync(join(model, 'model.onnx'), readFileSync('fixtures/quickstart-rm/model.onnx'))
  const fifoModel = tmp()
  for (const f of ['tokenizer.json', 'config.json']) writeFileSync(join(fifoModel, f), readFileSync(join('fixtures/quickstart-rm', f)))
  spawnSync('mkfifo', [join(fifoModel, 'model.onnx')])
  const cases: [string, string[], number, RegExp][] = [
    ['a FIFO as the data file', ['run', suite(fifo), ...QS.slice(2), '--out', join(d, 'o1')], 2, /E_DATA_NOT_FOUND: data source .*pipe\.jsonl: is a FIFO/],
    ['a folder as the data file', ['run', suite(join(d, 'dir.jsonl')), ...QS.slice(2), '--out', join(d, 'o2')], 2, /E_DATA_NOT_FOUND: data source .*dir\.jsonl: is a folder, not a file/],
    ['a FIFO as the suite', ['run', fifo, ...QS.slice(2)], 2, /E_SUITE_NOT_FOUND: suite .*pipe\.jsonl: is a FIFO/],
    ['a FIFO as model.onnx', ['run', 'suites/quickstart', '--model', `onnx:${fifoModel}`, '-q', '--out', join(d, 'o3')], 2, /E_MODEL_LOAD: ONNX graph .*model\.onnx: is a FIFO/],
    ['config.json that is null', ['run', 'suites/quickstart', '--model', `onnx:${model}`, '-q', '--out', join(d, 'o4')], 2, /E_MODEL_LOAD: .*config\.json: expected a JSON object, got null/],
    ['--out under a file', [...QS, '--out', join(d, 'afile', 'out')], 2, /E_USAGE: --out .*: a file is in the way/],
    ['--out on a read-only system path', [...QS, '--out', '/sys/rmbench-test-out'], 2, /E_SCORE_STORE: cannot write the run folder \/sys\/rmbench-test-out \(permission denied\)/],
    ["--out ''", [...QS, '--out', ''], 2, /E_USAGE: --out needs a folder path/],
    ['leaderboard --out a file', ['leaderboard', join(d, 'good'), '--out', join(d, 'afile')], 2, /E_USAGE: leaderboard --out .*afile: a file is in the way/],
    ['an unknown flag', [...QS, '--bogus'], 2, /^rmbench: error E_USAGE: unknown option '--bogus'/m],
  ]
  t.equal(cli([...QS, '--out', join(d, 'good')]).code, 0)
  for (const [name, args, code, msg] of cases) {
    figures.osErrors++
    const r = cli(args)
    t.equal(r.code, code, `${name}: exit ${code}`)
    t.match(r.stderr, msg, name)
    t.notOk(r.stderr.includes('    at '), `${name}: no stack trace`)
  }
  t.notOk(readdirSync(d).some((n) => /^o\d$/.test(n) && existsSync(join(d, n, 'results.json'))), 'no results.json from any of them')
})

t.test('failed items: exit 3 unless --max-failures allows them; nothing scored is never exit 0', async (t) => {
  const d = tmp({
    'suite.yaml': 'name: fails\ntask: pairwise\ndata: { source: d.jsonl }\nstats: { bootstrap: 200 }\n',
    'd.jsonl': jsonl(Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, prompt: 'q', chosen: 'c', rejected: 'r' }))),
    'some.jsonl': jsonl(Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, chosen: 1, rejected: 0 }))),
    'none.jsonl': jsonl([{ id: 'zz', chosen: 1, rejected: 0 }]),
  })
  const run = (file: string, extra: string[], out: string) => cli(['run', d, '--model', `precomputed:${join(d, file)}`, '-q', '--out', join(d, out), ...extra])
  const expect: [string, string[], number][] = [
    ['some.jsonl', [], 3], ['some.jsonl', ['--max-failures', '2'], 0], ['some.jsonl', ['--max-failures', '1'], 3],
    ['some.jsonl', ['--max-failures', '20%'], 0], ['some.jsonl', ['--max-failures', '19.9%'], 3], ['none.jsonl', ['--max-failures', '100%'], 3],
  ]
  for (const [i, [file, extra, code]] of expect.entries()) {
    figures.policies++
    const r = run(file, extra, `o${i}`)
    t.equal(r.code, code, `${file} ${extra.join(' ')}: exit ${code}`)
    if (code === 3) t.match(r.stderr, /rmbench: completed with failures: /)
    t.ok(existsSync(join(d, `o${i}`, 'results.json')), 'results.json is written either way (complete: false)')
  }
  const bad = run('some.jsonl', ['--max-failures', 'lots'], 'ox')
  t.equal(bad.code, 2)
  t.match(bad.stderr, /E_USAGE: --max-failures "lots": expected a count of examples \(e\.g\. 3\) or a share \(e\.g\. 2%\)/)
})

t.teardown(() => recordFigures('5 run folders and failures', {
  'lock cases (held, stale, concurrent)': figures.locks,
  'ownership cases': figures.owners,
  'OS and usage error cases': figures.osErrors,
  'failure-policy cases': figures.policies,
}))

t.test('the same suite and model name over another fingerprint is refused, and the message says the model changed', async (t) => {
  const d = tmp()
  const tok = join(d, 'tok')
  mkdirSync(tok)
  const json = readFileSync('fixtures/quickstart-rm/tokenizer.json', 'utf8')
  writeFileSync(join(tok, 'tokenizer.json'), json)
  const spec = `baseline:length?unit=tokens&tokenizer=${tok}`
  const out = join(d, 'out')
  t.equal(cli(['run', 'suites/quickstart', '--model', spec, '-q', '--out', out]).code, 0)
  writeFileSync(join(tok, 'tokenizer.json'), json + '\n') // another file: another fingerprint, the same spec
  const r = cli(['run', 'suites/quickstart', '--model', spec, '-q', '--out', out])
  t.equal(r.code, 2)
  t.match(r.stderr, /E_OUT_IN_USE: .* holds a run of suite 'quickstart' with baseline:length\?unit=tokens.*, scored by another model under the same name \(fingerprint [0-9a-f]+, not [0-9a-f]+: other weights, tokenizer, template or options\); choose another --out/)
  t.notMatch(r.stderr, /not of 'quickstart' with baseline/)
})
