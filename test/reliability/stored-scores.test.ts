import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cli, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

// Class 4 (stored scores are verified when read): records.jsonl and the shared score cache, tampered line by line
// in every way a disk, a bad merge or a hand edit can; each damaged line is discarded with a warning and scored
// again, and the run's scores stay those of a clean run.
const ARGS = ['run', 'suites/quickstart', '--model', 'onnx:fixtures/quickstart-rm', '--limit', '40', '-q']
const scores = (dir: string) => readFileSync(join(dir, 'scores.jsonl'), 'utf8')
const MUTATIONS: [string, (line: string) => string][] = [
  ['value 1e400 (Infinity once parsed)', (l) => l.replace(/"value":[^,}]+/, '"value":1e400')],
  ['value null', (l) => l.replace(/"value":[^,}]+/, '"value":null')],
  ['value "NaN"', (l) => l.replace(/"value":[^,}]+/, '"value":"NaN"')],
  ['value changed, still a number', (l) => l.replace(/"value":(-?)(\d)/, (_, s, d) => `"value":${s}${(Number(d) + 1) % 10}`)],
  ['check removed', (l) => l.replace(/,"h":"[0-9a-f]+"/, '')],
  ['error of the wrong shape', (l) => l.replace(/"value":[^,}]+/, '"error":"boom"')],
]
const figures = { recordsTampered: 0, cacheTampered: 0, reused: 0, changed: 0 }

t.test('records.jsonl: every kind of damaged line is discarded, warned about and scored again', async (t) => {
  const d = tmp()
  const clean = join(d, 'clean')
  t.equal(cli([...ARGS, '--out', clean]).code, 0)
  const lines = readFileSync(join(clean, 'records.jsonl'), 'utf8').trim().split('\n')
  t.match(lines[0], /"h":"[0-9a-f]{8}"/, 'each record carries its check')
  for (const [i, [name, mutate]] of MUTATIONS.entries()) {
    const out = join(d, `m${i}`)
    cpSync(clean, out, { recursive: true })
    const at = (i * 7) % lines.length
    const bad = lines.map((l, j) => (j === at ? mutate(l) : l))
    t.not(bad[at], lines[at], `${name}: the line changed`)
    writeFileSync(join(out, 'records.jsonl'), bad.join('\n') + '\n')
    const r = cli([...ARGS, '--out', out])
    figures.recordsTampered++
    t.equal(r.code, 0, r.stderr)
    t.match(r.stderr, /records\.jsonl: 1 torn or unsound line\(s\) .* were discarded; those scores are computed again/, `${name}: warned`)
    if (scores(out) !== scores(clean)) figures.changed++
    t.equal(scores(out), scores(clean), `${name}: scores.jsonl equals the clean run's`)
  }
})

t.test('the shared cache: damaged lines are never reused; the run equals a clean run', async (t) => {
  const d = tmp()
  const cache = join(d, 'cache')
  const env = { RMBENCH_NO_CACHE: '', RMBENCH_CACHE_DIR: cache }
  const clean = join(d, 'clean')
  t.equal(cli([...ARGS, '--out', clean], { env }).code, 0)
  const dir = join(cache, 'scores', readdirSync(join(cache, 'scores'))[0])
  const seg = join(dir, readdirSync(dir).find((n) => n.endsWith('.jsonl'))!)
  const lines = readFileSync(seg, 'utf8').trim().split('\n')
  // The first four kinds of damage; a line without its check (as an older rmbench wrote them) is not reused
  // either, but without a warning: the fifth line.
  const cacheMutations: [string, (l: string) => string][] = MUTATIONS.slice(0, 5).map(([n, f]) => [n, (l: string) => f(l.replace('"v":', '"value":')).replace('"value":', '"v":')])
  const bad = lines.map((l, j) => (j < cacheMutations.length ? cacheMutations[j][1](l) : l))
  t.same(bad.filter((l, j) => l === lines[j]).length, lines.length - cacheMutations.length, `${cacheMutations.length} lines damaged`)
  writeFileSync(seg, bad.join('\n') + '\n')
  figures.cacheTampered += cacheMutations.length
  const out = join(d, 'again')
  const r = cli([...ARGS, '--out', out], { env })
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, new RegExp(`score cache .*: ${cacheMutations.length - 1} line\\(s\\) of this model's scores were unsound`), 'warned with the count of damaged lines')
  if (scores(out) !== scores(clean)) figures.changed++
  t.equal(scores(out), scores(clean), 'scores.jsonl equals the clean run\'s')
  const reused = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).counts.cached
  figures.reused = reused
  t.equal(reused, lines.length - cacheMutations.length, 'everything else came from the cache')
})

t.teardown(() => recordFigures('4 stored scores', {
  'records.jsonl lines tampered': figures.recordsTampered,
  'cache lines tampered': figures.cacheTampered,
  'cache lines reused past the damage': figures.reused,
  'runs whose scores a damaged line changed': figures.changed,
}))
