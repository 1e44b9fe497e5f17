import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'
import { createRunner, parseModelSpec } from '../runners/registry.ts'
import { loadSuite } from '../suite/load-suite.ts'
import type { Suite } from '../suite/types.ts'
import { runSuite } from './run-suite.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const tmp = () => mkdtempSync(join(tmpdir(), 'rmbench-stream-'))
const quickstart = loadSuite(join(ROOT, 'suites/quickstart'))
// length-bias reads every example, so the streamed comparison uses the suite without it.
const suite: Suite = { ...quickstart, spec: { ...quickstart.spec, analyses: [], stats: { seed: 3, bootstrap: 2000 } } }
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8')
const results = (dir: string) => JSON.parse(read(dir, 'results.json'))
/** results.json without what differs between any two runs (times) or by design (the streamed run's records). */
const comparable = (dir: string) => {
  const r = results(dir)
  for (const k of ['startedAt', 'finishedAt', 'durationMs', 'scoringMs', 'phases']) delete r.provenance[k]
  delete r.stats.ms
  return r
}

async function both(spec: string, s: Suite, extra: { limit?: number } = {}) {
  const d = tmp()
  const runner = await createRunner(parseModelSpec(spec), { warn: () => {}, cwd: ROOT })
  await runSuite({ suite: s, runner, modelSpec: spec, outDir: join(d, 'held'), stream: false, ...extra })
  await runSuite({ suite: s, runner, modelSpec: spec, outDir: join(d, 'streamed'), stream: true, ...extra })
  await runner.dispose?.()
  return { held: join(d, 'held'), streamed: join(d, 'streamed') }
}

t.test('a streamed run equals the in-memory run: metrics, intervals, hashes, scores.jsonl, worst examples, charts', async (t) => {
  for (const spec of ['baseline:length', 'onnx:fixtures/quickstart-rm?batch_size=1']) {
    const { held, streamed } = await both(spec, suite)
    t.same(comparable(streamed), comparable(held), `${spec}: results.json`)
    t.equal(read(streamed, 'scores.jsonl'), read(held, 'scores.jsonl'), `${spec}: scores.jsonl`)
    t.equal(read(streamed, 'worst.json'), read(held, 'worst.json'), `${spec}: worst.json`)
    t.equal(read(streamed, 'charts/margin-distribution.vl.json'), read(held, 'charts/margin-distribution.vl.json'), `${spec}: charts`)
    t.ok(results(streamed).metrics.accuracy.ci, 'with a bootstrap interval')
  }
})

t.test('limits and pins: the same rows, the same rows_sha256, the same dataset hash', async (t) => {
  const { held, streamed } = await both('baseline:length', suite, { limit: 37 })
  const [h, s] = [results(held), results(streamed)]
  t.equal(s.counts.examples, 37)
  t.equal(s.provenance.datasetHash, h.provenance.datasetHash)
  t.same(s.provenance.dataSources, h.provenance.dataSources, 'rows_sha256 covers the whole source, as loadDataset does')
  t.equal(read(streamed, 'scores.jsonl'), read(held, 'scores.jsonl'))
})

t.test('bad input still fails with the coded error naming the row; a suite that cannot stream says why', async (t) => {
  const d = tmp()
  writeFileSync(join(d, 'd.jsonl'), [{ id: 'a', prompt: 'p', chosen: 'c', rejected: 'r' }, { id: 'b', prompt: 'p', chosen: 'c', rejected: 'r' }, { id: 'a', prompt: 'p', chosen: 'c', rejected: 'r' }].map((r) => JSON.stringify(r)).join('\n') + '\n')
  writeFileSync(join(d, 'suite.yaml'), 'name: dup\ntask: pairwise\ndata: { source: d.jsonl }\n')
  const runner = await createRunner(parseModelSpec('baseline:length'), { warn: () => {}, cwd: ROOT })
  await t.rejects(runSuite({ suite: loadSuite(d), runner, modelSpec: 'x', outDir: join(d, 'o'), stream: true }), { code: 'E_DATA_ROW', message: /d\.jsonl:3: duplicate id 'a' \(first at \S*d\.jsonl:1\)/ })
  await t.rejects(runSuite({ suite: quickstart, runner, modelSpec: 'x', outDir: join(d, 'q'), stream: true }), { code: 'E_USAGE', message: /cannot stream: analyses length-bias read every example/ })
})
