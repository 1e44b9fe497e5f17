import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { SourceSpec } from '../suite/types.ts'
import { loadDataset, sampleInOrder } from './load-dataset.ts'

function dir(files: Record<string, string | Uint8Array>): string {
  const d = mkdtempSync(join(tmpdir(), 'rmbench-data-'))
  for (const [name, data] of Object.entries(files)) writeFileSync(join(d, name), data)
  return d
}
const row = (id: string, subset = 'g') => ({ id, subset, prompt: `p${id}`, chosen: `c${id}`, rejected: `r${id}` })
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

t.test('jsonl with RewardBench default columns', async (t) => {
  const d = dir({ 'd.jsonl': jsonl([row('a', 'x'), row('b', 'y')]) })
  const ds = await loadDataset([{ source: 'd.jsonl' }], d)
  t.same(ds.examples.map((e) => [e.id, e.group, e.prompt, e.chosen, e.rejected, e.origin.line]), [
    ['a', 'x', [{ role: 'user', content: 'pa' }], ['ca'], ['ra'], 1],
    ['b', 'y', [{ role: 'user', content: 'pb' }], ['cb'], ['rb'], 2],
  ])
  t.match(ds.hash, /^[0-9a-f]{16}$/)
})

t.test('json array, csv (quotes, CRLF, BOM) and parquet give the same examples', async (t) => {
  const rows = [row('1'), { ...row('2'), chosen: 'has, comma and "quotes"\nand a newline' }]
  const csv = '\uFEFFid,subset,prompt,chosen,rejected\r\n1,g,p1,c1,r1\r\n2,g,p2,"has, comma and ""quotes""\nand a newline",r2\r\n'
  const cols = ['id', 'subset', 'prompt', 'chosen', 'rejected'] as const
  const pq = new Uint8Array(parquetWriteBuffer({ columnData: cols.map((c) => ({ name: c, data: rows.map((r) => r[c]), type: 'STRING' as const })), codec: 'SNAPPY' }))
  const d = dir({ 'd.json': JSON.stringify(rows), 'd.csv': csv, 'd.parquet': pq, 'd.jsonl': jsonl(rows) })
  const want = (await loadDataset([{ source: 'd.jsonl' }], d)).examples.map(({ origin: _, ...e }) => e)
  for (const f of ['d.json', 'd.csv', 'd.parquet']) {
    const got = (await loadDataset([{ source: f }], d)).examples.map(({ origin: _, ...e }) => e)
    t.same(got, want, f)
  }
  const csvLines = (await loadDataset([{ source: 'd.csv' }], d)).examples.map((e) => e.origin.line)
  t.same(csvLines, [2, 3], 'csv rows report their file line (header is line 1)')
})

t.test('parquet across row groups, with int64 ids', async (t) => {
  const n = 25
  const pq = new Uint8Array(parquetWriteBuffer({
    columnData: [
      { name: 'id', data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) + 9007199254740993n), type: 'INT64' },
      { name: 'prompt', data: Array.from({ length: n }, (_, i) => `p${i}`), type: 'STRING' },
      { name: 'chosen', data: Array.from({ length: n }, () => 'c'), type: 'STRING' },
      { name: 'rejected', data: Array.from({ length: n }, () => 'r'), type: 'STRING' },
    ],
    rowGroupSize: 10,
  }))
  const ds = await loadDataset([{ source: 'x.parquet', group: 'pq' }], dir({ 'x.parquet': pq }))
  t.equal(ds.examples.length, n)
  t.equal(ds.examples[24].id, '9007199254741017', 'ids beyond 2^53 stay exact')
  t.equal(ds.examples[24].origin.line, 25)
  t.equal(ds.examples[0].group, 'pq', "the source's group when rows carry none")
})

t.test("label-indexed pairs (LLMBar's output_1/output_2/label) and nested columns", async (t) => {
  const rows = [{ input: 'q1', output_1: 'good', output_2: 'bad', label: 1 }, { input: 'q2', output_1: 'bad', output_2: 'good', label: 2 }]
  const d = dir({ 'l.json': JSON.stringify(rows), 'n.jsonl': jsonl([{ meta: { subset: 's', uid: 7 }, q: 'x', a: 'y', b: 'z' }]) })
  const ds = await loadDataset([{ source: 'l.json', group: 'llmbar', fields: { prompt: 'input', responses: ['output_1', 'output_2'], label: 'label' } }], d)
  t.same(ds.examples.map((e) => [e.chosen, e.rejected, e.id]), [[['good'], ['bad'], 'l.json:1'], [['good'], ['bad'], 'l.json:2']])
  const zero = dir({ 'z.json': JSON.stringify([{ input: 'q', a: 'A', b: 'B', y: 1 }]) })
  const z = await loadDataset([{ source: 'z.json', fields: { prompt: 'input', responses: ['a', 'b'], label: 'y', label_base: 0 } }], zero)
  t.same([z.examples[0].chosen, z.examples[0].rejected], [['B'], ['A']], 'label_base 0: label 1 names the second')
  const n = await loadDataset([{ source: 'n.jsonl', fields: { id: 'meta.uid', group: 'meta.subset', prompt: 'q', chosen: 'a', rejected: 'b' } }], d)
  t.same([n.examples[0].id, n.examples[0].group], ['7', 's'])
})

t.test('real LLMBar file through a field map', { skip: !existsSync('../shared/data/preference/llmbar/natural.json') && 'needs ../shared/data (absent)' }, async (t) => {
  const ds = await loadDataset([{ source: 'natural.json', group: 'llmbar-natural', fields: { prompt: 'input', responses: ['output_1', 'output_2'], label: 'label' } }], '../shared/data/preference/llmbar')
  t.equal(ds.examples.length, 100)
  const raw = JSON.parse(readFileSync('../shared/data/preference/llmbar/natural.json', 'utf8')) as { output_1: string; output_2: string; label: number }[]
  t.same(ds.examples[0].chosen, [raw[0].label === 1 ? raw[0].output_1 : raw[0].output_2])
})

t.test('response lists (best-of-n, style variants)', async (t) => {
  const d = dir({ 'b.jsonl': jsonl([{ id: 'b', prompt: 'p', chosen: ['c1'], rejected: ['r1', 'r2', 'r3'] }]) })
  const ex = (await loadDataset([{ source: 'b.jsonl' }], d)).examples[0]
  t.same([ex.chosen, ex.rejected], [['c1'], ['r1', 'r2', 'r3']])
})

t.test('multi-turn prompts as message lists', async (t) => {
  const msgs = [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'more?' }]
  const d = dir({ 'm.jsonl': jsonl([{ id: 'm', prompt: msgs, chosen: 'c', rejected: 'r' }]) })
  t.same((await loadDataset([{ source: 'm.jsonl' }], d)).examples[0].prompt, msgs)
  const bad = dir({ 'm.jsonl': jsonl([{ id: 'm', prompt: [{ role: 'user' }], chosen: 'c', rejected: 'r' }]) })
  await t.rejects(loadDataset([{ source: 'm.jsonl' }], bad), { code: 'E_DATA_FIELD', message: /m\.jsonl:1: prompt must be a string or a non-empty list/ })
})

t.test('limit, seeded sample (order kept), whole-suite limit', async (t) => {
  const d = dir({ 'd.jsonl': jsonl(Array.from({ length: 50 }, (_, i) => row(String(i)))) })
  t.same((await loadDataset([{ source: 'd.jsonl', limit: 3 }], d)).examples.map((e) => e.id), ['0', '1', '2'])
  const a = (await loadDataset([{ source: 'd.jsonl', sample: { n: 10, seed: 4 } }], d)).examples.map((e) => Number(e.id))
  const b = (await loadDataset([{ source: 'd.jsonl', sample: { n: 10, seed: 4 } }], d)).examples.map((e) => Number(e.id))
  const c = (await loadDataset([{ source: 'd.jsonl', sample: { n: 10, seed: 5 } }], d)).examples.map((e) => Number(e.id))
  t.same(a, b, 'same seed, same sample')
  t.not(a.join(), c.join(), 'another seed, another sample')
  t.same(a, [...a].sort((x, y) => x - y), 'file order kept')
  t.equal(new Set(a).size, 10)
  t.equal((await loadDataset([{ source: 'd.jsonl' }], d, { limit: 7 })).examples.length, 7)
  t.same(sampleInOrder([1, 2], { n: 5 }), [1, 2])
})

t.test('bad data: each a coded error naming file and line', async (t) => {
  const cases: [string, Record<string, string>, object, RegExp][] = [
    ['malformed jsonl row', { 'd.jsonl': jsonl([row('a')]) + '{"id": "b", oops\n' }, { source: 'd.jsonl' }, /d\.jsonl:2: not valid JSON/],
    ['missing column', { 'd.jsonl': jsonl([{ id: 'a', prompt: 'p', chosen: 'c' }]) }, { source: 'd.jsonl' }, /d\.jsonl:1: column 'rejected' \(for rejected\) not found; the row has: id, prompt, chosen/],
    ['non-string response', { 'd.jsonl': jsonl([{ ...row('a'), chosen: 3 }]) }, { source: 'd.jsonl' }, /d\.jsonl:1: chosen \('chosen'\) must be a string, got number/],
    ['non-string in a response list', { 'd.jsonl': jsonl([{ ...row('a'), rejected: ['x', null] }]) }, { source: 'd.jsonl' }, /d\.jsonl:1: rejected \('rejected'\)\[1\] must be a string, got null/],
    ['explicit id column missing', { 'd.jsonl': jsonl([row('a')]) }, { source: 'd.jsonl', fields: { id: 'uid' } }, /column 'uid' \(for id\) not found/],
    ['bad label', { 'd.json': JSON.stringify([{ q: 'q', a: 'a', b: 'b', y: 3 }]) }, { source: 'd.json', fields: { prompt: 'q', responses: ['a', 'b'], label: 'y' } }, /d\.json:1: label 'y' is 3; expected 1 or 2/],
    ['empty file', { 'd.jsonl': '\n\n' }, { source: 'd.jsonl' }, /d\.jsonl has no rows/],
    ['row not an object', { 'd.jsonl': '[1,2]\n' }, { source: 'd.jsonl' }, /d\.jsonl:1: a row must be an object/],
    ['json not an array', { 'd.json': '{"a": 1}' }, { source: 'd.json' }, /expected a JSON array of rows/],
    ['truncated json', { 'd.json': '[{"a": 1}' }, { source: 'd.json' }, /d\.json: not valid JSON/],
    ['csv with a ragged row', { 'd.csv': 'id,prompt,chosen,rejected\n1,p,c\n' }, { source: 'd.csv' }, /d\.csv:2: malformed CSV/],
    ['unreadable parquet', { 'd.parquet': 'PAR1 this is not parquet' }, { source: 'd.parquet' }, /d\.parquet: unreadable parquet/],
    ['unknown extension', { 'd.txt': 'x' }, { source: 'd.txt' }, /cannot tell the format from extension '\.txt'/],
    ['missing file', {}, { source: 'nope.jsonl' }, /data file .*nope\.jsonl not found/],
    ['duplicate ids', { 'd.jsonl': jsonl([row('a'), row('a')]) }, { source: 'd.jsonl' }, /d\.jsonl:2: duplicate id 'a' \(first at .*d\.jsonl:1\)/],
    ['hub source without a split', {}, { source: 'hf://datasets/x' }, /expected hf:\/\/datasets/],
  ]
  for (const [name, files, src, msg] of cases) await t.rejects(loadDataset([src as never], dir(files)), { message: msg }, name)
})

t.test('conversation-shaped responses (UltraFeedback, HH as messages): the response is the final assistant turn', async (t) => {
  const conv = (user: string, reply: string) => [{ role: 'user', content: user }, { role: 'assistant', content: reply }]
  const d = dir({
    'uf.jsonl': jsonl([{ prompt_id: 'p1', prompt: 'Hi?', chosen: conv('Hi?', 'Hello!'), rejected: conv('Hi?', 'Go away.') }]),
    'hh.jsonl': jsonl([{ chosen: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'good' }],
      rejected: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'bad' }] }]),
    'bon.jsonl': jsonl([{ prompt: 'q', chosen: [conv('q', 'c1')], rejected: [conv('q', 'r1'), conv('q', 'r2')] }]),
    'mismatch.jsonl': jsonl([{ chosen: conv('x', 'a'), rejected: conv('y', 'b') }]),
    'user-last.jsonl': jsonl([{ prompt: 'q', chosen: [{ role: 'assistant', content: 'a' }, { role: 'user', content: 'b' }], rejected: 'r' }]),
  })
  const uf = await loadDataset([{ source: 'uf.jsonl', fields: { id: 'prompt_id' } }], d)
  t.same([uf.examples[0].prompt, uf.examples[0].chosen, uf.examples[0].rejected], [[{ role: 'user', content: 'Hi?' }], ['Hello!'], ['Go away.']])
  const hh = await loadDataset([{ source: 'hh.jsonl' }], d)
  t.same(hh.examples[0].prompt.map((m) => m.content), ['a', 'b', 'c'], 'no prompt column: the shared leading turns are the prompt')
  t.same([hh.examples[0].chosen, hh.examples[0].rejected], [['good'], ['bad']])
  const bon = await loadDataset([{ source: 'bon.jsonl' }], d)
  t.same([bon.examples[0].chosen, bon.examples[0].rejected], [['c1'], ['r1', 'r2']], 'lists of conversations')
  await t.rejects(loadDataset([{ source: 'mismatch.jsonl' }], d), { code: 'E_DATA_FIELD', message: /mismatch\.jsonl:1: 'chosen' and 'rejected' are conversations with different turns/ })
  await t.rejects(loadDataset([{ source: 'user-last.jsonl' }], d), { code: 'E_DATA_FIELD', message: /user-last\.jsonl:1: chosen \('chosen'\) is a conversation whose last message is from 'user'/ })
})

t.test('with a memo, the hashes of unchanged data are remembered; changed data, settings or selection hash anew', async (t) => {
  const kept = new Map<string, unknown>()
  const memo = { recall: <T>(kind: string, key: string) => (kept.get(`${kind}/${key}`) ?? null) as T | null, remember: (kind: string, key: string, v: unknown) => void kept.set(`${kind}/${key}`, v) }
  const d = dir({ 'd.jsonl': jsonl([row('a'), row('b'), row('c')]), 'e.jsonl': jsonl([row('x')]) })
  const sources: SourceSpec[] = [{ source: 'd.jsonl' }, { source: 'e.jsonl' }]
  const plain = await loadDataset(sources, d)
  const cold = await loadDataset(sources, d, {}, { memo })
  t.same([cold.hash, cold.sources.map((s) => s.rowsSha256)], [plain.hash, plain.sources.map((s) => s.rowsSha256)], 'same hashes as without a memo')
  const datasets = [...kept.keys()].filter((k) => k.startsWith('datasets/'))
  t.equal(datasets.length, 3, 'one rows hash per source and the dataset hash')
  t.equal(kept.size, 5, 'and the two files\' hashes')

  // Mark what was remembered: a load that reads the memo shows the marks, one that hashed again would not.
  for (const k of datasets) kept.set(k, String(kept.get(k)).length === 16 ? 'f'.repeat(16) : 'e'.repeat(64))
  const warm = await loadDataset(sources, d, {}, { memo })
  t.same([warm.hash, warm.sources.map((s) => s.rowsSha256)], ['f'.repeat(16), ['e'.repeat(64), 'e'.repeat(64)]], 'read from the memo')
  t.same(warm.examples, cold.examples, 'the rows themselves are read as ever')

  // The first source changes (or the selection does); the second keeps its marked rows hash.
  const fresh = async (label: string, s: typeof sources, whole = {}, firstRows: 'computed' | 'remembered' = 'computed') => {
    const want = await loadDataset(s, d, whole)
    const got = await loadDataset(s, d, whole, { memo })
    t.equal(got.hash, want.hash, `${label}: dataset hash computed`)
    t.equal(got.sources[0].rowsSha256, firstRows === 'computed' ? want.sources[0].rowsSha256 : 'e'.repeat(64), `${label}: first rows hash ${firstRows}`)
    t.equal(got.sources[1].rowsSha256, 'e'.repeat(64), `${label}: the unchanged source's rows hash remembered`)
  }
  await fresh('other fields', [{ source: 'd.jsonl', fields: { id: 'prompt' } }, sources[1]])
  await fresh('a whole-suite limit', sources, { limit: 2 }, 'remembered')
  await fresh('a source sample', [{ source: 'd.jsonl', sample: { n: 2, seed: 1 } }, sources[1]])
  writeFileSync(join(d, 'd.jsonl'), jsonl([row('a'), row('b'), row('c', 'h')]))
  await fresh('an edited file', sources)

  // A pin is checked against the remembered hash as against a computed one.
  const pinned = [{ ...sources[0], rows_sha256: '0'.repeat(64) }]
  await t.rejects(loadDataset(pinned, d, {}, { memo }), { code: 'E_DATA_HASH' })
})
