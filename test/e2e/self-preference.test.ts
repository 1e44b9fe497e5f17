import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createRunner, parseModelSpec } from '../../src/runners/registry.ts'
import { pairwisePrompt } from '../../src/tasks/self-preference/judge-prompt.ts'
import { cli, jsonl, ROOT, tmp } from './helpers.ts'

const MINI = 'suites/self-preference-mini'
const LOG = `verdicts:./${MINI}/judge-lm-verdicts.jsonl`
const readRows = (out: string) => readFileSync(join(out, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))

t.test('the offline example: DBG and friends from logged verdicts, by hand', async (t) => {
  const out = join(tmp(), 'run')
  const r = cli(['run', MINI, '--model', LOG, '--out', out, '--json', '-q'])
  t.equal(r.code, 0, r.stderr)
  const m = JSON.parse(r.stdout).metrics
  // Items 1–7 hold judge-lm's response (item 8 too, but its AB verdict is unreadable). Judge's own wins:
  // 1, 1, 1, 1, ½ (item 5 names the first shown in both orders), 1, 0 → 5.5/7; gold: 1, 1, 1, ½ (tie), 0, 0, 0 → 3.5/7.
  t.ok(Math.abs(m.dbg.value - 2 / 7) < 1e-12, `DBG ${m.dbg.value}`)
  t.equal(m.dbg.n, 7)
  t.ok(m.dbg.ci[0] <= m.dbg.value && m.dbg.value <= m.dbg.ci[1], 'paired-bootstrap CI around it')
  t.ok(Math.abs(m['win-rate/judge-own'].value - 5.5 / 7) < 1e-12)
  t.ok(Math.abs(m['win-rate/gold-own'].value - 3.5 / 7) < 1e-12)
  // Hard verdicts agree on items 1, 2, 3, 7, 9, 11 (tie = tie), 12.
  t.ok(Math.abs(m.agreement.value - 7 / 11) < 1e-12)
  t.ok(Math.abs(m['position/flips'].value - 1 / 11) < 1e-12, 'only item 5 changes winner with the order')
  t.same([m['judge/unparseable'].value, m['judge/unparseable'].n, m['judge/unparseable'].ci], [1 / 12, 12, undefined], 'counted, never a tie, no interval')
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))
  t.equal(res.complete, false)
  t.match(res.errors, [{ id: '8', code: 'E_VERDICT', message: /order AB: verdict "I cannot decide" is not A, B, tie/ }])
  const rows = readRows(out)
  t.match(rows[0], { id: '1', models: ['judge-lm', 'helper-7b'], own: 'A', gold: 1, judge: 1 })
  const html = readFileSync(join(out, 'report.html'), 'utf8')
  t.match(html, /data-chart="self-win-rate"><svg/)

  const other = cli(['run', MINI, '--model', LOG, '--out', join(tmp(), 'h'), '--judge', 'helper-7b', '--json', '-q'])
  t.equal(other.code, 0, other.stderr)
  const o = JSON.parse(other.stdout)
  t.equal(o.suite.spec.judge.name, 'helper-7b', '--judge wins over the suite and is recorded')
  t.equal(o.metrics.dbg.n, 8, 'helper-7b wrote a response in 8 of the 11 scored items')
})

t.test('a local causal LM as judge: P(A) from the next-token log-probs of the labels, both orders', async (t) => {
  const out = join(tmp(), 'lm')
  const r = cli(['run', MINI, '--model', 'onnx:./fixtures/tiny-lm-policy', '--out', out, '-q', '--limit', '3'])
  t.equal(r.code, 0, r.stderr)
  const rows = readRows(out)
  t.equal(rows.length, 3)
  // The same LM asked directly: log p('A') and log p('B') after the judge prompt, in each order.
  const lm = await createRunner(parseModelSpec('onnx:./fixtures/tiny-lm-policy'), { warn: () => {}, cwd: ROOT })
  t.teardown(() => lm.dispose?.())
  const data = readFileSync(join(ROOT, MINI, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  for (const row of rows) {
    const d = data.find((x) => x.id === row.id)
    const ex = { id: d.id, group: 'default', prompt: [{ role: 'user', content: d.question }], chosen: [d.answer_a], rejected: [d.answer_b], origin: { file: '', line: 0 } }
    const p = async (order: 'AB' | 'BA') => {
      const prompt = pairwisePrompt(undefined, ex, order)
      const [a, b] = await lm.logprob!([{ prompt, response: 'A' }, { prompt, response: 'B' }])
      return 1 / (1 + Math.exp(('value' in b ? b.value : NaN) - ('value' in a ? a.value : NaN)))
    }
    const [pAB, pBA] = [await p('AB'), await p('BA')]
    t.ok(Math.abs(row.pAB - pAB) < 1e-9 && Math.abs(row.pBA - pBA) < 1e-9, `item ${row.id}: P(first) ${row.pAB} / ${row.pBA}`)
    t.ok(Math.abs(row.judge - (pAB + 1 - pBA) / 2) < 1e-9, 'P(A) averages the two orders')
  }
})

t.test('pointwise ratings: self term − other term from logged scores; bad input is a coded error', async (t) => {
  const d = tmp({
    'suite.yaml': 'name: rate\ntask: self-preference\ndata: { source: d.jsonl, fields: { response: answer, model: model, gold_score: human } }\njudge: { name: judge-lm, mode: pointwise }\n',
    'd.jsonl': jsonl([
      { id: 'r1', prompt: 'q1', answer: 'a', model: 'judge-lm', human: 6 },
      { id: 'r2', prompt: 'q2', answer: 'b', model: 'judge-lm', human: 4 },
      { id: 'r3', prompt: 'q3', answer: 'c', model: 'other', human: 7 },
      { id: 'r4', prompt: 'q4', answer: 'd', model: 'other', human: 5 },
    ]),
  })
  writeFileSync(join(d, 'log.jsonl'), jsonl([{ id: 'r1', score: 9 }, { id: 'r2', score: 7 }, { id: 'r3', score: 8 }, { id: 'r4', score: 6 }]))
  const r = cli(['run', d, '--model', `verdicts:${join(d, 'log.jsonl')}`, '--out', join(d, 'o'), '--json', '-q'])
  t.equal(r.code, 0, r.stderr)
  const m = JSON.parse(r.stdout).metrics
  // Own: 9−6, 7−4 → 3; other: 8−7, 6−5 → 1; DBG-pointwise 2 rating points.
  t.same([m['pointwise/self-term'].value, m['pointwise/other-term'].value, m['dbg-pointwise'].value], [3, 1, 2])
  writeFileSync(join(d, 'suite.yaml'), 'name: rate\ntask: self-preference\ndata: { source: d.jsonl, fields: { response: answer, model: model, gold_score: human } }\n')
  const missing = cli(['run', d, '--model', `verdicts:${join(d, 'log.jsonl')}`, '--out', join(d, 'y')])
  t.equal(missing.code, 2)
  t.match(missing.stderr, /E_SUITE_SCHEMA: suite 'rate': name the judge/)
  writeFileSync(join(d, 'bad.jsonl'), jsonl([{ id: 'q', prompt: 'p', answer_a: 'a', answer_b: 'b', model_a: 'x', model_b: 'y', winner: 'both good' }]))
  writeFileSync(join(d, 'suite.yaml'), 'name: bad\ntask: self-preference\ndata: { source: bad.jsonl, fields: { responses: [answer_a, answer_b], models: [model_a, model_b], gold: winner } }\njudge: { name: x }\n')
  const bad = cli(['run', d, '--model', `verdicts:${join(d, 'log.jsonl')}`, '--out', join(d, 'z')])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /E_DATA_FIELD: .*bad\.jsonl:1: gold verdict 'winner' is "both good"; expected A, B or tie/)
})
