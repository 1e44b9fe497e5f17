import { spawn } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ModelServer } from '../fake-servers/model-server.ts'
import { cliAsync, ROOT, testEnv, tmp } from './helpers.ts'

const RM = join(ROOT, 'fixtures/quickstart-rm')
const LM = join(ROOT, 'fixtures/tiny-lm-policy')
const rows = (dir: string) => readFileSync(join(dir, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))
const scores = (dir: string) => rows(dir).map((r) => [r.id, r.raw?.scores ?? r.error])

/** Largest |a − b| over every per-response score of two runs of one suite. */
function maxDiff(a: string, b: string): number {
  const ra = rows(a), rb = rows(b)
  let m = 0
  ra.forEach((r, i) => {
    for (const [k, v] of Object.entries(r.raw.scores as Record<string, number | number[]>)) {
      const w = rb[i].raw.scores[k]
      ;[v].flat().forEach((x, j) => (m = Math.max(m, Math.abs(x - [w].flat()[j]))))
    }
  })
  return m
}

async function run(args: string[], env: Record<string, string> = {}) {
  const r = await cliAsync(['run', ...args, '-q'], { env })
  return r
}

t.test('served reward models give the local onnx: scores (vLLM pooling, classify, text inputs, TEI)', async (t) => {
  const vllm = await new ModelServer({ rm: RM, name: 'org/quickstart-rm' }).start()
  const tei = await new ModelServer({ rm: RM, name: 'org/quickstart-rm', flavor: 'tei' }).start()
  t.teardown(async () => { await vllm.stop(); await tei.stop() })
  const d = tmp()
  const local = join(d, 'onnx')
  t.equal((await run(['suites/quickstart', '--model', 'onnx:fixtures/quickstart-rm', '--out', local])).code, 0)
  for (const [name, spec] of [
    ['pooling', `vllm:${vllm.url}?tokenizer=fixtures/quickstart-rm`],
    ['classify', `vllm:${vllm.url}?tokenizer=fixtures/quickstart-rm&api=classify`],
    ['text', `vllm:${vllm.url}?tokenizer=fixtures/quickstart-rm&inputs=text`],
    ['tei', `tei:${tei.url}?tokenizer=fixtures/quickstart-rm`],
  ]) {
    const out = join(d, name)
    const r = await run(['suites/quickstart', '--model', spec, '--out', out])
    t.equal(r.code, 0, `${name}: ${r.stderr}`)
    t.ok(maxDiff(out, local) <= 1e-5, `${name}: per-response scores equal the local runner's (max |Δ| ${maxDiff(out, local)})`)
    t.same(results(out).metrics.score.value, results(local).metrics.score.value)
    t.equal(results(out).counts.failed, 0)
  }
  const info = results(join(d, 'pooling')).model.info
  t.match(info, { runner: 'vllm', api: 'pooling', servedModel: 'org/quickstart-rm', servedModelRoot: 'org/org/quickstart-rm', serverVersion: '0.11.2', template: 'chat', inputs: 'tokens', pooling: 'POST /pooling, task=classify, use_activation=false' })
  t.match(info.templateHash, /^[0-9a-f]{16}$/)
  t.equal(results(join(d, 'tei')).model.info.serverVersion, '1.9.3')
  t.equal(results(join(d, 'classify')).model.info.pooling, 'POST /classify, use_activation=false')
  t.ok(vllm.stats.byPath['/pooling'] > 0 && vllm.stats.byPath['/classify'] > 0 && vllm.stats.byPath['/version'] > 0 && vllm.stats.byPath['/v1/models'] > 0)
  t.notOk(vllm.stats.byPath['/score'], 'never /score (it skips chat templates)')
  // A text pair cannot travel as text to vLLM: refused, never scored as one joined text.
  const pairText = await run(['suites/quickstart', '--model', `vllm:${vllm.url}?tokenizer=fixtures/quickstart-rm&inputs=text&template=pair`, '--out', join(d, 'pair-text')])
  t.equal(pairText.code, 2)
  t.match(pairText.stderr, /E_MODEL_SPEC.*inputs=text cannot send a text pair \(template=pair\)/)
})

t.test('served log-probs drive ranking accuracy like local LMs (echo, prompt_logprobs, text offsets)', async (t) => {
  const s = await new ModelServer({ lm: LM, name: 'tiny-lm-policy' }).start()
  t.teardown(() => s.stop())
  const d = tmp()
  const ref = ['--lm', 'ref=onnx:fixtures/tiny-lm-ref']
  t.equal((await run(['suites/ranking-accuracy-mini', '--model', 'onnx:fixtures/tiny-lm-policy', ...ref, '--out', join(d, 'local')])).code, 0)
  for (const [name, spec] of [
    ['echo', `vllm:${s.url}?tokenizer=fixtures/tiny-lm-policy&api=completions`],
    ['prompt', `vllm:${s.url}?tokenizer=fixtures/tiny-lm-policy&api=prompt_logprobs`],
    ['text', `openai:${s.url}/v1?tokenizer=fixtures/tiny-lm-policy&inputs=text`],
  ]) {
    const r = await run(['suites/ranking-accuracy-mini', '--model', spec, ...ref, '--out', join(d, name)])
    t.equal(r.code, 0, `${name}: ${r.stderr}`)
    t.ok(maxDiff(join(d, name), join(d, 'local')) < 1e-6, `${name}: Σ log p equal to the local LM's (max |Δ| ${maxDiff(join(d, name), join(d, 'local'))})`)
    t.same(results(join(d, name)).metrics, results(join(d, 'local')).metrics)
  }
})

t.test('a served chat judge answers the self-preference task like the same LM run locally', async (t) => {
  const s = await new ModelServer({ lm: LM, name: 'judge-lm' }).start()
  t.teardown(() => s.stop())
  // The fixture LM's vocabulary has no 'b': labels it can spell make the two paths comparable token for token.
  const d = tmp()
  cpSync(join(ROOT, 'suites/self-preference-mini/data.jsonl'), join(d, 'data.jsonl'))
  writeFileSync(join(d, 'suite.yaml'), readFileSync(join(ROOT, 'suites/self-preference-mini/suite.yaml'), 'utf8').replace('  name: judge-lm', '  name: judge-lm\n  labels: ["2", "3"]'))
  t.equal((await run([d, '--model', 'onnx:fixtures/tiny-lm-policy', '--out', join(d, 'local')])).code, 0)
  const r = await run([d, '--model', `vllm:${s.url}?api=chat&top_logprobs=500`, '--out', join(d, 'chat')])
  t.equal(r.code, 0, r.stderr)
  t.ok(maxDiff(join(d, 'chat'), join(d, 'local')) < 1e-9)
  t.same(results(join(d, 'chat')).metrics.dbg, results(join(d, 'local')).metrics.dbg)
  t.equal(s.stats.byPath['/v1/chat/completions'], 24, 'one chat call per (item, order): both labels share it')
  // With the 20 alternatives OpenAI allows, 'b' is never among them for this LM: unparseable items fail, never tie.
  const few = await run([d, '--model', `vllm:${s.url}?api=chat`, '--out', join(d, 'few')])
  t.equal(few.code, 3, 'unparseable items are failures: exit 3 (completed with failures)')
  const res = results(join(d, 'few'))
  t.equal(res.complete, false)
  t.ok(res.errors.every((e: { code: string }) => e.code === 'E_VERDICT'))
})

t.test('3 replicas with 20% injected faults: identical scores to a clean run; retries counted', async (t) => {
  const clean = await new ModelServer({ rm: RM, name: 'rm' }).start()
  const faults = { rate: 0.2, kinds: ['500', '429', 'slow', 'malformed', 'drop'] as const, slowMs: 1500, retryAfterS: 1 }
  const replicas = await Promise.all([1, 2, 3].map((seed) => new ModelServer({ rm: RM, name: 'rm', faults: { ...faults, kinds: [...faults.kinds], seed } }).start()))
  t.teardown(async () => { await clean.stop(); for (const r of replicas) await r.stop() })
  const d = tmp()
  const spec = (url: string) => `vllm:${url}?tokenizer=fixtures/quickstart-rm&batch_size=4`
  t.equal((await run(['suites/quickstart', '--model', spec(clean.url), '--out', join(d, 'clean')])).code, 0)
  const r = await run(['suites/quickstart', '--model', spec(replicas[0].url), '--endpoint', replicas[1].url, '--endpoint', replicas[2].url, '--timeout-ms', '700', '--retries', '8', '--concurrency', '3', '--out', join(d, 'faulty')])
  t.equal(r.code, 0, r.stderr)
  const injected = replicas.reduce((n, s) => n + Object.values(s.stats.faults).reduce((a, b) => a + b, 0), 0)
  const requests = replicas.reduce((n, s) => n + s.stats.requests, 0)
  t.ok(injected >= 0.1 * requests, `faults injected: ${injected} of ${requests} requests`)
  for (const k of ['500', '429', 'slow', 'malformed', 'drop']) t.ok(replicas.some((s) => s.stats.faults[k]), `some ${k} fault was injected`)
  t.ok(replicas.every((s) => (s.stats.byPath['/pooling'] ?? 0) > 5), 'every replica did work')
  t.same(scores(join(d, 'faulty')), scores(join(d, 'clean')), 'per-example scores identical')
  t.same(results(join(d, 'faulty')).metrics, results(join(d, 'clean')).metrics)
  t.equal(results(join(d, 'faulty')).model.fingerprint, results(join(d, 'clean')).model.fingerprint, 'replicas do not change the fingerprint')
  t.match(r.stderr, /served model: \d+ requests, \d+ retried \(/)
  t.equal(results(join(d, 'faulty')).complete, true)
})

t.test('a replica down from the start: the run completes on the others', async (t) => {
  const live = await new ModelServer({ rm: RM, name: 'rm' }).start()
  const dead = await new ModelServer({ rm: RM, name: 'rm' }).start()
  await dead.stop()
  t.teardown(() => live.stop())
  const d = tmp()
  const r = await run(['suites/quickstart', '--limit', '40', '--model', `vllm:${dead.url}?tokenizer=fixtures/quickstart-rm`, '--endpoint', live.url, '--out', d])
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /taken out of rotation/)
  t.equal(results(d).counts.failed, 0)
})

t.test('failures are counted, never scored; --retry-errors asks again for exactly those', async (t) => {
  const s = await new ModelServer({ rm: RM, name: 'rm' }).start()
  t.teardown(() => s.stop())
  const d = tmp()
  const spec = `vllm:${s.url}?tokenizer=fixtures/quickstart-rm&batch_size=1`
  s.setFaults({ rate: 0.3, kinds: ['500'], seed: 7, paths: ['/pooling'] })
  const r1 = await run(['suites/quickstart', '--limit', '30', '--model', spec, '--retries', '0', '--out', d])
  t.equal(r1.code, 3, 'failed items: exit 3 (completed with failures)')
  const first = results(d)
  t.equal(first.complete, false)
  t.ok(first.counts.failed > 0, `${first.counts.failed} examples failed`)
  t.match(r1.stdout, new RegExp(`${first.counts.failed} FAILED`))
  const failedRows = rows(d).filter((x) => x.error)
  t.equal(failedRows.length, first.counts.failed)
  t.ok(failedRows.every((x) => x.error.code === 'E_HTTP_500' && x.raw === undefined), 'a failed example has an error, no scores')
  const failedRequests = readFileSync(join(d, 'records.jsonl'), 'utf8').trim().split('\n').filter((l) => l.includes('"error"')).length
  // A plain re-run keeps the recorded failures and asks nothing.
  s.setFaults(undefined)
  const before = s.stats.byPath['/pooling']
  const r2 = await run(['suites/quickstart', '--limit', '30', '--model', spec, '--out', d])
  t.equal(s.stats.byPath['/pooling'], before, 'nothing asked again without --retry-errors')
  t.match(r2.stderr, /failed in an earlier attempt.*--retry-errors/)
  const r3 = await run(['suites/quickstart', '--limit', '30', '--model', spec, '--out', d, '--retry-errors'])
  t.equal(r3.code, 0)
  t.equal(s.stats.byPath['/pooling'] - before, failedRequests, 'only the failed requests were asked again')
  t.equal(results(d).complete, true)
  const fresh = tmp()
  await run(['suites/quickstart', '--limit', '30', '--model', spec, '--out', fresh])
  t.same(scores(d), scores(fresh))
})

t.test('kill -9 mid-run, then --resume: identical results, no record lost or duplicated', async (t) => {
  const s = await new ModelServer({ rm: RM, name: 'rm', delayMs: 40 }).start()
  t.teardown(() => s.stop())
  const d = tmp()
  const spec = `vllm:${s.url}?tokenizer=fixtures/quickstart-rm&batch_size=2&concurrency=2`
  const clean = join(d, 'clean')
  t.equal((await run(['suites/quickstart', '--model', spec, '--out', clean])).code, 0)
  const unique = results(clean).counts.unique
  const out = join(d, 'killed')
  const child = spawn(process.execPath, [join(ROOT, 'bin/rmbench.js'), 'run', 'suites/quickstart', '-q', '--model', spec, '--out', out], { cwd: ROOT, stdio: 'ignore', env: testEnv() })
  const records = () => (existsSync(join(out, 'records.jsonl')) ? readFileSync(join(out, 'records.jsonl'), 'utf8').split('\n').filter(Boolean).length : 0)
  for (let i = 0; i < 400 && records() < 100; i++) await new Promise((r) => setTimeout(r, 25))
  child.kill('SIGKILL')
  await new Promise((r) => child.on('exit', r))
  const kept = records()
  t.ok(kept >= 100 && kept < unique, `killed with ${kept} of ${unique} scores recorded`)
  t.notOk(existsSync(join(out, 'results.json')), 'no results.json from the killed run')
  s.o.delayMs = 0
  const askedBefore = s.stats.byPath['/pooling']
  const r = await run(['suites/quickstart', '--model', spec, '--out', out, '--resume'])
  t.equal(r.code, 0, r.stderr)
  const lines = readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.equal(lines.length, unique, 'every unique request recorded once')
  t.equal(new Set(lines.map((l) => l.key)).size, unique, 'no duplicates')
  t.ok((s.stats.byPath['/pooling'] - askedBefore) * 2 <= unique - kept + 2, 'the resumed run asked only for what was missing')
  t.same(scores(out), scores(clean))
  t.same(results(out).metrics, results(clean).metrics)
})

t.test('shards 1/3 + 2/3 + 3/3 merged equal the unsharded run; merge checks its inputs', async (t) => {
  const s = await new ModelServer({ rm: RM, name: 'rm' }).start()
  t.teardown(() => s.stop())
  const d = tmp()
  const spec = `vllm:${s.url}?tokenizer=fixtures/quickstart-rm`
  t.equal((await run(['suites/quickstart', '--model', spec, '--out', join(d, 'whole')])).code, 0)
  const sizes: number[] = []
  for (const i of [1, 2, 3]) {
    const r = await run(['suites/quickstart', '--model', spec, '--shard', `${i}/3`, '--out', join(d, `shard-${i}`)])
    t.equal(r.code, 0, r.stderr)
    t.match(r.stdout, new RegExp(`shard ${i}/3: \\d+ of \\d+ requests scored`))
    t.notOk(existsSync(join(d, `shard-${i}`, 'results.json')), 'a shard writes no results of its own')
    sizes.push(readFileSync(join(d, `shard-${i}`, 'records.jsonl'), 'utf8').trim().split('\n').length)
  }
  const unique = results(join(d, 'whole')).counts.unique
  t.equal(sizes.reduce((a, b) => a + b), unique, `shards split ${unique} requests: ${sizes}`)
  t.ok(sizes.every((n) => n > unique / 5), 'roughly evenly')
  const missing = await cliAsync(['merge', join(d, 'shard-1'), join(d, 'shard-3'), '--out', join(d, 'bad')])
  t.equal(missing.code, 2)
  t.match(missing.stderr, /E_MERGE: shard\(s\) 2\/3 missing/)
  const m = await cliAsync(['merge', ...[1, 2, 3].map((i) => join(d, `shard-${i}`)), '--out', join(d, 'merged')])
  t.equal(m.code, 0, m.stderr)
  t.same(scores(join(d, 'merged')), scores(join(d, 'whole')))
  const [a, b] = [results(join(d, 'merged')), results(join(d, 'whole'))]
  t.same(a.metrics, b.metrics)
  t.same({ ...a.stats, ms: 0 }, { ...b.stats, ms: 0 }, 'intervals equal (ms: time spent on them)')
  t.same({ ...a.counts, cached: 0 }, { ...b.counts, cached: 0 })
  t.same(a.model, b.model, JSON.stringify([a.model, b.model]))
  t.equal(a.complete, true)
  const unfinished = tmp({ 'records.jsonl': '' })
  const u = await cliAsync(['merge', unfinished, '--out', join(d, 'x')])
  t.match(u.stderr, /E_MERGE: .*no shard.json.*did not finish/)
  t.equal(readdirSync(d).includes('x'), false)
})

t.test('bad served-model input: coded errors, exit 2', async (t) => {
  const r1 = await cliAsync(['run', 'suites/quickstart', '--model', 'vllm:localhost:8000'])
  t.equal(r1.code, 2)
  t.match(r1.stderr, /E_MODEL_SPEC: vllm: 'localhost:8000' must be an http:\/\/ or https:\/\/ URL/)
  const r2 = await cliAsync(['run', 'suites/quickstart', '--model', 'vllm:http://127.0.0.1:9?tokenizer=fixtures/quickstart-rm', '--retries', '0'])
  t.equal(r2.code, 2)
  t.match(r2.stderr, /E_HTTP_UNREACHABLE: cannot get an answer from http:\/\/127.0.0.1:9/)
  t.notMatch(r2.stderr, /\n\s+at /, 'no stack trace')
  const s = await new ModelServer({ rm: RM, name: 'rm' }).start()
  t.teardown(() => s.stop())
  const r3 = await cliAsync(['run', 'suites/quickstart', '--model', `vllm:${s.url}`])
  t.match(r3.stderr, /E_MODEL_SPEC: .*needs \?tokenizer=/)
  const r4 = await cliAsync(['run', 'suites/quickstart', '--model', `vllm:${s.url}?tokenizer=fixtures/quickstart-rm&model=rn`])
  t.match(r4.stderr, /model=rn: .* serves rm\. Did you mean 'rm'\?/)
  const r5 = await cliAsync(['run', 'suites/quickstart', '--model', `vllm:${s.url}?tokenizer=fixtures/quickstart-rm&api_key_env=NOPE_NOT_SET`])
  t.match(r5.stderr, /E_MODEL_SPEC: api_key_env=NOPE_NOT_SET: that environment variable is not set/)
  const r6 = await cliAsync(['run', 'suites/quickstart', '--shard', '4/3', '--model', 'baseline:length'])
  t.match(r6.stderr, /E_USAGE: --shard 4\/3/)
})

t.test('the API key is sent, and appears in no output, file or error', async (t) => {
  const key = 'sk-test-VERY-secret-4242'
  const s = await new ModelServer({ rm: RM, name: 'rm', apiKey: key }).start()
  t.teardown(() => s.stop())
  const d = tmp()
  const r = await run(['suites/quickstart', '--limit', '20', '--model', `vllm:${s.url}?tokenizer=fixtures/quickstart-rm`, '--out', d], { VLLM_API_KEY: key })
  t.equal(r.code, 0, r.stderr)
  t.ok(s.auth.every((a) => a === `Bearer ${key}`), 'every request carried the key')
  for (const f of readdirSync(d, { recursive: true }) as string[]) {
    const p = join(d, f)
    if (statSync(p).isFile()) t.notOk(readFileSync(p).includes(key), `${f} does not hold the key`)
  }
  t.notOk((r.stdout + r.stderr).includes(key))
  const wrong = await run(['suites/quickstart', '--limit', '5', '--model', `vllm:${s.url}?tokenizer=fixtures/quickstart-rm`, '--out', tmp()], { VLLM_API_KEY: 'sk-wrong-key-777' })
  t.equal(wrong.code, 2)
  t.match(wrong.stderr, /HTTP 401/)
  t.notOk(wrong.stderr.includes('sk-wrong-key-777'))
})
