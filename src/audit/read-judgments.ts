import { readFileSync } from 'node:fs'
import { RmbenchError } from '../errors.ts'
import { osReason } from '../util/regular-file.ts'
import type { Judgment, Verdict } from './intransitivity.ts'

/** A verdict read strictly: a letter, tie, a probability in [0, 1], or null; anything else is an error naming the line. */
function verdict(v: unknown, where: string, key: string): Verdict | undefined {
  if (v === undefined || v === null || v === 'A' || v === 'B' || v === 'tie') return v
  if (typeof v === 'number' && v >= 0 && v <= 1) return v
  throw new RmbenchError('E_DATA_ROW', `${where}: ${key} must be "A", "B", "tie", a probability in [0, 1] or null; got ${JSON.stringify(v)}.`)
}

/**
 * --judgments: one JSON object per line, {"id": prompt id, "a": i, "b": j, "AB": verdict, "BA": verdict}, where
 * responses i and j are judged, in AB with i shown first and in BA with j shown first; the letters name the
 * position shown.
 */
export function readJudgments(file: string): Judgment[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new RmbenchError('E_IO', `--judgments ${file}: ${osReason(e)}.`, { file })
  }
  const out: Judgment[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return
    const where = `${file}:${i + 1}`
    let row: Record<string, unknown>
    try {
      row = JSON.parse(line)
    } catch {
      throw new RmbenchError('E_DATA_ROW', `${where}: not valid JSON.`, { file, line: i + 1 })
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new RmbenchError('E_DATA_ROW', `${where}: expected a JSON object.`, { file, line: i + 1 })
    const { id, a, b } = row
    if (typeof id !== 'string' || !Number.isInteger(a) || !Number.isInteger(b) || (a as number) < 0 || (b as number) < 0 || a === b)
      throw new RmbenchError('E_DATA_ROW', `${where}: expected a string "id" and two different response indices "a" and "b" (integers ≥ 0).`, { file, line: i + 1 })
    const AB = verdict(row.AB, where, 'AB')
    const BA = verdict(row.BA, where, 'BA')
    if (AB === undefined && BA === undefined) throw new RmbenchError('E_DATA_ROW', `${where}: no verdict: give "AB", "BA" or both.`, { file, line: i + 1 })
    out.push({ id, a: a as number, b: b as number, AB, BA })
  })
  if (!out.length) throw new RmbenchError('E_DATA_EMPTY', `--judgments ${file}: no judgments in it.`, { file })
  return out
}
