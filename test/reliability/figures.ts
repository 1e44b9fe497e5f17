import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Where each reliability group leaves its figures for the table printed after `npm test`. */
export const FIGURES_DIR = join(import.meta.dirname, '.figures')

/** Records a group's figures (cases tried, faults injected, …); the last write per group wins. */
export function recordFigures(group: string, figures: Record<string, number>): void {
  mkdirSync(FIGURES_DIR, { recursive: true })
  writeFileSync(join(FIGURES_DIR, `${group.replace(/[^\w-]+/g, '-')}.json`), JSON.stringify({ group, figures, at: new Date().toISOString() }) + '\n')
}

/** Every group's figures, in group order. */
export function readFigures(): { group: string; figures: Record<string, number> }[] {
  let files: string[] = []
  try {
    files = readdirSync(FIGURES_DIR).filter((f) => f.endsWith('.json')).sort()
  } catch {
    return []
  }
  return files.map((f) => JSON.parse(readFileSync(join(FIGURES_DIR, f), 'utf8')))
}
