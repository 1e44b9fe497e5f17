import { readFile } from 'node:fs/promises'
import { RmbenchError } from '../../errors.ts'
import { duplicateKey } from './duplicate-keys.ts'
import { assertUtf8, readSmallUtf8 } from './assert-utf8.ts'
import type { DataFormat, RawRow } from '../types.ts'

/** A JSON array of rows (or an object whose `data` or `rows` key holds one). Line = 1-based item index. */
export const json: DataFormat = {
  name: 'json',
  extensions: ['json'],
  async *read(file: string): AsyncIterable<RawRow> {
    const small = await readSmallUtf8(file)
    const text = (small ?? (await assertUtf8(file), await readFile(file, 'utf8'))).replace(/^\uFEFF/, '')
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (e) {
      throw new RmbenchError('E_DATA_FORMAT', `${file}: not valid JSON (${(e as Error).message}). Fix the file or use .jsonl for one row per line.`, { file })
    }
    const dup = duplicateKey(text)
    if (dup) throw new RmbenchError('E_DATA_ROW', `${file}${dup.item ? `:${dup.item}` : ''}: key '${dup.key}' appears twice in one object${dup.item ? ` (item ${dup.item})` : ''}; JSON keeps only the last one, so remove the other.`, { file, line: dup.item, field: dup.key })
    const rows = Array.isArray(value) ? value : (value as { data?: unknown; rows?: unknown })?.data ?? (value as { rows?: unknown })?.rows
    if (!Array.isArray(rows))
      throw new RmbenchError('E_DATA_FORMAT', `${file}: expected a JSON array of rows (or {"data": [...]}), got ${typeof value}.`, { file })
    for (let i = 0; i < rows.length; i++) yield { row: rows[i], line: i + 1 }
  },
}
