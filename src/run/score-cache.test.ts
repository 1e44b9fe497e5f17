import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'
import { createRunner, parseModelSpec } from '../runners/registry.ts'
import type { Runner } from '../runners/types.ts'
import { loadSuite } from '../suite/load-suite.ts'
import { runSuite } from './run-suite.ts'
import { ScoreCache } from './score-cache.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const SPEC = 'onnx:fixtures/quickstart-rm?batch_size=2'
const tmp = () => mkdtempSync(join(tmpdir(), 'rmbench-cache-'))
const suite = loadSuite(join(ROOT, 'suites/quickstart'))
const scores = (dir: string) => readFileSync(join(dir, 'scores.jsonl'), 'utf8')
const records = (dir: string) => readFileSync(join(dir, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { key: string; tokens: number })
/** Every cached line of every model and segment under a cache folder. */
const cacheLines = (dir: string) => {
  const base = join(dir, 'scores')
  return readdirSync(base).flatMap((fp) => readdirSync(join(base, fp)).filter((n) => n.endsWith('.jsonl')).flatMap((n) => readFileSync(join(base, fp, n), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { k: string })))
}

type Onnx = Runner & { opened: boolean; tokenizerBuilt: boolean; tokenCounts: { real: number; padded: number } }
const model = async (cache: ScoreCache | null) => (await createRunner(parseModelSpec(SPEC), { warn: () => {}, cwd: ROOT, memo: cache ?? undefined })) as Onnx

let ref: Promise<string> | undefined
/** A run without any cache: what every cached run must reproduce. */
const reference = () => (ref ??= (async () => {
  const out = join(tmp(), 'ref')
  const runner = await model(null)
  await runSuite({ suite, runner, modelSpec: SPEC, outDir: out })
  await runner.dispose?.()
  return out
})())

t.test('a warm cache answers a new run with the cold scores, bit for bit, without loading the model', async (t) => {
  const dir = tmp()
  const cold = await model(new ScoreCache(dir))
  const first = await runSuite({ suite, runner: cold, modelSpec: SPEC, outDir: join(dir, 'runs/first'), cache: new ScoreCache(dir) })
  t.equal(first.result!.counts.cached, 0)
  t.ok(cold.opened)
  await cold.dispose?.()

  // A new process would start from the files: a new ScoreCache reads them back.
  const cache = new ScoreCache(dir)
  const warm = await model(cache)
  t.equal(warm.fingerprint, cold.fingerprint, 'same fingerprint from the remembered session facts')
  t.same(warm.info, cold.info, 'same provenance')
  const second = await runSuite({ suite, runner: warm, modelSpec: SPEC, outDir: join(dir, 'runs/second'), cache })
  t.equal(second.result!.counts.cached, second.result!.counts.unique, 'every score from the cache')
  t.notOk(warm.opened, 'the ONNX session was never opened')
  t.notOk(warm.tokenizerBuilt, 'nor the tokenizer built')
  t.ok(cold.tokenizerBuilt)
  t.equal(warm.tokenCounts.real, 0)
  t.equal(scores(join(dir, 'runs/second')), scores(await reference()), 'identical to a run without the cache')
  t.same(second.result!.metrics, first.result!.metrics)
  t.equal(records(join(dir, 'runs/second')).length, second.result!.counts.unique, 'the run folder holds its scores itself')

  // Other suites share it: the same requests under another name are cached too.
  const renamed = { ...suite, spec: { ...suite.spec, name: 'another-suite' } }
  const third = await runSuite({ suite: renamed, runner: warm, modelSpec: SPEC, outDir: join(dir, 'runs/third'), cache })
  t.equal(third.result!.counts.cached, third.result!.counts.unique)
  t.notOk(warm.opened)
})

t.test('a run stopped midway leaves whole chunks in the cache; the next run scores only the rest', async (t) => {
  const dir = tmp()
  const abort = new AbortController()
  const first = await model(new ScoreCache(dir))
  // Stop after the first chunk is recorded.
  const stopped = await runSuite({ suite, runner: first, modelSpec: SPEC, outDir: join(dir, 'a'), cache: new ScoreCache(dir), signal: abort.signal, onProgress: (p) => p.phase === 'score' && p.done > 0 && abort.abort() })
  t.ok(stopped.interrupted)
  const kept = new Set(cacheLines(dir).map((l) => l.k))
  t.ok(kept.size > 0, `${kept.size} scores cached before the stop`)

  const cache = new ScoreCache(dir)
  const second = await model(cache)
  const done = await runSuite({ suite, runner: second, modelSpec: SPEC, outDir: join(dir, 'b'), cache })
  const unique = done.result!.counts.unique
  t.ok(kept.size < unique, `stopped after ${kept.size} of ${unique}`)
  t.equal(done.result!.counts.cached, kept.size, 'what the stopped run finished is reused')
  // Tokens fed to the model = exactly the tokens of the requests the cache lacked.
  const missingTokens = records(join(dir, 'b')).filter((r) => !kept.has(r.key)).reduce((a, r) => a + r.tokens, 0)
  t.equal(second.tokenCounts.real, missingTokens, 'only what was missing was scored')
  const lines = cacheLines(dir)
  t.equal(lines.length, unique, 'each request cached once across both runs')
  t.equal(new Set(lines.map((l) => l.k)).size, unique)
  t.equal(scores(join(dir, 'b')), scores(await reference()))
  await second.dispose?.()
})

t.test('segments: one per writer, torn lines skipped, stats and clear', async (t) => {
  const dir = tmp()
  const a = new ScoreCache(dir)
  const b = new ScoreCache(dir)
  const fp = '0123456789abcdef'
  a.append(fp, [['k1', { value: 1.5, tokens: 3 }]], { id: 'm', info: {} })
  b.append(fp, [['k2', { value: -2 }]])
  const segs = readdirSync(join(dir, 'scores', fp)).filter((n) => n.endsWith('.jsonl'))
  t.equal(segs.length, 2, 'two writers, two segment files')
  // A crash mid-write leaves half a line at the end of a segment.
  appendFileSync(join(dir, 'scores', fp, segs[0]), '{"k":"k3","v":0.')
  const c = new ScoreCache(dir)
  t.same([...c.scores(fp)].sort(), [['k1', { value: 1.5, tokens: 3 }], ['k2', { value: -2 }]])
  c.append(fp, [['k4', { value: 4 }]])
  t.same(c.scores(fp).get('k4'), { value: 4 }, 'appends are visible to the writer')
  const [s] = c.stats()
  t.match(s, { fingerprint: fp, id: 'm', records: 3, segments: 3 })
  t.equal(new ScoreCache(dir).clear('fff'), 0, 'a prefix that matches nothing removes nothing')
  t.equal(new ScoreCache(dir).clear('0123'), 1)
  t.same(new ScoreCache(dir).stats(), [])
  t.throws(() => c.scores('../../etc'), /not a model fingerprint/)
})

t.test('RMBENCH_NO_CACHE turns it off; RMBENCH_CACHE_DIR and XDG_CACHE_HOME place it', async (t) => {
  t.equal(ScoreCache.fromEnv({ RMBENCH_NO_CACHE: '1' }), null)
  t.equal(ScoreCache.fromEnv({ RMBENCH_CACHE_DIR: '/x/c' })!.root, '/x/c')
  t.equal(ScoreCache.fromEnv({ XDG_CACHE_HOME: '/x/xdg' })!.root, '/x/xdg/rmbench')
  t.equal(ScoreCache.fromEnv({ RMBENCH_NO_CACHE: '0', RMBENCH_CACHE_DIR: '/y' })!.root, '/y')
})

t.test('charts drawn once are remembered: a re-run with the same charts reads them, a changed chart is drawn anew', async (t) => {
  const dir = tmp()
  const cache = new ScoreCache(dir)
  const runner = await model(cache)
  await runSuite({ suite, runner, modelSpec: SPEC, outDir: join(dir, 'runs/a'), cache })
  const memoDir = join(dir, 'charts')
  const drawn = readdirSync(memoDir)
  t.ok(drawn.length >= 3, `${drawn.length} charts remembered`)
  const pageA = readFileSync(join(dir, 'runs/a/report.html'), 'utf8')
  // Mark every remembered chart: a re-run that draws from the memo shows the marks; one that re-renders would not.
  for (const f of drawn) writeFileSync(join(memoDir, f), JSON.stringify(`<svg><!--remembered ${f}--></svg>`))
  await runSuite({ suite, runner, modelSpec: SPEC, outDir: join(dir, 'runs/b'), cache })
  const pageB = readFileSync(join(dir, 'runs/b/report.html'), 'utf8')
  for (const f of drawn) t.ok(pageB.includes(`remembered ${f}`), `chart ${f} came from the memo`)
  t.notOk(pageA.includes('remembered'))
  // A different suite name changes no chart data, but fewer bootstrap replicates change the CIs drawn.
  const fewer = { ...suite, spec: { ...suite.spec, stats: { ...suite.spec.stats, bootstrap: 50 } } }
  await runSuite({ suite: fewer, runner, modelSpec: SPEC, outDir: join(dir, 'runs/c'), cache })
  const pageC = readFileSync(join(dir, 'runs/c/report.html'), 'utf8')
  t.ok((pageC.match(/<svg/g) ?? []).length > (pageC.match(/remembered/g) ?? []).length, 'charts whose CIs changed were drawn anew')
  await runner.dispose?.()
})

t.test('intervals computed once are remembered for the same code, suite, data and scores; anything else resamples', async (t) => {
  const dir = tmp()
  const cache = new ScoreCache(dir)
  const runner = await model(cache)
  const a = (await runSuite({ suite, runner, modelSpec: SPEC, outDir: join(dir, 'runs/a'), cache })).result!
  t.notOk(a.stats!.remembered)
  const [entry] = readdirSync(join(dir, 'cis'))
  const b = (await runSuite({ suite, runner, modelSpec: SPEC, outDir: join(dir, 'runs/b'), cache })).result!
  t.equal(b.stats!.remembered, true)
  t.same(b.metrics, a.metrics, 'the same intervals as computing them')
  t.same({ ...b.stats, ms: 0, remembered: undefined }, { ...a.stats, ms: 0, remembered: undefined })
  t.same(readdirSync(join(dir, 'cis')), [entry], 'nothing new remembered')

  // Mark the remembered intervals: a run that read them shows the mark, one that resampled would not.
  const file = join(dir, 'cis', entry)
  const kept = JSON.parse(readFileSync(file, 'utf8')) as { cis: Record<string, { ci: [number, number] }> }
  for (const c of Object.values(kept.cis)) c.ci = [-1, 2]
  writeFileSync(file, JSON.stringify(kept))
  const marked = (await runSuite({ suite, runner, modelSpec: SPEC, outDir: join(dir, 'runs/c'), cache })).result!
  t.same(marked.metrics.accuracy.ci, [-1, 2], 'read from the memo')

  const reseeded = { ...suite, spec: { ...suite.spec, stats: { ...suite.spec.stats, seed: 7 } } }
  const d = (await runSuite({ suite: reseeded, runner, modelSpec: SPEC, outDir: join(dir, 'runs/d'), cache })).result!
  t.notOk(d.stats!.remembered, 'another seed resamples')
  t.not(d.metrics.accuracy.ci![0], -1)
  const noCache = (await runSuite({ suite, runner, modelSpec: SPEC, outDir: join(dir, 'runs/e') })).result!
  t.same(noCache.metrics, a.metrics, 'a run without the cache computes the same intervals')
})
