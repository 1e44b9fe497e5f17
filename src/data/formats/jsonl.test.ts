import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readJsonl } from './jsonl.ts'

const file = (bytes: string | Buffer) => {
  const f = join(mkdtempSync(join(tmpdir(), 'rmbench-jsonl-')), 'd.jsonl')
  writeFileSync(f, bytes)
  return f
}
const rows = async (f: string, wholeBytes?: number) => {
  const out: unknown[] = []
  for await (const r of readJsonl(f, wholeBytes)) out.push(r)
  return out
}

t.test('read whole or streamed: the same rows and line numbers (BOM, CRLF, a lone CR, blank lines, no final newline)', async (t) => {
  const f = file('\uFEFF{"a":1}\r\n\r\n{"a":"é😀"}\n  \n{"a":3}\r{"a":4}')
  const expected = [{ row: { a: 1 }, line: 1 }, { row: { a: 'é😀' }, line: 3 }, { row: { a: 3 }, line: 5 }, { row: { a: 4 }, line: 6 }]
  t.same(await rows(f), expected, 'whole')
  t.same(await rows(f, 0), expected, 'streamed')
})

t.test('bad input names the line on both paths', async (t) => {
  const badJson = file('{"a":1}\n{"a":\n')
  for (const limit of [undefined, 0]) await t.rejects(rows(badJson, limit), { code: 'E_DATA_ROW', message: /d\.jsonl:2: not valid JSON/ })
  const badUtf8 = file(Buffer.concat([Buffer.from('{"a":1}\n{"a":2}\n{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]))
  for (const limit of [undefined, 0]) await t.rejects(rows(badUtf8, limit), { code: 'E_DATA_ROW', message: /d\.jsonl:3: not valid UTF-8/ })
  const truncated = file(Buffer.concat([Buffer.from('{"a":"'), Buffer.from('é').subarray(0, 1)]))
  for (const limit of [undefined, 0]) await t.rejects(rows(truncated, limit), { code: 'E_DATA_ROW', message: /ends inside a UTF-8 character/ })
})
