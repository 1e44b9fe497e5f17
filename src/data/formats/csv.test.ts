import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readCsv } from './csv.ts'

const file = (bytes: string | Buffer) => {
  const f = join(mkdtempSync(join(tmpdir(), 'rmbench-csv-')), 'd.csv')
  writeFileSync(f, bytes)
  return f
}
const rows = async (f: string, wholeBytes?: number) => {
  const out: unknown[] = []
  for await (const r of readCsv(f, wholeBytes)) out.push(r)
  return out
}

t.test('read whole or streamed: the same rows and line numbers (BOM, CRLF, a quoted field over two lines, blank lines)', async (t) => {
  const f = file('\uFEFFid,text\r\n1,"é😀, quoted"\r\n\r\n2,"two\nlines"\r\n3,"say ""hi"""\r\n')
  const expected = [{ row: { id: '1', text: 'é😀, quoted' }, line: 2 }, { row: { id: '2', text: 'two\nlines' }, line: 4 }, { row: { id: '3', text: 'say "hi"' }, line: 6 }]
  t.same(await rows(f), expected, 'whole')
  t.same(await rows(f, 0), expected, 'streamed')
})

t.test('bad input names the line on both paths', async (t) => {
  const ragged = file('id,text\n1,a\n2\n')
  for (const limit of [undefined, 0]) await t.rejects(rows(ragged, limit), { code: 'E_DATA_ROW', message: /d\.csv:3: malformed CSV/ })
  const badUtf8 = file(Buffer.concat([Buffer.from('id,text\n1,a\n2,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]))
  for (const limit of [undefined, 0]) await t.rejects(rows(badUtf8, limit), { code: 'E_DATA_ROW', message: /d\.csv:3: not valid UTF-8/ })
})
