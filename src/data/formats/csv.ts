import { createReadStream } from 'node:fs'
import { parse } from 'csv-parse'
import { isRmbenchError, RmbenchError } from '../../errors.ts'
import { assertUtf8, readSmallUtf8, WHOLE_FILE_BYTES } from './assert-utf8.ts'
import type { DataFormat, RawRow } from '../types.ts'

/** CSV with a header row (RFC 4180 quoting, BOM and CRLF tolerated). Line = the record's first line in the file. */
export const csv: DataFormat = {
  name: 'csv',
  extensions: ['csv'],
  textual: true,
  read: (file: string) => readCsv(file),
}

/** The rows of a CSV file: read whole up to `wholeBytes` (parsed from memory), streamed above (same rows and lines). */
export async function* readCsv(file: string, wholeBytes = WHOLE_FILE_BYTES): AsyncIterable<RawRow> {
  // A column named twice would keep only its last value: an error naming both places instead.
  const columns = (header: string[]): string[] => {
    const first = new Map<string, number>()
    header.forEach((name, i) => {
      if (first.has(name)) throw new RmbenchError('E_DATA_FORMAT', `${file}:1: the header names column '${name}' twice (columns ${first.get(name)! + 1} and ${i + 1}); rename one.`, { file, line: 1, field: name })
      first.set(name, i)
    })
    return header
  }
  const options = { columns, bom: true, info: true, skip_empty_lines: true, relax_column_count: false }
  // A small file is read once, checked natively and parsed from memory; a large one is checked, then streamed.
  const small = await readSmallUtf8(file, wholeBytes)
  if (small === null) await assertUtf8(file)
  const parser = small !== null ? parse(small.replace(/^\uFEFF/, ''), options) : createReadStream(file).pipe(parse(options))
  // info.lines is where a record ends; a quoted field may span lines, so a record starts after the last one ended
  // and after the blank lines skipped since (info.empty_lines counts them).
  let prevEnd = 1
  let prevEmpty = 0
  try {
    for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; empty_lines: number } }>) {
      yield { row: rec.record, line: prevEnd + 1 + rec.info.empty_lines - prevEmpty }
      prevEnd = rec.info.lines
      prevEmpty = rec.info.empty_lines
    }
  } catch (e) {
    if (isRmbenchError(e)) throw e
    const err = e as { message: string; lines?: number }
    throw new RmbenchError('E_DATA_ROW', `${file}:${err.lines ?? '?'}: malformed CSV (${err.message}).`, { file, line: err.lines })
  }
}
