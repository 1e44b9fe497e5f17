import { RmbenchError } from '../errors.ts'
import { strictNumber } from '../util/strict-number.ts'

/** Where a value came from, for messages: file, line, and whether the format stores every value as text (CSV). */
export interface ValueSource { file: string; line: number; textual?: boolean }

function fail(at: ValueSource, field: string, msg: string): never {
  throw new RmbenchError('E_DATA_FIELD', `${at.file}:${at.line}: ${msg}`, { file: at.file, line: at.line, field })
}

/** A value as a message shows it: JSON, cut short. */
export function shown(v: unknown): string {
  if (typeof v === 'bigint') return `${v}`
  if (typeof v === 'function') return 'a function'
  const s = JSON.stringify(v)
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}…` : s
}

/**
 * A column of a row, possibly dotted (`meta.subset`): own properties only, so a column named `constructor` or
 * `__proto__` is a missing column, never a value inherited from Object.
 */
export function ownField(row: Record<string, unknown>, column: string): unknown {
  if (Object.hasOwn(row, column)) return row[column]
  let cur: unknown = row
  for (const seg of column.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg)) return undefined
    cur = (cur as Record<string, unknown>)[seg]
  }
  return cur
}

/**
 * An id, subset or model name: a non-empty string, or an integer rendered canonically (1 and "1" are the same id;
 * parquet's INT64 arrives as a BigInt). Anything else (an object, a list, true, 1.5, NaN, "") is a coded error,
 * never "[object Object]" or "true".
 */
export function nameValue(v: unknown, field: string, at: ValueSource): string {
  if (typeof v === 'string' && v !== '') return v
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  if (typeof v === 'bigint') return v.toString()
  fail(at, field, `${field} must be a non-empty string or an integer, got ${shown(v)}. Map another column, or fix the row.`)
}

/**
 * A number: a finite JSON number (or parquet INT64), or, in a format that stores text (CSV), a decimal written out
 * in full. Never true, null, "", [0.5] or " 1", and never a JSON string: `Number()` would take them all.
 */
export function numberValue(v: unknown, field: string, at: ValueSource, range?: [number, number]): number {
  let n: number | undefined
  if (typeof v === 'number') n = v
  else if (typeof v === 'bigint') n = Number(v)
  else if (at.textual && typeof v === 'string') n = strictNumber(v)
  const want = range ? `a number in [${range[0]}, ${range[1]}]` : 'a finite number'
  if (n === undefined || !Number.isFinite(n)) fail(at, field, `${field} must be ${want}, got ${shown(v)}.`)
  if (range && !(n >= range[0] && n <= range[1])) fail(at, field, `${field} must be ${want}, got ${shown(v)}.`)
  return n
}

/**
 * A label that names one of two answers: exactly one of the declared values, as a number, or in a text format its
 * canonical decimal form ("2", not "2.0", " 2" or "02").
 */
export function labelValue(v: unknown, values: [number, number], field: string, at: ValueSource, hint = ''): number {
  if (typeof v === 'number' && values.includes(v)) return v
  if (typeof v === 'bigint' && values.includes(Number(v))) return Number(v)
  if (at.textual && typeof v === 'string') {
    const hit = values.find((x) => String(x) === v)
    if (hit !== undefined) return hit
  }
  fail(at, field, `${field} is ${shown(v)}; expected ${values[0]} or ${values[1]}${hint}.`)
}
