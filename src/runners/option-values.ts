import { RmbenchError } from '../errors.ts'
import { strictInt } from '../util/strict-number.ts'
import type { RunnerOptions } from './types.ts'

/** Reads an integer option, with a coded error naming the option when it is not one. */
export function intOption(opts: RunnerOptions, key: string, fallback: number, min = 1): number {
  const v = opts[key]
  if (v === undefined) return fallback
  const n = strictInt(v)
  if (n === undefined || n < min) throw new RmbenchError('E_MODEL_SPEC', `model option ${key}=${v}: expected an integer ≥ ${min}.`, { option: key })
  return n
}

/** Reads a string option restricted to `choices`. */
export function choiceOption<T extends string>(opts: RunnerOptions, key: string, choices: readonly T[], fallback: T): T {
  const v = opts[key]
  if (v === undefined) return fallback
  if (!choices.includes(String(v) as T)) throw new RmbenchError('E_MODEL_SPEC', `model option ${key}=${v}: expected one of ${choices.join(', ')}.`, { option: key })
  return String(v) as T
}

/** Reads a boolean option (true/false/1/0). */
export function boolOption(opts: RunnerOptions, key: string, fallback: boolean | undefined): boolean | undefined {
  const v = opts[key]
  if (v === undefined) return fallback
  if (v === true || v === 'true' || v === '1') return true
  if (v === false || v === 'false' || v === '0') return false
  throw new RmbenchError('E_MODEL_SPEC', `model option ${key}=${v}: expected true or false.`, { option: key })
}
