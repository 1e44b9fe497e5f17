import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { RmbenchError } from '../../errors.ts'
import { assertUtf8 } from './assert-utf8.ts'
import type { DataFormat, RawRow } from '../types.ts'

/** JSON Lines: one JSON value per line; blank lines are skipped. */
export const jsonl: DataFormat = {
  name: 'jsonl',
  extensions: ['jsonl', 'ndjson'],
  async *read(file: string): AsyncIterable<RawRow> {
    await assertUtf8(file)
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })
    let n = 0
    for await (const raw of lines) {
      n++
      const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw
      if (!text.trim()) continue
      try {
        yield { row: JSON.parse(text), line: n }
      } catch (e) {
        throw new RmbenchError('E_DATA_ROW', `${file}:${n}: not valid JSON (${(e as Error).message}). Each line of a .jsonl file must be one JSON object.`, { file, line: n })
      }
    }
  },
}
