import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cli, tmp } from './helpers.ts'

const MODEL = 'onnx:fixtures/quickstart-rm'
const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))

t.test('rmbench run fills the shared cache, a second run reads it; cache stats and clear; --no-cache', async (t) => {
  const d = tmp()
  const env = { RMBENCH_NO_CACHE: '', RMBENCH_CACHE_DIR: join(d, 'cache') }
  const run = (out: string, ...extra: string[]) => cli(['run', 'suites/quickstart', '-q', '--limit', '20', '--model', MODEL, '--out', join(d, out), ...extra], { env })
  t.equal(run('a').code, 0)
  t.equal(results(join(d, 'a')).counts.cached, 0)
  t.equal(run('b').code, 0)
  const b = results(join(d, 'b'))
  t.equal(b.counts.cached, b.counts.unique, 'second run: every score from the cache')
  t.equal(readFileSync(join(d, 'b', 'scores.jsonl'), 'utf8'), readFileSync(join(d, 'a', 'scores.jsonl'), 'utf8'))

  const stats = cli(['cache', 'stats', '--json'], { env })
  t.equal(stats.code, 0, stats.stderr)
  const s = JSON.parse(stats.stdout)
  t.match(s, { dir: join(d, 'cache'), models: 1, records: b.counts.unique })
  t.equal(s.entries[0].fingerprint, b.model.fingerprint)
  t.equal(s.entries[0].id, 'quickstart-rm')
  t.match(cli(['cache', 'stats'], { env }).stdout, new RegExp(`1 model\\(s\\), ${b.counts.unique} score\\(s\\)[\\s\\S]*${b.model.fingerprint}.*quickstart-rm`))

  // --no-cache neither reads nor writes it.
  t.equal(run('c', '--no-cache').code, 0)
  t.equal(results(join(d, 'c')).counts.cached, 0)
  t.equal(JSON.parse(cli(['cache', 'stats', '--json'], { env }).stdout).records, b.counts.unique)

  const bad = cli(['cache', 'clear', '--model', 'not-hex'], { env })
  t.equal(bad.code, 2)
  t.match(bad.stderr, /E_USAGE: --model not-hex: expected a fingerprint/)
  const cleared = cli(['cache', 'clear', '--model', b.model.fingerprint.slice(0, 6)], { env })
  t.match(cleared.stdout, /removed the cached scores of 1 model/)
  t.equal(JSON.parse(cli(['cache', 'stats', '--json'], { env }).stdout).models, 0)
  t.equal(cli(['cache', 'clear'], { env }).code, 0)
  t.notOk(existsSync(join(d, 'cache', 'onnx-sessions')), 'clearing everything drops the remembered session facts too')
  t.equal(run('d').code, 0)
  t.equal(results(join(d, 'd')).counts.cached, 0, 'after clear, scored again')
})

t.test('an unwritable cache folder is a coded error naming it', async (t) => {
  const d = tmp({ 'file': 'not a folder' })
  const r = cli(['run', 'suites/quickstart', '-q', '--limit', '3', '--model', MODEL, '--out', join(d, 'o')], { env: { RMBENCH_NO_CACHE: '', RMBENCH_CACHE_DIR: join(d, 'file') } })
  t.equal(r.code, 2, r.stderr)
  t.match(r.stderr, /E_SCORE_STORE: cannot write the score cache at .*file.*--no-cache/)
  t.notMatch(r.stderr, /\n\s+at /)
})
