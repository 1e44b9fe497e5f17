import { twoWay } from '../judges/verdict-rules.ts'
import type { Example } from '../data/types.ts'

/** A badly scored example with its text, for reports (text is the dataset's: untrusted, escape it). */
export interface WorstExample {
  id: string
  group: string
  prompt: string
  chosen: string
  rejected: string
  margin: number
  /** An LLM judge's answers on it, order by order (its text, or why no verdict could be read). */
  judge?: string
}

/** A judgments.jsonl row's answers as one text: each verdict asked, what it picked, and what the judge wrote. */
export function judgeSaid(j: Record<string, unknown>): string {
  const verdicts = (j.verdicts ?? {}) as Record<string, string>
  const answers = (j.answers ?? {}) as Record<string, { output?: string; unreadable?: string; labels?: Record<string, number> }>
  return Object.entries(answers).map(([unit, a]) => {
    // A label log-prob judge wrote no text: what it said is P(first shown wins), from its two labels.
    const l = a.labels ?? {}
    const p = typeof l.A === 'number' && typeof l.B === 'number' ? twoWay(l.A, l.B) : null
    const said = a.output ?? a.unreadable ?? (p !== null ? `P(first) ${p.toFixed(3)}` : '')
    return `${unit}${verdicts[unit] ? ` → ${verdicts[unit]}` : ''}${said ? `: ${said.length > 600 ? `${said.slice(0, 600)}…` : said}` : ''}`
  }).join('\n')
}

const MAX_TEXT = 2000

const before = (a: WorstExample, b: WorstExample) => a.margin - b.margin || a.id.localeCompare(b.id)

/**
 * The n examples with the most negative chosen − rejected margin (pairwise-style rows), worst first, kept while
 * examples stream past: only n texts are ever held.
 */
export class WorstKeeper {
  private readonly kept: WorstExample[] = []
  constructor(private readonly n = 10) {}

  /** Considers one scored example and its scores.jsonl row. */
  offer(ex: Example, row: Record<string, unknown>, judgment?: Record<string, unknown>): void {
    const margin = row.margin
    if (typeof margin !== 'number' || !Number.isFinite(margin)) return
    const last = this.kept[this.kept.length - 1]
    if (this.kept.length >= this.n && (margin > last.margin || (margin === last.margin && ex.id.localeCompare(last.id) >= 0))) return
    const prompt = ex.prompt.map((m) => (ex.prompt.length > 1 ? `${m.role}: ${m.content}` : m.content)).join('\n')
    this.kept.push({ id: ex.id, group: ex.group, prompt: prompt.slice(0, MAX_TEXT), chosen: ex.chosen[0].slice(0, MAX_TEXT), rejected: ex.rejected[0].slice(0, MAX_TEXT), margin, ...(judgment ? { judge: judgeSaid(judgment).slice(0, MAX_TEXT) } : {}) })
    this.kept.sort(before)
    if (this.kept.length > this.n) this.kept.pop()
  }

  list(): WorstExample[] {
    return [...this.kept]
  }
}

/** The n examples with the most negative chosen − rejected margin (pairwise-style rows), worst first, with the judge's answers where there are judgments. */
export function worstExamples(examples: Example[], rows: Record<string, unknown>[], n = 10, judgments?: Record<string, unknown>[]): WorstExample[] {
  const byId = new Map(examples.map((e) => [e.id, e]))
  const judged = new Map(judgments?.map((j) => [String(j.id), j]))
  const keeper = new WorstKeeper(n)
  for (const r of rows) {
    const ex = byId.get(String(r.id))
    if (ex) keeper.offer(ex, r, judged.get(String(r.id)))
  }
  return keeper.list()
}
