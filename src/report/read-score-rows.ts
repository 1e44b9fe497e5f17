import { existsSync, readFileSync } from 'node:fs'
import { RmbenchError } from '../errors.ts'

/** The lines of a run's scores.jsonl as objects, each with its line number; a bad line is a coded error naming it. */
export function readScoreRows(file: string): { row: Record<string, unknown>; line: number }[] {
  if (!existsSync(file)) return []
  const out: { row: Record<string, unknown>; line: number }[] = []
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    if (!text.trim()) return
    let row: unknown
    try {
      row = JSON.parse(text)
    } catch {
      throw new RmbenchError('E_RESULTS', `${file}:${i + 1}: not valid JSON. Re-run the suite into a fresh folder, or restore the file.`, { file, line: i + 1 })
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new RmbenchError('E_RESULTS', `${file}:${i + 1}: expected one JSON object per line.`, { file, line: i + 1 })
    out.push({ row: row as Record<string, unknown>, line: i + 1 })
  })
  return out
}
