import { createReadStream } from 'node:fs'
import { parse } from 'csv-parse'
import { RmbenchError } from '../../errors.ts'
import { assertUtf8 } from './assert-utf8.ts'
import type { DataFormat, RawRow } from '../types.ts'

/** CSV with a header row (RFC 4180 quoting, BOM and CRLF tolerated). Line = the record's first line in the file. */
export const csv: DataFormat = {
  name: 'csv',
  extensions: ['csv'],
  async *read(file: string): AsyncIterable<RawRow> {
    await assertUtf8(file)
    const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, info: true, skip_empty_lines: true, relax_column_count: false }))
    // info.lines is where a record ends; a quoted field may span lines, so a record starts after the last one ended.
    let prevEnd = 1
    try {
      for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        yield { row: rec.record, line: prevEnd + 1 }
        prevEnd = rec.info.lines
      }
    } catch (e) {
      const err = e as { message: string; lines?: number }
      throw new RmbenchError('E_DATA_ROW', `${file}:${err.lines ?? '?'}: malformed CSV (${err.message}).`, { file, line: err.lines })
    }
  },
}
