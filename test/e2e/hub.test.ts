import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { FakeHub } from '../fake-hub/fake-hub.ts'
import { cliAsync, ROOT, testEnv, tmp } from './helpers.ts'

const quickstartData = readFileSync(join(ROOT, 'suites/quickstart/data.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 80).join('\n') + '\n'
const rm = (f: string) => readFileSync(join(ROOT, 'fixtures/quickstart-rm', f))

const SUITE = (source: string) => `name: hub-e2e
task: pairwise
data:
  source: "${source}"
  split: test
  fields: { id: id, prompt: prompt, chosen: chosen, rejected: rejected, group: subset }
score: { ties: wrong }
`

/** Every file under a folder, recursively (to look for leaked secrets). */
function allText(dir: string): string {
  let out = ''
  for (const e of readdirSync(dir)) {
    const p = join(dir, e)
    const st = statSync(p)
    out += st.isDirectory() ? allText(p) : readFileSync(p, 'latin1')
  }
  return out
}

t.test('run on an hf:// suite and a private hf: model, then offline from the cache; fetch --pin; the token never leaks', async (t) => {
  const fake = new FakeHub()
  const dataSha = fake.add('dataset', 'org/prefs', { 'data/test-00000-of-00001.jsonl': quickstartData, 'README.md': '# prefs\n' })
  const modelSha = fake.add('model', 'org/quickstart-rm', {
    'config.json': rm('config.json'), 'tokenizer.json': rm('tokenizer.json'), 'tokenizer_config.json': rm('tokenizer_config.json'),
    'onnx/model.onnx': rm('model.onnx'),
    // A variant the run must not download.
    'onnx/model_quantized.onnx': Buffer.alloc(50_000, 7),
  }, { private: true })
  await fake.start()
  t.teardown(() => fake.stop())
  const work = tmp({ 'suite.yaml': SUITE('hf://datasets/org/prefs@main') })
  const cache = join(work, 'hf-cache')
  const env = { HF_ENDPOINT: fake.url, HF_HUB_CACHE: cache, HF_TOKEN: fake.token, HF_HUB_OFFLINE: undefined }

  const first = await cliAsync(['run', 'suite.yaml', '--model', 'hf:org/quickstart-rm', '--out', 'online', '--json'], { cwd: work, env })
  t.equal(first.code, 0, first.stderr)
  const r1 = JSON.parse(first.stdout) // stdout is results.json and nothing else
  t.equal(r1.provenance.dataSources[0].commit, dataSha, 'the data commit is recorded')
  t.equal(r1.provenance.dataSources[0].revision, 'main')
  t.same(r1.provenance.modelSource, { repo: 'org/quickstart-rm', revision: 'main', commit: modelSha })
  t.equal(r1.model.id, 'quickstart-rm')
  t.equal(r1.counts.scored, 80)
  t.notOk(fake.log.some((r) => r.url.includes('model_quantized')), 'only the graph the run needs is downloaded')

  // Offline, the server gone, no token: same scores from the cache.
  await fake.stop()
  const offline = await cliAsync(['run', 'suite.yaml', '--model', 'hf:org/quickstart-rm', '--out', 'offline', '--offline'], { cwd: work, env: { ...env, HF_TOKEN: undefined } })
  t.equal(offline.code, 0, offline.stderr)
  const r2 = JSON.parse(readFileSync(join(work, 'offline/results.json'), 'utf8'))
  t.same(r2.metrics, r1.metrics)
  t.equal(readFileSync(join(work, 'offline/scores.jsonl'), 'utf8'), readFileSync(join(work, 'online/scores.jsonl'), 'utf8'))
  t.equal(r2.provenance.dataSources[0].commit, dataSha)

  const missing = await cliAsync(['run', 'suite.yaml', '--model', 'hf:org/quickstart-rm@v2', '--out', 'x'], { cwd: work, env: { ...env, HF_HUB_OFFLINE: '1' } })
  t.equal(missing.code, 2)
  t.match(missing.stderr, /E_HUB_OFFLINE: revision 'v2' of hf:\/\/org\/quickstart-rm@v2 is not in the hub cache/)
  t.notMatch(missing.stderr, /\n\s+at /, 'no stack trace')

  const down = await cliAsync(['run', 'suite.yaml', '--model', 'baseline:length', '--out', 'y'], { cwd: work, env: { ...env, HF_HUB_CACHE: join(work, 'empty-cache') } })
  t.equal(down.code, 2)
  t.match(down.stderr, /E_HUB_UNREACHABLE: .*cannot reach the hub at http:\/\/127\.0\.0\.1:\d+ .*rmbench fetch/)

  for (const text of [first.stdout, first.stderr, offline.stdout, offline.stderr, allText(join(work, 'online')), allText(join(work, 'offline')), allText(cache)])
    t.notOk(text.includes(fake.token), 'the token appears in no output, result or cache file')
})

t.test('fetch pre-downloads for offline machines; --pin writes commit and sha256 into the suite; a changed pin fails with both hashes', async (t) => {
  const fake = new FakeHub()
  const dataSha = fake.add('dataset', 'org/prefs', { 'data/test-00000-of-00001.jsonl': quickstartData })
  fake.add('model', 'org/quickstart-rm', { 'config.json': rm('config.json'), 'tokenizer.json': rm('tokenizer.json'), 'tokenizer_config.json': rm('tokenizer_config.json'), 'model.onnx': rm('model.onnx') })
  await fake.start()
  t.teardown(() => fake.stop())
  const work = tmp({ 'suite.yaml': '# a comment that --pin keeps\n' + SUITE('hf://datasets/org/prefs') })
  const env = { HF_ENDPOINT: fake.url, HF_HUB_CACHE: join(work, 'cache'), HF_HUB_OFFLINE: undefined }
  const f = await cliAsync(['fetch', 'suite.yaml', '--model', 'hf:org/quickstart-rm', '--pin'], { cwd: work, env })
  t.equal(f.code, 0, f.stderr)
  t.match(f.stdout, new RegExp(`hf://datasets/org/prefs → commit ${dataSha}`))
  t.match(f.stdout, /data\/test-00000-of-00001\.jsonl {2}sha256 [0-9a-f]{64}/)
  t.match(f.stdout, /rows_sha256 [0-9a-f]{64}/)
  t.match(f.stdout, /model org\/quickstart-rm@main → [0-9a-f]{40} \(4 files\)/)
  t.match(f.stderr, /downloading hf:\/\/datasets\/org\/prefs@[0-9a-f]{40}\/data\/test-00000-of-00001\.jsonl/, "progress goes to stderr")
  const pinned = readFileSync(join(work, 'suite.yaml'), 'utf8')
  t.match(pinned, /^# a comment that --pin keeps/)
  t.match(pinned, new RegExp(`source: "?hf://datasets/org/prefs@${dataSha}"?`))
  t.match(pinned, /sha256: [0-9a-f]{64}/)

  await fake.stop()
  const off = await cliAsync(['run', 'suite.yaml', '--model', 'hf:org/quickstart-rm', '--out', 'o', '--offline', '-q'], { cwd: work, env })
  t.equal(off.code, 0, off.stderr)

  const wrong = pinned.replace(/sha256: "?([0-9a-f]{64})"?/, `sha256: "${'0'.repeat(64)}"`)
  writeFileSync(join(work, 'suite.yaml'), wrong)
  const bad = await cliAsync(['run', 'suite.yaml', '--model', 'baseline:length', '--out', 'b', '--offline'], { cwd: work, env })
  t.equal(bad.code, 2)
  t.match(bad.stderr, new RegExp(`E_DATA_HASH: .*sha256 mismatch — the suite pins ${'0'.repeat(64)}, the file has [0-9a-f]{64}`))
})

t.test('a fetch killed mid-download leaves no corrupt cache entry, and the next fetch resumes it', async (t) => {
  const fake = new FakeHub()
  const bigRows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `r${i}`, subset: 's', prompt: `question ${i}`, chosen: 'yes '.repeat(20), rejected: 'no' })).join('\n') + '\n'
  fake.add('dataset', 'org/big', { 'data/test-00000-of-00001.jsonl': bigRows })
  fake.faults.slow = { chunk: 16_384, delayMs: 40 }
  await fake.start()
  t.teardown(() => fake.stop())
  const work = tmp({ 'suite.yaml': SUITE('hf://datasets/org/big') })
  const cache = join(work, 'cache')
  const env = testEnv({ HF_ENDPOINT: fake.url, HF_HUB_CACHE: cache, HF_HUB_OFFLINE: '' })
  const { spawn } = await import('node:child_process')
  const child = spawn(process.execPath, [join(ROOT, 'bin/rmbench.js'), 'fetch', 'suite.yaml', '-q'], { cwd: work, env })
  const blobs = join(cache, 'datasets--org--big', 'blobs')
  // Kill it once part of the file has arrived.
  for (let i = 0; i < 400; i++) {
    await new Promise((r) => setTimeout(r, 25))
    const partial = (() => { try { return readdirSync(blobs).find((f) => f.endsWith('.incomplete')) } catch { return undefined } })()
    if (partial && statSync(join(blobs, partial)).size > 50_000) break
  }
  child.kill('SIGKILL')
  await new Promise((r) => child.on('close', r))
  const left = readdirSync(blobs)
  t.equal(left.length, 1, 'only the partial blob')
  t.match(left[0], /\.incomplete$/)
  const snap = join(cache, 'datasets--org--big', 'snapshots')
  t.same((() => { try { return readdirSync(snap).flatMap((s) => readdirSync(join(snap, s))) } catch { return [] } })(), [], 'no snapshot entry points at unfinished bytes')
  const offline = await cliAsync(['run', 'suite.yaml', '--model', 'baseline:length', '--out', 'o', '--offline'], { cwd: work, env: { HF_HUB_CACHE: cache } })
  t.equal(offline.code, 2, 'offline, the half-downloaded file counts as missing')
  t.match(offline.stderr, /E_HUB_OFFLINE/)

  fake.faults.slow = undefined
  const again = await cliAsync(['fetch', 'suite.yaml', '-q'], { cwd: work, env: { HF_ENDPOINT: fake.url, HF_HUB_CACHE: cache } })
  t.equal(again.code, 0, again.stderr)
  t.ok(fake.log.some((r) => /^bytes=[1-9]\d*-/.test(r.range ?? '')), 'the second fetch asked only for the missing bytes')
  const run = await cliAsync(['run', 'suite.yaml', '--model', 'baseline:length', '--out', 'p', '--offline', '--json'], { cwd: work, env: { HF_HUB_CACHE: cache } })
  t.equal(run.code, 0, run.stderr)
  t.equal(JSON.parse(run.stdout).counts.scored, 3000)
})
