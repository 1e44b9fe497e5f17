import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ModelServer, type FaultKind } from '../fake-servers/model-server.ts'
import { cliAsync, ROOT, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

const RM = join(ROOT, 'fixtures/quickstart-rm')
const KINDS: FaultKind[] = ['500', '429', 'slow', 'malformed', 'drop']
const rows = (dir: string) => readFileSync(join(dir, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))
const figures = { 'faulty runs': 0, 'requests served': 0, 'faults injected': 0, 'replicas stopped mid-run': 0, 'records compared': 0, 'failures scored as ties or zeros': 0 }
const spec = (url: string) => `vllm:${url}?tokenizer=fixtures/quickstart-rm&batch_size=4`
const faultCount = (s: ModelServer) => Object.values(s.stats.faults).reduce((a, b) => a + b, 0)

t.test('20% faults on 3 replicas, two seeds, and a replica stopped mid-run: scores equal a clean run', async (t) => {
  const clean = await new ModelServer({ rm: RM, name: 'rm' }).start()
  t.teardown(() => clean.stop())
  const d = tmp()
  const args = ['suites/quickstart', '-q', '--limit', '120']
  t.equal((await cliAsync(['run', ...args, '--model', spec(clean.url), '--out', join(d, 'clean')])).code, 0)
  const ref = rows(join(d, 'clean'))
  for (const seed of [11, 12, 13]) {
    const reps = await Promise.all([0, 1, 2].map((k) => new ModelServer({ rm: RM, name: 'rm', delayMs: 5, faults: { rate: 0.2, kinds: KINDS, seed: seed * 10 + k, slowMs: 1200 } }).start()))
    const out = join(d, `s${seed}`)
    const run = cliAsync(['run', ...args, '--model', spec(reps[0].url), '--endpoint', reps[1].url, '--endpoint', reps[2].url, '--timeout-ms', '600', '--retries', '10', '--out', out])
    if (seed === 13) {
      // Take a replica down while the run is under way.
      await new Promise((r) => setTimeout(r, 900))
      await reps[1].stop()
      figures['replicas stopped mid-run']++
    }
    const r = await run
    for (const s of reps) await s.stop()
    figures['faulty runs']++
    figures['requests served'] += reps.reduce((n, s) => n + s.stats.requests, 0)
    figures['faults injected'] += reps.reduce((n, s) => n + faultCount(s), 0)
    t.equal(r.code, 0, r.stderr)
    const got = rows(out)
    figures['records compared'] += got.length
    t.same(got.map((x) => x.raw.scores), ref.map((x) => x.raw.scores), `seed ${seed}: identical scores`)
    t.equal(results(out).complete, true)
  }
  t.ok(figures['faults injected'] > 0)
})

t.test('faults that outlast the retries fail loudly, with counts; a failure is never a tie or a zero', async (t) => {
  const s = await new ModelServer({ rm: RM, name: 'rm', faults: { rate: 0.5, kinds: ['500', 'malformed', 'drop'], seed: 5, paths: ['/pooling'] } }).start()
  t.teardown(() => s.stop())
  const out = join(tmp(), 'run')
  const r = await cliAsync(['run', 'suites/quickstart', '-q', '--limit', '60', '--model', `vllm:${s.url}?tokenizer=fixtures/quickstart-rm&batch_size=1`, '--retries', '1', '--out', out])
  figures['faulty runs']++
  figures['requests served'] += s.stats.requests
  figures['faults injected'] += faultCount(s)
  t.equal(r.code, 3, 'exit 3: completed with failures')
  t.match(r.stderr, /rmbench: completed with failures: \d+ of 60 examples failed/)
  const res = results(out)
  t.equal(res.complete, false, 'marked partial')
  t.ok(res.counts.failed > 0, `${res.counts.failed} failed`)
  t.match(r.stdout, new RegExp(`${res.counts.scored}/60 examples scored, ${res.counts.failed} FAILED`))
  t.match(r.stderr, /failed after retries/)
  const got = rows(out)
  const failed = got.filter((x) => x.error)
  figures['records compared'] += got.length
  const tiesOrZeros = failed.filter((x) => x.raw !== undefined || x.correct !== undefined).length
  figures['failures scored as ties or zeros'] += tiesOrZeros
  t.equal(tiesOrZeros, 0, 'failed examples carry an error and no score')
  t.ok(failed.every((x) => /^E_HTTP_(500|MALFORMED|NETWORK)$/.test(x.error.code)), 'each names its cause')
  t.equal(res.metrics.accuracy?.n ?? res.counts.scored, res.counts.scored, 'metrics count scored examples only')
})

t.teardown(() => recordFigures('3 served-model faults', figures))
