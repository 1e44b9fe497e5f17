import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RmbenchError } from '../errors.ts'
import type { WorstExample } from './worst-examples.ts'

/** A run folder's worst.json ([] when there is none); a file that is not a JSON list is a coded error naming it. */
export function readWorst(dir: string): WorstExample[] {
  const file = join(dir, 'worst.json')
  if (!existsSync(file)) return []
  let worst: unknown
  try {
    worst = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new RmbenchError('E_RESULTS', `${file}: not valid JSON (${(e as Error).message}). Delete it to write the report without worst examples.`, { file })
  }
  if (!Array.isArray(worst)) throw new RmbenchError('E_RESULTS', `${file}: expected a list of examples.`, { file })
  return worst as WorstExample[]
}
