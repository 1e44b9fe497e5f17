import { existsSync } from 'node:fs'
import { readTextFile } from '../util/regular-file.ts'
import { nameValue } from '../data/strict-values.ts'
import { assertNoDuplicateKey } from '../data/formats/duplicate-keys.ts'
import { RmbenchError } from '../errors.ts'

/**
 * A JSON-lines file of objects keyed by "id" (scores or verdicts computed elsewhere): each id once; a bad line is a
 * coded error naming file and line, `shape` saying what a line should look like.
 */
export function readIdLines<T>(file: string, shape: string, what: string, keyOf: (row: Record<string, unknown>, id: string, at: { file: string; line: number }) => string = (_r, id) => id): Map<string, T> {
  if (!existsSync(file)) throw new RmbenchError('E_MODEL_NOT_FOUND', `${what} file ${file} not found.`, { file })
  const text = readTextFile(file, 'E_MODEL_NOT_FOUND', `${what} file`)
  const out = new Map<string, T>()
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return
    let row: { id?: unknown }
    try {
      row = JSON.parse(raw)
    } catch (e) {
      throw new RmbenchError('E_DATA_ROW', `${file}:${i + 1}: not valid JSON (${(e as Error).message}).`, { file, line: i + 1 })
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row) || !Object.hasOwn(row, 'id'))
      throw new RmbenchError('E_DATA_ROW', `${file}:${i + 1}: each line needs an "id": ${shape}.`, { file, line: i + 1 })
    assertNoDuplicateKey(raw, file, i + 1)
    // Ids as the data reads them: a string or an integer, 1 and "1" the same.
    const id = keyOf(row as Record<string, unknown>, nameValue(row.id, 'id', { file, line: i + 1 }), { file, line: i + 1 })
    if (out.has(id)) throw new RmbenchError('E_DATA_ROW', `${file}:${i + 1}: id '${id}' appears twice.`, { file, line: i + 1 })
    out.set(id, row as T)
  })
  return out
}
