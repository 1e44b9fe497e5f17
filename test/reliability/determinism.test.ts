import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cliAsync, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

/** Fields of results.json that are allowed to differ between two identical runs (documented in README). */
export const VOLATILE = ['provenance.startedAt', 'provenance.finishedAt', 'provenance.durationMs', 'provenance.scoringMs', 'provenance.phases', 'stats.ms']

function withoutVolatile(text: string): string {
  const r = JSON.parse(text)
  for (const path of VOLATILE) {
    const keys = path.split('.')
    const parent = keys.slice(0, -1).reduce((o, k) => o?.[k], r)
    if (parent && keys[keys.length - 1] in parent) parent[keys[keys.length - 1]] = '<volatile>'
  }
  return JSON.stringify(r, null, 2)
}
const scores = (dir: string) => readFileSync(join(dir, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).raw.scores as Record<string, number | number[]>)
const figures = { 'runs repeated': 0, 'result files compared byte for byte': 0, 'scores compared across batch sizes and threads': 0, 'largest score difference (×1e-9)': 0 }

t.test('the same run twice: byte-identical results.json apart from declared volatile fields, identical scores.jsonl', async (t) => {
  const d = tmp()
  for (const model of ['onnx:fixtures/quickstart-rm', 'expr:beta * (logp(policy) - logp(ref))']) {
    const extra = model.startsWith('expr') ? ['--lm', 'policy=onnx:fixtures/tiny-lm-policy', '--lm', 'ref=onnx:fixtures/tiny-lm-ref', '--beta', '0.1'] : []
    const outs = [join(d, `${figures['runs repeated']}a`), join(d, `${figures['runs repeated']}b`)]
    for (const out of outs) t.equal((await cliAsync(['run', 'suites/quickstart', '-q', '--model', model, ...extra, '--out', out])).code, 0)
    figures['runs repeated']++
    const [a, b] = outs.map((o) => readFileSync(join(o, 'results.json'), 'utf8'))
    t.not(a, b, 'the raw files differ (timestamps)')
    t.equal(withoutVolatile(a), withoutVolatile(b), `${model}: results.json equal apart from ${VOLATILE.join(', ')}`)
    for (const f of ['scores.jsonl', 'worst.json', 'report.md']) {
      t.equal(readFileSync(join(outs[0], f), 'utf8').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|[\d.]+ s\b/g, 'T'), readFileSync(join(outs[1], f), 'utf8').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|[\d.]+ s\b/g, 'T'), `${f} equal`)
      figures['result files compared byte for byte']++
    }
    figures['result files compared byte for byte']++
  }
})

t.test('batch size 1 vs 64 and 1 vs 2 threads, either padding side: equal scores within 1e-5', async (t) => {
  const d = tmp()
  const variants = ['batch_size=1&threads=1', 'batch_size=64&threads=1', 'batch_size=64&threads=2', 'batch_size=7&threads=2', 'batch_size=64&threads=1&padding_side=left', 'batch_size=7&threads=2&padding_side=left']
  for (const v of variants) t.equal((await cliAsync(['run', 'suites/quickstart', '-q', '--model', `onnx:fixtures/quickstart-rm?${v}`, '--out', join(d, v)])).code, 0)
  const base = scores(join(d, variants[0]))
  let worst = 0
  for (const v of variants.slice(1)) {
    const other = scores(join(d, v))
    base.forEach((s, i) => {
      for (const k of Object.keys(s)) [s[k]].flat().forEach((x, j) => { worst = Math.max(worst, Math.abs(x - [other[i][k]].flat()[j])); figures['scores compared across batch sizes and threads']++ })
    })
  }
  figures['largest score difference (×1e-9)'] = Math.round(worst * 1e9)
  t.ok(worst <= 1e-5, `largest |Δ| ${worst}`)
})

t.test('shards merged equal the unsharded run byte for byte (an ONNX model, cold: the same chunks, so the same batches)', async (t) => {
  const d = tmp()
  const model = ['--model', 'onnx:fixtures/quickstart-rm', '-q']
  t.equal((await cliAsync(['run', 'suites/quickstart', ...model, '--out', join(d, 'whole')])).code, 0)
  for (const n of [2, 3]) {
    const dirs = []
    for (let i = 1; i <= n; i++) {
      dirs.push(join(d, `${n}-${i}`))
      t.equal((await cliAsync(['run', 'suites/quickstart', ...model, '--shard', `${i}/${n}`, '--out', dirs[i - 1]])).code, 0)
    }
    t.equal((await cliAsync(['merge', ...dirs, '--out', join(d, `merged-${n}`)])).code, 0)
    for (const f of ['scores.jsonl', 'worst.json']) {
      figures['result files compared byte for byte']++
      t.ok(readFileSync(join(d, `merged-${n}`, f)).equals(readFileSync(join(d, 'whole', f))), `${n} shards: ${f} byte for byte`)
    }
    const [a, b] = [join(d, `merged-${n}`), join(d, 'whole')].map((x) => JSON.parse(readFileSync(join(x, 'results.json'), 'utf8')))
    t.same(a.metrics, b.metrics, `${n} shards: the same metrics and intervals`)
  }
})

t.teardown(() => recordFigures('6 determinism', figures))
