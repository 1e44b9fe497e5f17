import { sideScores } from '../tasks/response-requests.ts'
import type { ChartRow } from './chart-types.ts'

interface RawBlock { scores?: Record<string, number>; shape?: [number, number]; chars?: { chosen: number[]; rejected: number[] } }

/** Scores of one side in index order; empty when the roles are other than chosen/rejected (LM log-probs). */
function side(scores: Record<string, number>, name: 'chosen' | 'rejected', n: number): number[] {
  const out = sideScores(scores, name, n)
  return out.every((v) => typeof v === 'number') ? out : []
}

/** scores.jsonl rows (as written by a run) to chart rows; failed examples and rows without raw scores are skipped. */
export function chartRows(rows: Record<string, unknown>[]): ChartRow[] {
  const out: ChartRow[] = []
  for (const r of rows) {
    const raw = r.raw as RawBlock | undefined
    if (r.error || !raw?.scores || !Array.isArray(raw.shape)) continue
    const chosen = side(raw.scores, 'chosen', raw.shape[0])
    const rejected = side(raw.scores, 'rejected', raw.shape[1])
    out.push({ id: String(r.id), group: String(r.group), chosen, rejected, ...(raw.chars ? { chars: raw.chars } : {}) })
  }
  return out
}
