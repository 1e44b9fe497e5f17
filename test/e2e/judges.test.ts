import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ModelServer } from '../fake-servers/model-server.ts'
import { cliAsync, ROOT, tmp } from './helpers.ts'

const LM = join(ROOT, 'fixtures/tiny-lm-policy')
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))
const run = (args: string[], env: Record<string, string | undefined> = {}) => cliAsync(['run', ...args, '-q'], { env })
const twoWay = (a: number, b: number) => 1 / (1 + Math.exp(b - a))

/** The quickstart suite in a temp folder, with a judge block (the fixture LM's vocabulary has no 'B': labels it can spell). */
function quickstartWith(judge: string): string {
  const d = tmp()
  cpSync(join(ROOT, 'suites/quickstart/data.jsonl'), join(d, 'data.jsonl'))
  writeFileSync(join(d, 'suite.yaml'), readFileSync(join(ROOT, 'suites/quickstart/suite.yaml'), 'utf8').replace('analyses: [length-bias]', `analyses: [length-bias]\njudge:\n${judge}`))
  return d
}

t.test("JudgeBench's double game from a logged judge: exactly the category accuracies JudgeBench's own metrics compute", async (t) => {
  const d = tmp()
  const r = await run(['suites/judgebench-example', '--model', 'verdicts:./suites/judgebench-example/judge-log.jsonl', '--out', d])
  t.equal(r.code, 0, r.stderr)
  // expected.json: JudgeBench's utils/metrics.py compute_final_metrics on the same decisions (make-reference.py).
  const ref = JSON.parse(readFileSync(join(ROOT, 'fixtures/judgebench-reference/expected.json'), 'utf8')).categories
  const m = results(d).metrics
  for (const name of ['Knowledge', 'Reasoning', 'Math', 'Coding']) {
    const got = m[`section/${name}`]
    t.equal(Math.round(got.value * ref[name].pairs), Math.round((ref[name].percent / 100) * ref[name].pairs), `${name}: the same pairs right`)
    t.ok(Math.abs(100 * got.value - ref[name].percent) < 1e-12, `${name}: ${100 * got.value} vs JudgeBench ${ref[name].percent}`)
  }
  t.ok(Math.abs(100 * m.accuracy.value - ref.Overall.percent) < 1e-12, 'Overall = accuracy over all pairs')
  t.ok(Math.abs(100 * m.score.value - ref.Overall.percent) < 1e-12, 'the score (sections weighted by pairs) is Overall too')
  // Unreadable verdicts counted by hand from the log: its nulls.
  const log = lines(join(ROOT, 'suites/judgebench-example/judge-log.jsonl'))
  const nulls = log.reduce((n, l) => n + (l.AB === null ? 1 : 0) + (l.BA === null ? 1 : 0), 0)
  t.same([m['judge/unparseable'].value, m['judge/unparseable'].n], [nulls / 96, 96])
  t.notOk(m['judge/unparseable'].ci, 'a count of what happened, no interval')
  const res = results(d)
  t.match(res.provenance.judge, { prompt: 'arena-hard', parse: 'arena-hard', mode: 'pairwise', orders: ['AB', 'BA'], combine: 'vote', unparseable: 'wrong' })
  t.equal(res.complete, true, 'unreadable verdicts are answers the rule counts, not failed examples')
  const judged = lines(join(d, 'judgments.jsonl'))
  t.equal(judged.length, 48)
  const j0 = judged.find((j) => j.id === log[0].id)
  t.equal(j0.answers.AB.output ?? null, log[0].AB, "the logged decision is kept as what the judge said")

  // JudgeBench's single game (--single_game, reverse_order=False): the data's order alone, a tie is not right.
  const one = tmp()
  cpSync(join(ROOT, 'suites/judgebench-example'), one, { recursive: true })
  writeFileSync(join(one, 'suite.yaml'), readFileSync(join(one, 'suite.yaml'), 'utf8').replace('  orders: both', '  orders: AB'))
  const rs = await run([one, '--model', `verdicts:${join(one, 'judge-log.jsonl')}`, '--out', join(one, 'out')])
  t.equal(rs.code, 0, rs.stderr)
  const single = JSON.parse(readFileSync(join(ROOT, 'fixtures/judgebench-reference/expected.json'), 'utf8')).single_game
  const ms = results(join(one, 'out')).metrics
  for (const name of ['Knowledge', 'Reasoning', 'Math', 'Coding']) t.ok(Math.abs(100 * ms[`section/${name}`].value - single[name].percent) < 1e-12, `single game ${name}: ${100 * ms[`section/${name}`].value} vs JudgeBench ${single[name].percent}`)
  t.ok(Math.abs(100 * ms.accuracy.value - single.Overall.percent) < 1e-12, 'single game Overall')
  t.notOk(ms['judge/position-consistency'], 'one order: no swap to be consistent across')
})

t.test('a local ONNX causal LM as judge on the quickstart pairs: label log-probs in both orders, credits by hand', async (t) => {
  const d = tmp()
  const r = await run(['suites/quickstart', '--model', 'onnx:fixtures/tiny-lm-policy?judge=true', '--out', d])
  t.equal(r.code, 0, r.stderr)
  const judged = lines(join(d, 'judgments.jsonl'))
  t.equal(judged.length, 320)
  let sum = 0
  for (const j of judged) {
    // mean combine, by hand: each order's P(first) from its two label log-probs; AB shows the chosen first.
    const pick = (o: 'AB' | 'BA') => {
      const p = twoWay(j.answers[o].labels.A, j.answers[o].labels.B)
      const firstWins = p > 0.5 ? 1 : p < 0.5 ? 0 : 0.5
      return o === 'AB' ? firstWins : 1 - firstWins
    }
    const credit = (pick('AB') + pick('BA')) / 2
    t.equal(j.credit, credit)
    sum += credit
  }
  const m = results(d).metrics
  t.equal(m.accuracy.value, sum / 320)
  // The fixture is a bigram LM: its next token after the prompt never depends on which answer came first.
  t.equal(m['judge/first-position'].value, 1, 'it always names the first shown: pure position bias…')
  t.equal(m['judge/position-consistency'].value, 0, '…so no winner survives the swap…')
  t.equal(m.accuracy.value, 0.5, '…and both orders together give exactly ½')
  t.equal(results(d).model.info.judge, 'label log-probs')
  const plain = await run(['suites/quickstart', '--model', 'onnx:fixtures/tiny-lm-policy', '--out', tmp()])
  t.equal(plain.code, 2)
  t.match(plain.stderr, /add \?judge=true/)
  const rm = await run(['suites/quickstart', '--model', 'onnx:fixtures/quickstart-rm?judge=true', '--out', tmp()])
  t.match(rm.stderr, /E_MODEL_SPEC.*sequence classifier/)
})

t.test('a served chat judge on the quickstart pairs: label log-probs like the local LM; generated verdicts parsed, kept, cached', async (t) => {
  const s = await new ModelServer({ lm: LM, name: 'judge-lm' }).start()
  t.teardown(() => s.stop())
  const d = quickstartWith('  labels: ["2", "3"]')
  t.equal((await run([d, '--model', 'onnx:fixtures/tiny-lm-policy?judge=true', '--out', join(d, 'local')])).code, 0)
  const r = await run([d, '--model', `vllm:${s.url}?api=chat&top_logprobs=500`, '--out', join(d, 'chat')])
  t.equal(r.code, 0, r.stderr)
  const local = lines(join(d, 'local/judgments.jsonl'))
  const chat = lines(join(d, 'chat/judgments.jsonl'))
  let diff = 0
  chat.forEach((c, i) => {
    for (const o of ['AB', 'BA']) for (const l of ['A', 'B']) diff = Math.max(diff, Math.abs(c.answers[o].labels[l] - local[i].answers[o].labels[l]))
  })
  t.ok(diff < 1e-9, `label log-probs served = local (max |Δ| ${diff})`)
  t.same(results(join(d, 'chat')).metrics.accuracy, results(join(d, 'local')).metrics.accuracy)
  // Both labels of one prompt share a call; equal prompts (the quickstart repeats some pairs) are asked once.
  t.equal(s.stats.byPath['/v1/chat/completions'], results(join(d, 'chat')).counts.unique / 2, 'one chat call per distinct (pair, order)')

  // A judge that answers in text: the ab prompt, a few generated tokens, read by the ab rule; every answer kept.
  const g = quickstartWith('  prompt: ab\n  max_tokens: 6')
  const cache = tmp()
  const env = { RMBENCH_NO_CACHE: undefined, RMBENCH_CACHE_DIR: cache }
  const before = s.stats.byPath['/v1/chat/completions']
  const gen = await run([g, '--model', `vllm:${s.url}?api=chat`, '--limit', '24', '--out', join(g, 'gen')], env)
  t.equal(gen.code, 0, gen.stderr)
  const asked = results(join(g, 'gen')).counts.unique / 2
  t.equal(s.stats.byPath['/v1/chat/completions'] - before, asked, 'one generation per distinct (pair, order)')
  const said = lines(join(g, 'gen/judgments.jsonl'))
  const outputs = said.flatMap((j) => ['AB', 'BA'].map((o) => j.answers[o].output))
  t.ok(outputs.every((o) => typeof o === 'string'), 'the raw answer of every order is kept')
  // The ab rule by hand: the trimmed answer is exactly "Output (a)" or "Output (b)".
  const unreadable = outputs.filter((o) => o.trim() !== 'Output (a)' && o.trim() !== 'Output (b)').length
  const gm = results(join(g, 'gen'))
  t.same([gm.metrics['judge/unparseable'].value, gm.metrics['judge/unparseable'].n], [unreadable / 48, 48])
  t.ok(said.some((j) => j.answers.AB.unreadable), 'why a verdict could not be read is kept beside the text')
  t.ok(gm.provenance.judge.usage.prompt_tokens > 0 && gm.provenance.judge.usage.completion_tokens > 0, 'token usage recorded')
  t.equal(gm.complete, true)
  // Asked again in a fresh folder: every verdict comes from the shared cache, texts included; the server is not asked.
  const again = await run([g, '--model', `vllm:${s.url}?api=chat`, '--limit', '24', '--out', join(g, 'again')], env)
  t.equal(again.code, 0, again.stderr)
  t.equal(s.stats.byPath['/v1/chat/completions'] - before, asked, 'no new generations')
  t.same(lines(join(g, 'again/judgments.jsonl')), said)
  t.same(results(join(g, 'again')).metrics, gm.metrics)
  const report = readFileSync(join(g, 'gen/report.html'), 'utf8')
  t.match(report, /judge said/, "the worst examples show the judge's answers")
})

t.test('RewardBench 2 rating mode from logged ratings: 1/k on tied top ratings; a style matrix judged cell by cell', async (t) => {
  const prompts = ['p1', 'p2', 'p3', 'p4']
  const d = tmp({
    'data.jsonl': prompts.map((id, i) => JSON.stringify({ id, subset: i < 2 ? 'Math' : 'Focus', prompt: `question ${id}`, chosen: [`good ${id}`], rejected: ['r1', 'r2', 'r3'].map((r) => `${r} ${id}`) })).join('\n') + '\n',
    // p1: 9 ties one 9 → ½; p2: 8 ties two 8s → ⅓ (one line per completion); p3: beaten → 0; p4: unreadable chosen → 0.
    'ratings.jsonl': [
      JSON.stringify({ id: 'p1', ratings: [9, 9, 5, 3] }),
      ...[8, 8, 8, 2].map((rating, completion) => JSON.stringify({ id: 'p2', completion, rating })),
      JSON.stringify({ id: 'p3', ratings: [7, 9, 1, 1] }),
      JSON.stringify({ id: 'p4', ratings: [null, 2, 2, 2] }),
    ].join('\n') + '\n',
    'suite.yaml': 'name: bon-judge\ntask: best-of-n\ndata: { source: data.jsonl }\njudge: { prompt: rating }\nstats: { bootstrap: 200 }\n',
  })
  const r = await run([d, '--model', `verdicts:${join(d, 'ratings.jsonl')}`, '--out', join(d, 'out')])
  t.equal(r.code, 0, r.stderr)
  const m = results(join(d, 'out')).metrics
  t.equal(m['accuracy/Math'].value, (1 / 2 + 1 / 3) / 2)
  t.equal(m['accuracy/Focus'].value, 0)
  t.equal(m.score.value, (1 / 2 + 1 / 3) / 4)
  t.same([m['judge/unparseable'].value, m['judge/unparseable'].n], [1 / 16, 16])
  t.match(results(join(d, 'out')).provenance.judge, { mode: 'rating', prompt: 'rating', parse: 'rating', scale: [1, 10] })

  const cells: Record<string, { AB: string; BA: string }> = {}
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cells[`${i}-${j}`] = i <= j ? { AB: 'A', BA: 'B' } : { AB: 'A', BA: 'A' }
  const sm = tmp({
    'data.jsonl': JSON.stringify({ id: 'm1', subset: 'chat', prompt: 'q', chosen: ['c0', 'c1', 'c2'], rejected: ['r0', 'r1', 'r2'] }) + '\n',
    'log.jsonl': JSON.stringify({ id: 'm1', cells }) + '\n',
    'suite.yaml': 'name: sm-judge\ntask: style-matrix\ndata: { source: data.jsonl }\nstats: { bootstrap: 0 }\n',
  })
  const rs = await run([sm, '--model', `verdicts:${join(sm, 'log.jsonl')}`, '--out', join(sm, 'out')])
  t.equal(rs.code, 0, rs.stderr)
  const ms = results(join(sm, 'out')).metrics
  // Upper triangle and diagonal right in both orders (1); lower triangle picks the first shown both times (½).
  t.same([ms.hard.value, ms.normal.value, ms.easy.value], [1, 1, 0.5])
})

t.test('compare: a judge beside a reward model on the same suite, McNemar on paired credits', async (t) => {
  const d = tmp()
  t.equal((await run(['suites/judgebench-example', '--model', 'verdicts:./suites/judgebench-example/judge-log.jsonl', '--out', join(d, 'judge')])).code, 0)
  t.equal((await run(['suites/judgebench-example', '--model', 'baseline:length', '--out', join(d, 'length')])).code, 0)
  const c = await cliAsync(['compare', join(d, 'length'), join(d, 'judge'), '--json'])
  t.equal(c.code, 0, c.stderr)
  const acc = JSON.parse(c.stdout).metrics.find((m: { metric: string }) => m.metric === 'accuracy')
  t.equal(acc.test, 'mcnemar-exact', 'an exact McNemar test: every pair is right or wrong in both runs (vote)')
  // Discordant pairs by hand from the two runs' per-pair credits.
  const credits = (dir: string) => new Map(lines(join(dir, 'scores.jsonl')).map((r) => [r.id, r.credit]))
  const [cl, cj] = [credits(join(d, 'length')), credits(join(d, 'judge'))]
  const onlyLength = [...cl].filter(([id, c]) => c === 1 && cj.get(id) === 0).length
  const onlyJudge = [...cl].filter(([id, c]) => c === 0 && cj.get(id) === 1).length
  t.same(acc.discordant, [onlyLength, onlyJudge])
  t.equal(acc.b, results(join(d, 'judge')).metrics.accuracy.value)
  // On a leaderboard the judge ranks beside the reward model, flagged as generative.
  const lb = await cliAsync(['leaderboard', join(d, 'judge'), join(d, 'length'), '--out', join(d, 'site')])
  t.equal(lb.code, 0, lb.stderr)
  const csv = readFileSync(join(d, 'site/leaderboard.csv'), 'utf8').trim().split('\n').map((l) => l.split(','))
  const col = csv[0].indexOf('generative')
  t.same(csv.slice(1).map((r) => [r[3], r[col]]).sort(), [['baseline-length-chars', 'false'], ['verdicts-judge-log', 'true']])
  t.match(readFileSync(join(d, 'site/index.html'), 'utf8'), /verdicts-judge-log<\/a><span class="gen"[^>]*>generative</)
})

t.test("validate reads a judge block as a judge run would; a judge cannot stream", async (t) => {
  const d = tmp({ 'suite.yaml': 'name: s\ntask: best-of-n\ndata: { source: d.jsonl }\njudge: { prompt: mt-bench }\n' })
  const v = await cliAsync(['validate', d, 'suites/judgebench'])
  t.equal(v.code, 2)
  t.match(v.stderr, /judge\.prompt 'mt-bench' asks for a verdict between two responses, but this task needs ratings/)
  t.match(v.stdout, /ok {4}suites\/judgebench/)
  const s = await run(['suites/judgebench-example', '--model', 'verdicts:./suites/judgebench-example/judge-log.jsonl', '--stream', '--out', tmp()])
  t.equal(s.code, 2)
  t.match(s.stderr, /cannot stream: model verdicts-judge-log is an LLM judge/)
})

t.test('a local judge in shards, merged: the unsharded run, judgments included', async (t) => {
  const d = tmp()
  const spec = 'onnx:fixtures/tiny-lm-policy?judge=true'
  t.equal((await run(['suites/quickstart', '--model', spec, '--limit', '64', '--out', join(d, 'whole')])).code, 0)
  for (const i of [1, 2]) t.equal((await run(['suites/quickstart', '--model', spec, '--limit', '64', '--shard', `${i}/2`, '--out', join(d, `s${i}`)])).code, 0)
  const m = await cliAsync(['merge', join(d, 's1'), join(d, 's2'), '--out', join(d, 'merged')])
  t.equal(m.code, 0, m.stderr)
  t.same(results(join(d, 'merged')).metrics, results(join(d, 'whole')).metrics)
  t.same(lines(join(d, 'merged/judgments.jsonl')), lines(join(d, 'whole/judgments.jsonl')))
  t.match(results(join(d, 'merged')).provenance.judge, { mode: 'pairwise', prompt: 'letter' })
})
