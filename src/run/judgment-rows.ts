import { parseJudgeRole } from '../judges/judge-roles.ts'
import type { Example } from '../data/types.ts'
import type { ExampleRow } from '../tasks/types.ts'

/** What a judge said for one request: its text (served chat judges) and, when no verdict could be read from it, why. */
export interface JudgeNote { output?: string; unreadable?: string }

/** The verdict a label request belongs to: `AB/A` → `AB`, `c0r1/BA/B` → `c0r1/BA`, `chosen/0/rate/7` → `chosen/0`. */
export function verdictUnit(role: string): string {
  return parseJudgeRole(role)?.unit ?? role
}

/**
 * One judgments.jsonl line: the task's row (credit, verdicts) and, per verdict asked (order, cell or completion), the
 * judge's raw answer — its text, why it was unreadable, and the log p of each label as scored.
 */
export function judgmentRow(ex: Example, row: ExampleRow | null, scores: Record<string, number> | undefined, notes: Record<string, JudgeNote> | undefined, error?: { code: string; message: string }): ExampleRow {
  const units: Record<string, { labels: Record<string, number>; output?: string; unreadable?: string }> = {}
  const unit = (role: string) => (units[verdictUnit(role)] ??= { labels: {} })
  for (const [role, v] of Object.entries(scores ?? {})) unit(role).labels[role.slice(verdictUnit(role).length + 1)] = v
  for (const [role, n] of Object.entries(notes ?? {})) {
    const u = unit(role)
    if (n.output !== undefined) u.output = n.output
    if (n.unreadable !== undefined) u.unreadable = n.unreadable
  }
  return { ...(row ?? { id: ex.id, group: ex.group }), ...(error ? { error } : {}), answers: units }
}

/** What the judge wrote per verdict asked (`AB said`, `c0r1/BA said`), for the example explorer; undefined without texts. */
export function judgeWords(notes: Record<string, JudgeNote> | undefined): Record<string, string> | undefined {
  if (!notes) return undefined
  const out: Record<string, string> = {}
  for (const [role, n] of Object.entries(notes)) {
    const text = n.output ?? (n.unreadable !== undefined ? `(unreadable: ${n.unreadable})` : undefined)
    if (text !== undefined) out[`${verdictUnit(role)} said`] = text.length > 2000 ? `${text.slice(0, 2000)}…` : text
  }
  return Object.keys(out).length ? out : undefined
}
