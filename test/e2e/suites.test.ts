import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetWriteBuffer } from 'hyparquet-writer'
import t from 'tap'
import { lmSetRunner } from '../../src/runners/expression/expression-runner.ts'
import { createRunner, parseModelSpec } from '../../src/runners/registry.ts'
import { runSuite } from '../../src/run/run-suite.ts'
import { loadSuite } from '../../src/suite/load-suite.ts'
import type { SourceSpec, Suite } from '../../src/suite/types.ts'
import { Hub } from '../../src/hub/hub-client.ts'
import { parseHubSource } from '../../src/hub/hub-uri.ts'
import { hubSettings } from '../../src/hub/settings.ts'
import { FakeHub } from '../fake-hub/fake-hub.ts'
import { cli, ROOT, tmp } from './helpers.ts'

// The bundled hub suites cannot download here: serve stand-in files of the same schema from a local hub at
// the repositories, revisions and paths the suites name, and run the suites' own sources through the real hub
// code. Only the sha256 pins are dropped (stand-ins are other bytes); every other setting is the suite's.
async function withStandIns(t: { teardown(f: () => unknown): void }, name: string, repos: Record<string, Record<string, string | Uint8Array>>): Promise<{ suite: Suite; hub: () => Hub }> {
  const suite = loadSuite(join(ROOT, 'suites', name))
  const sources = (Array.isArray(suite.spec.data) ? suite.spec.data : [suite.spec.data]) as SourceSpec[]
  const fake = new FakeHub()
  for (const [repo, files] of Object.entries(repos)) {
    const s = sources.find((x) => parseHubSource(x.source).repo.name === repo)!
    const rev = parseHubSource(s.source).revision
    fake.add('dataset', repo, files, /^[0-9a-f]{40}$/.test(rev) ? { sha: rev } : { branch: rev })
  }
  await fake.start()
  t.teardown(() => fake.stop())
  const hub = new Hub(hubSettings({ env: { HF_ENDPOINT: fake.url, HF_HUB_CACHE: tmp() } }))
  const unpinned = sources.map(({ sha256: _pin, ...s }) => s)
  return { suite: { ...suite, spec: { ...suite.spec, data: unpinned } }, hub: () => hub }
}
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
const ctx = { warn: () => {}, cwd: ROOT }

/** The charts report.html drew inline, in page order (a failed chart has no <svg>). */
const drawnCharts = (out: string) => [...readFileSync(join(out, 'report.html'), 'utf8').matchAll(/data-chart="([^"]+)"><svg/g)].map((m) => m[1])

t.test('rewardbench: filtered parquet + prior sets, sections by the reference counts', async (t) => {
  const d = tmp()
  // Subsets with known length-baseline accuracy: chosen longer → right.
  const rows = [
    { id: 1n, subset: 'alpacaeval-easy', chosen: 'long answer', rejected: 'short' },
    { id: 2n, subset: 'alpacaeval-easy', chosen: 'tiny', rejected: 'longer one' },
    { id: 3n, subset: 'mt-bench-easy', chosen: 'longer', rejected: 'x' },
    { id: 4n, subset: 'math-prm', chosen: 'a much longer one', rejected: 'b' },
    { id: 5n, subset: 'hep-python', chosen: 'c', rejected: 'dd' },
  ]
  const pq = parquetWriteBuffer({
    columnData: [
      { name: 'prompt', data: rows.map(() => 'q'), type: 'STRING' },
      { name: 'chosen', data: rows.map((r) => r.chosen), type: 'STRING' },
      { name: 'chosen_model', data: rows.map(() => 'm'), type: 'STRING' },
      { name: 'rejected', data: rows.map((r) => r.rejected), type: 'STRING' },
      { name: 'rejected_model', data: rows.map(() => 'm'), type: 'STRING' },
      { name: 'subset', data: rows.map((r) => r.subset), type: 'STRING' },
      { name: 'id', data: BigInt64Array.from(rows.map((r) => r.id)), type: 'INT64' },
    ],
  })
  // pref-test-sets rows carry their own 'subset' column and message-list prompts; the suite's per-source group names the prior set.
  const prior = (name: string, right: boolean) => jsonl([{ id: `${name}-0`, subset: 'whatever', prompt: [{ role: 'user', content: 'q' }], chosen: right ? 'longer' : 'a', rejected: right ? 'a' : 'longer' }])
  const { suite, hub } = await withStandIns(t, 'rewardbench', {
    'allenai/reward-bench': { 'data/filtered-00000-of-00001.parquet': new Uint8Array(pq) },
    'allenai/pref-test-sets': {
      'data/anthropic_helpful-00000-of-00001.jsonl': prior('helpful', true), 'data/anthropic_hhh-00000-of-00001.jsonl': prior('hhh', false),
      'data/shp-00000-of-00001.jsonl': prior('shp', true), 'data/summarize-00000-of-00001.jsonl': prior('summarize', true),
      'data/anthropic_harmless-00000-of-00001.jsonl': prior('harmless', false),
    },
  })
  const runner = await createRunner(parseModelSpec('baseline:length'), ctx)
  const { result } = await runSuite({ suite, runner, modelSpec: 'baseline:length', outDir: join(d, 'out'), hub })
  t.equal(result!.provenance.dataSources[0].commit, '168d848cdbbea9764fae4a544dc9ca1e6cca4931', 'the pinned commit is what was read')
  const m = result!.metrics
  t.equal(m['accuracy/alpacaeval-easy'].value, 0.5)
  t.equal(m['section/Chat'].value, (0.5 * 100 + 1 * 28) / 128, 'Chat = Σ acc·count / Σ count over measured subsets')
  t.equal(m['section/Reasoning'].value, 984 / (984 + 164), 'math-prm weighs 984')
  t.equal(m['section/Prior Sets'].value, 0.75, 'plain mean of the four prior sets (one wrong)')
  t.equal(m['accuracy/anthropic_hhh'].value, 0, "source group wins over the rows' own subset column")
  const chat = (0.5 * 100 + 28) / 128
  const reasoning = 984 / 1148
  t.ok(Math.abs(m.score.value - (chat + reasoning + 0.5 * 0.75) / 2.5) < 1e-12, 'Prior Sets at half weight')
  t.ok(Math.abs(m['score/sections-mean'].value - (chat + reasoning) / 2) < 1e-12)
  t.ok(m['length/baseline'], 'length-bias analysis attached')
})

t.test('rewardbench-2: best-of-4 credit and Ties from precomputed scores', async (t) => {
  const d = tmp()
  const rows = [
    { id: 'f1', subset: 'Factuality', prompt: 'q', chosen: ['c'], rejected: ['r1', 'r2', 'r3'], num_correct: 1 },
    { id: 'f2', subset: 'Factuality', prompt: 'q', chosen: ['c'], rejected: ['r1', 'r2', 'r3'], num_correct: 1 },
    { id: 'ref:1', subset: 'Ties', prompt: 'q', chosen: ['c'], rejected: ['r'], num_correct: 1 },
    { id: 'tied:1', subset: 'Ties', prompt: 'q', chosen: ['c1', 'c2'], rejected: ['r'], num_correct: 2 },
  ]
  writeFileSync(join(d, 'scores.jsonl'), jsonl([
    { id: 'f1', scores: [4, 1, 2, 3] }, // 1
    { id: 'f2', scores: [4, 4, 4, 1] }, // 1/3
    { id: 'ref:1', scores: [5, 2] },
    { id: 'tied:1', scores: [6, 4, 3] },
  ]))
  const cols = ['id', 'subset', 'prompt'] as const
  const pq = parquetWriteBuffer({ columnData: [
    ...cols.map((c) => ({ name: c, data: rows.map((r) => r[c]), type: 'STRING' as const })),
    { name: 'chosen', data: rows.map((r) => r.chosen), type: 'JSON' as const },
    { name: 'rejected', data: rows.map((r) => r.rejected), type: 'JSON' as const },
  ] })
  const { suite, hub } = await withStandIns(t, 'rewardbench-2', { 'allenai/reward-bench-2': { 'data/test-00000-of-00001.parquet': new Uint8Array(pq) } })
  const runner = await createRunner(parseModelSpec(`precomputed:${join(d, 'scores.jsonl')}`), ctx)
  const { result } = await runSuite({ suite, runner, modelSpec: 'pre', outDir: join(d, 'out'), hub })
  const m = result!.metrics
  t.ok(Math.abs(m['accuracy/Factuality'].value - (1 + 1 / 3) / 2) < 1e-15)
  // ref acc 1, tied acc 1, cp: tied gap 1 > spread 2? no; hard: min(3,1)=1 > 2? no; margin tanh(1/2 − 1)
  t.ok(Math.abs(m['accuracy/Ties'].value - (0.3 + 0.3 + 0.01 * Math.tanh(-0.5))) < 1e-15)
  t.ok(Math.abs(m.score.value - ((1 + 1 / 3) / 2 + m['accuracy/Ties'].value) / 2) < 1e-15)
  t.equal(result!.complete, true)
  t.same(drawnCharts(join(d, 'out')), ['subset-accuracy', 'margin-distribution', 'reward-length', 'length-accuracy'])
})

t.test('rm-bench: style matrix per domain, safety pooled', async (t) => {
  const d = tmp()
  const rows = [
    { id: 'c1', domain: 'chat', prompt: 'q', chosen: ['a', 'b', 'c'], rejected: ['d', 'e', 'f'] },
    { id: 's1', domain: 'safety-refuse', prompt: 'q', chosen: ['a', 'b', 'c'], rejected: ['d', 'e', 'f'] },
    { id: 's2', domain: 'safety-response', prompt: 'q', chosen: ['a', 'b', 'c'], rejected: ['d', 'e', 'f'] },
  ]
  // chat: chosen [1,2,3] vs rejected [2,2,2] → row i beats all j when chosen_i > 2: only i=2.
  writeFileSync(join(d, 'scores.jsonl'), jsonl([{ id: 'c1', chosen: [1, 2, 3], rejected: [2, 2, 2] }, { id: 's1', chosen: [1, 1, 1], rejected: [0, 0, 0] }, { id: 's2', chosen: [0, 0, 0], rejected: [1, 1, 1] }]))
  const { suite, hub } = await withStandIns(t, 'rm-bench', { 'THU-KEG/RM-Bench': { 'data/train-00000-of-00001.json': JSON.stringify(rows) } })
  const runner = await createRunner(parseModelSpec(`precomputed:${join(d, 'scores.jsonl')}`), ctx)
  const { result } = await runSuite({ suite, runner, modelSpec: 'pre', outDir: join(d, 'out'), hub })
  const m = result!.metrics
  t.same([m['matrix/chat/2-0'].value, m['matrix/chat/1-1'].value, m['matrix/chat/0-2'].value], [1, 0, 0])
  t.equal(m['domain/chat'].value, 3 / 9)
  t.equal(m['domain/safety'].value, 0.5)
  t.equal(m['hard/chat'].value, 0, 'upper triangle 0-1, 0-2, 1-2: chosen 1 and 2 never beat 2')
  t.equal(m['easy/chat'].value, 2 / 3, 'lower triangle 1-0, 2-0, 2-1: only chosen 3 wins')
  t.equal(m.score.value, (3 / 9 + 0.5) / 2)
  t.same(drawnCharts(join(d, 'out')), ['style-matrix', 'domain-accuracy', 'margin-distribution', 'reward-length'], 'every answer is one character long: no longer/shorter split to draw')
})

t.test('CLI: precomputed scores with a missing id give an incomplete run, loudly', async (t) => {
  const d = tmp({
    'suite.yaml': 'name: pre\ntask: pairwise\ndata: { source: d.jsonl }\n',
    'd.jsonl': jsonl([{ id: 'a', prompt: 'p', chosen: 'x', rejected: 'y' }, { id: 'b', prompt: 'p', chosen: 'x', rejected: 'y' }]),
    's.jsonl': jsonl([{ id: 'a', chosen: 1, rejected: 0 }, { id: 'zzz', chosen: 1, rejected: 0 }]),
  })
  const r = cli(['run', d, '--model', `precomputed:${join(d, 's.jsonl')}`, '--out', join(d, 'out')])
  t.equal(r.code, 3, 'exit 3: completed with failures')
  t.match(r.stderr, /completed with failures: 1 of 2 examples failed, more than the 0 allowed/)
  t.match(r.stderr, /1 of 2 examples have no score/)
  t.match(r.stderr, /1 ids in .* are not in the suite/)
  t.match(r.stdout, /1\/2 examples scored, 1 FAILED/)
  const res = JSON.parse(readFileSync(join(d, 'out', 'results.json'), 'utf8'))
  t.equal(res.complete, false)
  t.same(res.errors, [{ id: 'b', code: 'E_MISSING_SCORE', message: `id 'b' is not in ${join(d, 's.jsonl')}` }])
  t.match(res.metrics.accuracy, { value: 1, n: 1 }, 'the missing example is left out, not counted as a tie or a zero')
})

t.test('ranking-accuracy: UltraFeedback-shaped conversations from the hub, policy and reference LMs', async (t) => {
  const d = tmp()
  const conv = (q: string, a: string) => [{ role: 'user', content: q }, { role: 'assistant', content: a }]
  const qs = readFileSync(join(ROOT, 'suites/quickstart/data.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 12).map((l) => JSON.parse(l))
  const rows = qs.map((q, i) => ({ prompt: q.prompt, prompt_id: `uf-${i}`, chosen: conv(q.prompt, q.chosen), rejected: conv(q.prompt, q.rejected), messages: conv(q.prompt, q.chosen), score_chosen: 8, score_rejected: 3 }))
  const { suite, hub } = await withStandIns(t, 'ranking-accuracy', { 'HuggingFaceH4/ultrafeedback_binarized': { 'data/test_prefs-00000-of-00001.jsonl': jsonl(rows), 'data/train_prefs-00000-of-00001.jsonl': jsonl(rows.slice(0, 1)) } })
  const lm = async (dir: string) => createRunner(parseModelSpec(`onnx:${join(ROOT, 'fixtures', dir)}`), ctx)
  const runner = lmSetRunner({ policy: await lm('tiny-lm-policy'), ref: await lm('tiny-lm-ref') })
  const { result } = await runSuite({ suite, runner, modelSpec: 'tiny', outDir: join(d, 'out'), hub })
  const m = result!.metrics
  t.equal(result!.counts.scored, 12, 'only the test_prefs split')
  const scores = readFileSync(join(d, 'out/scores.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  t.same(scores.map((s) => s.id), rows.map((r) => r.prompt_id))
  t.equal(m['ranking/R'].value, scores.filter((x) => x['policy/w'] >= x['policy/l']).length / 12, 'R from the recorded log-probs of the assistant turns')
  t.equal(m['ranking/dpo-accuracy'].value, scores.filter((x) => x['policy/w'] - x['ref/w'] > x['policy/l'] - x['ref/l']).length / 12)
  t.same(drawnCharts(join(d, 'out')), ['ranking-subsets', 'ranking-beta'])
  await runner.dispose?.()
})

t.test('mt-bench-judgments: MT-Bench-shaped conversations from the hub, human winners, gpt-4 as judge', async (t) => {
  const conv = (q: string, a: string) => [{ role: 'user', content: q }, { role: 'assistant', content: a }]
  const rows = [
    { question_id: 81, model_a: 'gpt-4', model_b: 'vicuna-13b-v1.2', winner: 'model_a', judge: 'expert_1', conversation_a: conv('q1', 'good'), conversation_b: conv('q1', 'bad'), turn: 1 },
    { question_id: 81, model_a: 'claude-v1', model_b: 'gpt-4', winner: 'model_a', judge: 'expert_2', conversation_a: conv('q1', 'fine'), conversation_b: conv('q1', 'meh'), turn: 1 },
    { question_id: 82, model_a: 'llama-13b', model_b: 'alpaca-13b', winner: 'tie', judge: 'expert_1', conversation_a: conv('q2', 'x'), conversation_b: conv('q2', 'y'), turn: 1 },
  ]
  const d = tmp()
  const { suite, hub } = await withStandIns(t, 'mt-bench-judgments', { 'lmsys/mt_bench_human_judgments': { 'data/human-00000-of-00001.jsonl': jsonl(rows), 'data/gpt4_pair-00000-of-00001.jsonl': jsonl(rows.slice(0, 1)) } })
  // A judge log that always answers for gpt-4: AB names the first in row 1 (gpt-4 at A), BA the first (gpt-4 at B shown first) in row 2.
  const ids = ['1', '2', '3'].map((n) => `human-00000-of-00001.jsonl:${n}`)
  writeFileSync(join(d, 'log.jsonl'), jsonl([{ id: ids[0], AB: 'A', BA: 'B' }, { id: ids[1], AB: 'B', BA: 'A' }, { id: ids[2], AB: 'tie', BA: 'tie' }]))
  const runner = await createRunner(parseModelSpec(`verdicts:${join(d, 'log.jsonl')}`), ctx)
  const { result } = await runSuite({ suite, runner, modelSpec: 'log', outDir: join(d, 'out'), hub })
  const m = result!.metrics
  t.equal(result!.counts.scored, 3, `only the human split, ids ${JSON.stringify(result!.errors)}`)
  // gpt-4's answer wins with the judge in both own rows (1 each); with the experts in row 1 only: DBG = 1 − ½.
  t.same([m['win-rate/judge-own'].value, m['win-rate/gold-own'].value, m.dbg.value, m.dbg.n], [1, 0.5, 0.5, 2])
  t.equal(m.agreement.value, 2 / 3, 'rows 1 and 3 agree')
})

t.test('judgebench: JudgeBench-shaped parquet from the hub, split gpt, text labels, a logged double-game judge', async (t) => {
  const subjects = ['biology', 'business', 'chemistry', 'computer science', 'economics', 'engineering', 'health', 'history', 'law', 'math', 'other', 'philosophy', 'physics', 'psychology']
  const rows = [
    ...subjects.map((s, i) => ({ pair_id: `k${i}`, source: `mmlu-pro-${s}`, label: i % 2 ? 'B>A' : 'A>B' })),
    { pair_id: 'r1', source: 'livebench-reasoning', label: 'A>B' },
    { pair_id: 'm1', source: 'livebench-math', label: 'B>A' },
    { pair_id: 'c1', source: 'livecodebench', label: 'A>B' },
  ]
  const file = (list: typeof rows) => new Uint8Array(parquetWriteBuffer({
    columnData: [
      { name: 'pair_id', data: list.map((r) => r.pair_id), type: 'STRING' },
      { name: 'original_id', data: list.map((_, i) => String(i)), type: 'STRING' },
      { name: 'source', data: list.map((r) => r.source), type: 'STRING' },
      { name: 'question', data: list.map((r) => `question ${r.pair_id}`), type: 'STRING' },
      { name: 'response_model', data: list.map(() => 'gpt-4o-2024-05-13'), type: 'STRING' },
      { name: 'response_A', data: list.map((r) => `A of ${r.pair_id}`), type: 'STRING' },
      { name: 'response_B', data: list.map((r) => `B of ${r.pair_id}`), type: 'STRING' },
      { name: 'label', data: list.map((r) => r.label), type: 'STRING' },
    ],
  }))
  const { suite, hub } = await withStandIns(t, 'judgebench', { 'ScalerLab/JudgeBench': { 'data/gpt-00000-of-00001.parquet': file(rows), 'data/claude-00000-of-00001.parquet': file(rows.slice(0, 1)) } })
  const d = tmp()
  // Knowledge: right in both orders (+2) but k3 (computer science, B better): AB says A>B (−1), BA says A>B,
  // the B shown first (+1): 0, wrong. r1: wrong both (−2). m1: tie + right (+1). c1: right once, no verdict once (+1).
  const right = (label: string) => (label === 'A>B' ? { AB: 'A>B', BA: 'B>A' } : { AB: 'B>A', BA: 'A>B' })
  writeFileSync(join(d, 'log.jsonl'), jsonl([
    ...rows.slice(0, 14).map((r) => ({ id: r.pair_id, ...(r.pair_id === 'k3' ? { AB: 'A>B', BA: 'A>B' } : right(r.label)) })),
    { id: 'r1', AB: 'B>A', BA: 'A>B' }, { id: 'm1', AB: 'A=B', BA: 'A>B' }, { id: 'c1', AB: 'A>B', BA: null },
  ]))
  const runner = await createRunner(parseModelSpec(`verdicts:${join(d, 'log.jsonl')}`), ctx)
  const { result } = await runSuite({ suite, runner, modelSpec: 'log', outDir: join(d, 'out'), hub })
  const m = result!.metrics
  t.equal(result!.counts.examples, 17, 'only the gpt split')
  t.equal(m['section/Knowledge'].value, 13 / 14)
  t.same([m['section/Reasoning'].value, m['section/Math'].value, m['section/Coding'].value], [0, 1, 1])
  t.equal(m.accuracy.value, 15 / 17)
  t.same([m['judge/unparseable'].value, m['judge/tie-rate'].value], [1 / 34, 1 / 33])
})
