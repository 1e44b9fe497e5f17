import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import t from 'tap'
import { loadSuite } from '../../suite/load-suite.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { judgeSettings } from './judge-settings.ts'

const suite = (judge: SuiteSpec['judge']): SuiteSpec => ({ name: 's', task: 'pairwise', data: { source: 'x' }, judge } as SuiteSpec)

t.test('defaults, bundled prompts and their rules; kinds must match', async (t) => {
  const d = judgeSettings(suite(undefined), 'pairwise')
  t.match(d, { prompt: 'letter', labels: ['A', 'B'], orders: ['AB', 'BA'], combine: 'mean', unparseable: 'wrong', ask: { parse: 'letter', maxTokens: 1 } })
  t.match(judgeSettings(suite({ prompt: 'arena-hard' }), 'pairwise'), { rule: { name: 'arena-hard' }, labels: ['[[A>B]]', '[[B>A]]'], ask: { maxTokens: 4096 } })
  t.match(judgeSettings(suite(undefined), 'rating'), { prompt: 'rating', rule: { name: 'rating' }, scale: [1, 10] })
  t.match(judgeSettings(suite({ prompt: 'mt-bench', max_tokens: 512, orders: 'AB' }), 'pairwise'), { orders: ['AB'], ask: { maxTokens: 512 } })
  t.throws(() => judgeSettings(suite({ prompt: 'mt-bench' }), 'rating'), { code: 'E_SUITE_SCHEMA', message: /asks for a verdict between two responses/ })
  t.throws(() => judgeSettings(suite({ parse: 'rating' }), 'pairwise'), { code: 'E_SUITE_SCHEMA', message: /reads ratings/ })
  t.throws(() => judgeSettings(suite({ scale: [5, 5] }), 'rating'), { code: 'E_SUITE_SCHEMA', message: /low to high/ })
  t.throws(() => judgeSettings(suite({ template: 'Which is better? {answer_a}' }), 'pairwise'), { code: 'E_SUITE_SCHEMA', message: /lacks \{question\}, \{answer_b\}/ })
  t.throws(() => judgeSettings(suite({ template: 'Rate {question}' }), 'rating'), { code: 'E_SUITE_SCHEMA', message: /lacks \{answer\}/ })
  t.not(judgeSettings(suite({ prompt: 'mt-bench' }), 'pairwise').promptHash, judgeSettings(suite({ prompt: 'mt-bench', parse: 'letter' }), 'pairwise').promptHash, 'the rule is part of the prompt hash')
})

t.test('judge.prompt names a file beside the suite: its text is the template (and the suite hash follows it)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rmbench-judge-'))
  writeFileSync(join(dir, 'my-judge.txt'), 'Q: {question}\nA: {answer_a}\nB: {answer_b}\nVerdict:\n')
  writeFileSync(join(dir, 'suite.yaml'), 'name: s\ntask: pairwise\ndata: { source: d.jsonl }\njudge: { prompt: my-judge.txt, parse: mt-bench }\n')
  const s1 = loadSuite(join(dir, 'suite.yaml'))
  t.equal(s1.spec.judge!.template, 'Q: {question}\nA: {answer_a}\nB: {answer_b}\nVerdict:')
  const j = judgeSettings(s1.spec, 'pairwise')
  t.match(j, { prompt: 'my-judge.txt', rule: { name: 'mt-bench' }, labels: ['A', 'B'] })
  writeFileSync(join(dir, 'my-judge.txt'), 'Q: {question}\n1: {answer_a}\n2: {answer_b}\n')
  t.not(loadSuite(join(dir, 'suite.yaml')).hash, s1.hash, 'another prompt text, another suite hash')
  writeFileSync(join(dir, 'suite.yaml'), 'name: s\ntask: pairwise\ndata: { source: d.jsonl, fields: { responses: [a, b], label: l, label_names: [x, x] } }\n')
  t.throws(() => loadSuite(join(dir, 'suite.yaml')), { code: 'E_SUITE_SCHEMA', message: /label_names/ }, 'two equal label names could not tell the responses apart')
  writeFileSync(join(dir, 'suite.yaml'), 'name: s\ntask: pairwise\ndata: { source: d.jsonl }\njudge: { prompt: mt-bnch }\n')
  t.throws(() => loadSuite(join(dir, 'suite.yaml')), { code: 'E_SUITE_SCHEMA', message: /judge\.prompt 'mt-bnch' is neither a bundled prompt nor a file.*Did you mean 'mt-bench'/ })
})
