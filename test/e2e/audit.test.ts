import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetReadObjects } from 'hyparquet'
import t from 'tap'
import { schemaErrors } from '../../src/suite/schema.ts'
import { cli, jsonl, ROOT, tmp } from './helpers.ts'

// `rmbench audit` on the bundled example (16 planted flips among 160 pairs, three bundled/baseline voters). The
// classes are recomputed here from the runs' scores.jsonl by the rule README states — not read from rmbench.
const EXAMPLE = join(ROOT, 'suites/audit-example')
const planted = new Set(readFileSync(join(EXAMPLE, 'planted.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')))
const data = readFileSync(join(EXAMPLE, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const VOTERS: [string, string[]][] = [['rm', ['--model', 'quickstart-rm']], ['len', ['--model', 'baseline:length']], ['lp', ['--model', 'expr:logp(policy) / tokens(policy)', '--lm', 'policy=tiny-lm-policy']]]

const d = tmp()
const runs = VOTERS.map(([name, args]) => {
  const r = cli(['run', EXAMPLE, ...args, '-q', '--out', join(d, name)])
  if (r.code !== 0) throw new Error(r.stderr)
  return join(d, name)
})
const margins = runs.map((dir) => new Map(readFileSync(join(dir, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.id, r.margin as number])))

/** The README's rule, written out again: z = margin / SD(model's margins); strength = mean z; ⅔ majority, ±0.5. */
function expectedClasses(majority = 0.66, strength = 0.5): Map<string, string> {
  const sds = margins.map((m) => {
    const xs = [...m.values()]
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length
    return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1))
  })
  return new Map(data.map((row) => {
    const z = margins.map((m, k) => m.get(row.id)! / sds[k])
    const s = z.reduce((a, x) => a + x, 0) / z.length
    const forChosen = (z.filter((x) => x > 0).length + z.filter((x) => x === 0).length / 2) / z.length
    return [row.id, forChosen >= majority && s >= strength ? 'consistent' : 1 - forChosen >= majority && s <= -strength ? 'suspect' : 'ambiguous']
  }))
}

t.test('the bundled example: the suspect pairs are the planted flips, ε within ±0.03 of the planted 10%, precision and recall printed', async (t) => {
  const out = join(d, 'audit')
  const r = cli(['audit', ...runs, '--planted', join(EXAMPLE, 'planted.txt'), '--out', out])
  t.equal(r.code, 0, r.stderr)
  const a = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'))
  t.same(schemaErrors('audit', a), [], 'audit.json matches its schema')
  const lines = readFileSync(join(out, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  const want = expectedClasses()
  t.same(Object.fromEntries(lines.map((p) => [p.id, p.class])), Object.fromEntries(want), 'every pair classed as the rule says')
  const suspect = [...want].filter(([, c]) => c === 'suspect').map(([id]) => id)
  const found = suspect.filter((id) => planted.has(id)).length
  t.equal(a.planted.count, 16)
  t.equal(a.planted.found, found)
  t.equal(a.planted.precision, found / suspect.length)
  t.equal(a.planted.recall, found / 16)
  t.ok(found / suspect.length >= 0.9, `precision ${found}/${suspect.length}`)
  t.ok(found >= 8, `recall ${found}/16: most planted flips are found`)
  t.match(r.stdout, new RegExp(`planted flips: ${found} of 16 found among the suspect pairs — recall ${((100 * found) / 16).toFixed(1)}%, precision ${((100 * found) / suspect.length).toFixed(1)}%`))
  t.ok(Math.abs(a.flipRate.epsilon - 0.1) <= 0.03, `ε = ${a.flipRate.epsilon.toFixed(3)} (planted 0.100; tolerance ±0.03)`)
  t.ok(a.flipRate.ci[0] <= 0.1 && a.flipRate.ci[1] >= 0.1, 'its interval covers the planted rate')
  t.same(a.voters.map((v: { model: string }) => v.model), ['quickstart-rm (onnx:./fixtures/quickstart-rm)', 'baseline:length', 'expr:logp(policy) / tokens(policy)'])
  t.same(a.thresholds, { strength: 0.5, majority: 0.66, confidence: 0.95 }, 'thresholds from the suite')
  // Scores under doubt: each model's accuracy on consistent pairs is its mean credit there.
  const credits = new Map(readFileSync(join(runs[1], 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((x) => [x.id, x.credit]))
  const consistent = [...want].filter(([, c]) => c === 'consistent').map(([id]) => credits.get(id)!)
  t.equal(a.evaluation[1].consistent.value, consistent.reduce((x, y) => x + y, 0) / consistent.length, 'the length baseline on consistent pairs')
  t.ok(a.evaluation.every((e: { consistentByOthers?: unknown }) => e.consistentByOthers), 'each voter also scored on the pairs the others deem consistent')
  const html = readFileSync(join(out, 'audit.html'), 'utf8')
  t.match(html, /<svg/, 'the strength histogram is drawn')
  for (const id of suspect.slice(0, 3)) t.match(html, `<td>${id}</td>`, 'suspect pairs listed')
})

t.test('command-line thresholds win over the suite; --strength changes the classes as the rule does', async (t) => {
  const r = cli(['audit', ...runs, '--strength', '1', '--majority', '1', '--out', join(d, 'strict'), '--json'])
  t.equal(r.code, 0, r.stderr)
  const a = JSON.parse(r.stdout)
  t.same(a.thresholds, { strength: 1, majority: 1, confidence: 0.95 })
  t.equal(a.counts.suspect, [...expectedClasses(1, 1).values()].filter((c) => c === 'suspect').length)
})

t.test('--export drops the suspect pairs (or --flip swaps them), in the suite\'s field names, and re-runs as a suite', async (t) => {
  const out = join(d, 'exp')
  const want = expectedClasses()
  const suspect = new Set([...want].filter(([, c]) => c === 'suspect').map(([id]) => id))
  t.equal(cli(['audit', ...runs, '--out', out, '--export', join(out, 'clean.jsonl')]).code, 0)
  const rows = readFileSync(join(out, 'clean.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.same(rows.map((x) => x.id), data.filter((x) => !suspect.has(x.id)).map((x) => x.id), 'the suspect pairs dropped, the order kept')
  t.same(Object.keys(rows[0]), ['id', 'prompt', 'chosen', 'rejected', 'subset', 'strength', 'audit_class'], 'the suite\'s own column names, plus strength and class')
  const rerun = cli(['run', join(out, 'clean.suite.yaml'), '--model', 'baseline:length', '-q', '--json', '--out', join(out, 'rerun')])
  t.equal(rerun.code, 0, rerun.stderr)
  t.equal(JSON.parse(rerun.stdout).counts.scored, data.length - suspect.size, 'the exported set runs as a suite')

  const flip = join(d, 'flip')
  t.equal(cli(['audit', ...runs, '--out', flip, '--export', join(flip, 'flipped.parquet'), '--flip']).code, 0)
  const pq = await parquetReadObjects({ file: new Uint8Array(readFileSync(join(flip, 'flipped.parquet'))).buffer as ArrayBuffer })
  t.equal(pq.length, data.length, 'nothing dropped with --flip')
  const byId = new Map(data.map((x) => [x.id, x]))
  for (const row of pq) {
    const orig = byId.get(row.id as string)!
    const isSuspect = suspect.has(row.id as string)
    if (row.flipped !== isSuspect || (isSuspect ? row.chosen !== orig.rejected : row.chosen !== orig.chosen)) {
      t.fail(`${row.id}: flipped ${row.flipped}, suspect ${isSuspect}`)
      break
    }
  }
  t.equal(pq.filter((x) => x.flipped).length, suspect.size, 'the suspect pairs, and only they, flipped')
  const rerunPq = cli(['run', join(flip, 'flipped.suite.yaml'), '--model', 'baseline:length', '-q', '--json', '--out', join(flip, 'rerun')])
  t.equal(rerunPq.code, 0, rerunPq.stderr)
})

t.test('--model runs the voters itself; --evaluate scores a run under doubt without its vote', async (t) => {
  const out = join(d, 'models')
  const r = cli(['audit', '--suite', EXAMPLE, '--model', 'quickstart-rm', '--model', 'baseline:length', '--evaluate', runs[2], '--out', out, '-q', '--json'])
  t.equal(r.code, 0, r.stderr)
  const a = JSON.parse(r.stdout)
  t.equal(a.voters.length, 2)
  t.same(a.evaluation.map((e: { voted: boolean }) => e.voted), [true, true, false])
})

t.test('intransitivity from pairwise judgments of three or more responses', async (t) => {
  const j = join(d, 'judgments.jsonl')
  writeFileSync(j, jsonl([
    { id: 'q1', a: 0, b: 1, AB: 'A', BA: 'B' }, { id: 'q1', a: 1, b: 2, AB: 'A', BA: 'B' }, { id: 'q1', a: 0, b: 2, AB: 'B', BA: 'A' },
    { id: 'q2', a: 0, b: 1, AB: 0.8, BA: 0.3 }, { id: 'q2', a: 1, b: 2, AB: 'A' }, { id: 'q2', a: 0, b: 2, AB: 'A', BA: 'B' },
  ]))
  const r = cli(['audit', ...runs.slice(0, 2), '--judgments', j, '--out', join(d, 'cyc'), '--json'])
  t.equal(r.code, 0, r.stderr)
  const c = JSON.parse(r.stdout).intransitivity
  t.same({ prompts: c.prompts, withCycle: c.withCycle.k, triads: c.triads, cyclic: c.cyclic }, { prompts: 2, withCycle: 1, triads: 2, cyclic: 1 })
})

t.test('bad inputs are coded errors that say what to do, with no audit written', async (t) => {
  const one = cli(['audit', runs[0], '--out', join(d, 'bad1')])
  t.equal(one.code, 2)
  t.match(one.stderr, /E_USAGE.*at least 2 voting models/)
  const other = cli(['run', 'suites/quickstart', '--model', 'baseline:length', '-q', '--out', join(d, 'qs')])
  t.equal(other.code, 0)
  const mixed = cli(['audit', runs[0], join(d, 'qs'), '--out', join(d, 'bad2')])
  t.equal(mixed.code, 2)
  t.match(mixed.stderr, /E_AUDIT.*must score the same pairs/)
  t.match(cli(['audit', ...runs, '--flip']).stderr, /E_USAGE.*--export/)
  t.match(cli(['audit', runs[0], runs[0]]).stderr, /E_AUDIT.*a model votes once/)
  const edited = join(d, 'edited')
  t.equal(cli(['run', EXAMPLE, '--model', 'baseline:random', '-q', '--out', edited]).code, 0)
  const lines = readFileSync(join(edited, 'scores.jsonl'), 'utf8').split('\n')
  lines[4] = lines[4].replace(/"margin":[^,]+/, '"margin":"1e309"')
  writeFileSync(join(edited, 'scores.jsonl'), lines.join('\n'))
  const bad = cli(['audit', runs[0], edited, '--out', join(d, 'bad3')])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /E_RESULTS.*scores\.jsonl:5: expected a string id, a finite margin/)
  t.notMatch(bad.stderr, /\n\s+at /, 'no stack trace')
  t.notOk(existsSync(join(d, 'bad3', 'audit.json')), 'no audit.json')
})
