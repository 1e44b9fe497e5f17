import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Example } from '../data/types.ts'
import { RmbenchError } from '../errors.ts'
import { readResults } from '../report/read-results.ts'
import { readScoreRows } from '../report/read-score-rows.ts'
import type { RunResult } from '../report/types.ts'
import type { ExampleScores } from '../tasks/types.ts'

/** A finished run read back: its results and the per-example data its metrics were computed from. */
export interface LoadedRun {
  /** What the user named (a run folder or a results.json). */
  label: string
  file: string
  result: RunResult
  examples: Example[]
  scores: ExampleScores
  tokens: ExampleScores
}

interface RawRow {
  id: string; group: string; error?: unknown
  /** Self-preference rows: who wrote each response (or the rated one) and the gold verdict or score. */
  models?: unknown; model?: unknown; gold?: unknown
  raw?: { scores: Record<string, number>; tokens?: Record<string, number>; shape: [number, number]; alpha?: number; swapped?: boolean; chars?: { chosen?: number[]; rejected?: number[] } }
}

/**
 * Stand-ins for the texts, which scores.jsonl does not keep: strings of the recorded lengths (in code points), so a
 * metric that reads a response's length (the judge's preference for the longer answer) recomputes exactly.
 */
const texts = (lengths: number[] | undefined, n: number): string[] => (lengths?.length === n ? lengths.map((k) => 'x'.repeat(k)) : new Array(n).fill(''))

/** A self-preference row's judge data, as the task needs it to recompute its metrics. */
function judgeOf(row: RawRow): Example['judge'] | undefined {
  if (typeof row.gold !== 'number') return undefined
  if (Array.isArray(row.models) && row.models.length === 2 && row.models.every((m) => typeof m === 'string')) return { models: row.models as string[], gold: row.gold }
  if (typeof row.model === 'string') return { models: [row.model], gold: row.gold }
  return undefined
}

/** A run's results.json alone, for runs whose per-example scores are not at hand (a committed baseline). */
export interface ResultsOnly { label: string; file: string; result: RunResult }

/** Reads a run folder (or its results.json) and the scores.jsonl beside it; every problem is a coded error naming the file. */
export function loadRun(arg: string): LoadedRun {
  const { file, result } = readResults(arg)
  return withScores(arg, file, result)
}

/** The whole run when scores.jsonl is beside its results.json, else the results alone (each file read once). */
export function loadRunOrResults(arg: string): LoadedRun | ResultsOnly {
  const { file, result } = readResults(arg)
  return existsSync(join(dirname(file), 'scores.jsonl')) ? withScores(arg, file, result) : { label: arg, file, result }
}

function withScores(label: string, file: string, result: RunResult): LoadedRun {
  const scoresFile = join(dirname(file), 'scores.jsonl')
  if (!existsSync(scoresFile)) throw new RmbenchError('E_RESULTS', `${scoresFile} not found: a paired comparison needs the per-example scores beside results.json (commit both files for a baseline).`, { file: scoresFile })
  const examples: Example[] = []
  const scores: ExampleScores = new Map()
  const tokens: ExampleScores = new Map()
  for (const { row: r, line } of readScoreRows(scoresFile)) {
    const row = r as unknown as RawRow
    if (row.error) continue
    if (!row.raw || typeof row.raw.scores !== 'object' || !Array.isArray(row.raw.shape))
      throw new RmbenchError('E_RESULTS', `${scoresFile}:${line}: no 'raw' scores (written by an older rmbench?). Re-run the suite to compare it.`, { file: scoresFile, line })
    const [nc, nr] = row.raw.shape
    const judge = judgeOf(row)
    examples.push({ id: String(row.id), group: String(row.group), prompt: [], chosen: texts(row.raw.chars?.chosen, nc), rejected: texts(row.raw.chars?.rejected, nr), ...(row.raw.alpha !== undefined ? { alpha: row.raw.alpha } : {}), ...(judge ? { judge } : {}), ...(row.raw.swapped === true ? { swapped: true as const } : {}), origin: { file: scoresFile, line } })
    scores.set(String(row.id), row.raw.scores)
    if (row.raw.tokens) tokens.set(String(row.id), row.raw.tokens)
  }
  return { label, file, result, examples, scores, tokens }
}
