import { readFileSync } from 'node:fs'
import { RmbenchError } from '../errors.ts'

/**
 * A JSON-lines file of objects keyed by "id" (scores or verdicts computed elsewhere): each id once; a bad line is a
 * coded error naming file and line, `shape` saying what a line should look like.
 */
export function readIdLines<T>(file: string, shape: string, what: string): Map<string, T> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new RmbenchError('E_MODEL_NOT_FOUND', `${what} file ${file} not found.`, { file })
  }
  const out = new Map<string, T>()
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return
    let row: { id?: unknown }
    try {
      row = JSON.parse(raw)
    } catch (e) {
      throw new RmbenchError('E_DATA_ROW', `${file}:${i + 1}: not valid JSON (${(e as Error).message}).`, { file, line: i + 1 })
    }
    if (row === null || typeof row !== 'object' || (typeof row.id !== 'string' && typeof row.id !== 'number'))
      throw new RmbenchError('E_DATA_ROW', `${file}:${i + 1}: each line needs an "id": ${shape}.`, { file, line: i + 1 })
    const id = String(row.id)
    if (out.has(id)) throw new RmbenchError('E_DATA_ROW', `${file}:${i + 1}: id '${id}' appears twice.`, { file, line: i + 1 })
    out.set(id, row as T)
  })
  return out
}
