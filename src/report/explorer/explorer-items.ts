import type { Example } from '../../data/types.ts'
import { charCount } from '../../util/char-count.ts'
import type { ExampleOutcome } from '../../tasks/types.ts'

/** One run's view of an example in the explorer: credit, margin, tie (1/0), response scores, judge outputs. */
export interface ExplorerRun { c: number | null; m: number | null; t: 0 | 1; s: (number | null)[]; j?: Record<string, string | number | null> }

/**
 * One example as explorer.html holds it (short keys: a page holds up to hundreds of thousands): id, group,
 * sections, prompt messages [role, text], responses [label, text], characters of the first chosen response and
 * the mean of the rejected ones, and per run its outcome (null: not scored in that run, `e` says why).
 */
export interface ExplorerItem {
  id: string
  g: string
  sec: string[]
  p: [string, string][]
  r: [string, string][]
  /** How many of `r` are chosen responses (the rest are rejected). */
  nc: number
  lc: number | null
  lr: number | null
  x: (ExplorerRun | null)[]
  e?: (string | null)[]
}

/** Texts longer than this are cut in the explorer (and say so): a page must still open with 100,000 examples. */
export const MAX_EXPLORER_TEXT = 20_000

function cut(text: string): string {
  return text.length <= MAX_EXPLORER_TEXT ? text : `${text.slice(0, MAX_EXPLORER_TEXT)}\n… [cut here: ${(text.length - MAX_EXPLORER_TEXT).toLocaleString('en-US')} more characters in the dataset]`
}

/** Default response labels: "chosen" / "rejected", numbered when a side has several. */
export function defaultLabels(ex: Example): string[] {
  const side = (name: string, n: number) => Array.from({ length: n }, (_, i) => (n === 1 ? name : `${name} ${i + 1}`))
  return [...side('chosen', ex.chosen.length), ...side('rejected', ex.rejected.length)]
}

/** A run's outcome of one example in the explorer's form (non-finite numbers become null: JSON has no NaN). */
export function explorerRun(o: ExampleOutcome): ExplorerRun {
  const fin = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null)
  return { c: fin(o.credit), m: fin(o.margin), t: o.tie ? 1 : 0, s: o.scores.map(fin), ...(o.judge ? { j: o.judge } : {}) }
}

/** An example with its outcome in each run (null where that run did not score it, with the reason in `errors`). */
export function explorerItem(ex: Example, labels: string[], runs: (ExplorerRun | null)[], sections: string[] = [], errors?: (string | null)[]): ExplorerItem {
  const texts = [...ex.chosen, ...ex.rejected]
  const lr = ex.rejected.length ? ex.rejected.reduce((a, t) => a + charCount(t), 0) / ex.rejected.length : null
  return {
    id: ex.id,
    g: ex.group,
    sec: sections,
    p: ex.prompt.map((m) => [m.role, cut(m.content)]),
    r: texts.map((t, i) => [labels[i] ?? `response ${i + 1}`, cut(t)]),
    nc: ex.chosen.length,
    lc: ex.chosen.length ? charCount(ex.chosen[0]) : null,
    lr,
    x: runs,
    ...(errors?.some((e) => e !== null) ? { e: errors } : {}),
  }
}
