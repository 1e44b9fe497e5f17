/**
 * The roles of a judge's label requests, one grammar for the tasks that ask (tasks/judge, self-preference), the
 * verdict log that answers by role, and the run that groups answers per verdict (judgments.jsonl):
 * `[c<i>r<j>/]<AB|BA>/<A|B>` for a pair's order (in a style-matrix cell or not), `[<side>/<i>/]rate/<k>` for one
 * scale value of a rating (a completion's, or a self-preference item's).
 */

/** A style-matrix cell's role prefix: chosen style i against rejected style j. */
export const cellPrefix = (i: number, j: number): string => `c${i}r${j}/`

/** The role of label `A` or `B` in one presentation order; `cell` is a style-matrix cell's prefix (`c0r1/`) or ''. */
export const pairRole = (cell: string, order: 'AB' | 'BA', label: 'A' | 'B'): string => `${cell}${order}/${label}`

/** The role of scale value `k` in the rating of `completion` (`chosen/0`), or of a self-preference item (null). */
export const rateRole = (completion: string | null, k: string | number): string => `${completion === null ? '' : `${completion}/`}rate/${k}`

/** A judge role read back, with the verdict it belongs to (`unit`: `AB`, `c0r1/BA`, `chosen/0`, `rate`). */
export type JudgeRole =
  | { kind: 'pair'; cell?: string; order: 'AB' | 'BA'; label: 'A' | 'B'; unit: string }
  | { kind: 'rate'; completion: string | null; value: string; unit: string }

/** Reads a judge role; null for a role of another kind. */
export function parseJudgeRole(role: string): JudgeRole | null {
  const pair = /^(?:c(\d+)r(\d+)\/)?(AB|BA)\/(A|B)$/.exec(role)
  if (pair) return { kind: 'pair', ...(pair[1] !== undefined ? { cell: `${pair[1]}-${pair[2]}` } : {}), order: pair[3] as 'AB' | 'BA', label: pair[4] as 'A' | 'B', unit: role.slice(0, -2) }
  const rate = /^(?:((?:chosen|rejected)\/\d+)\/)?rate\/(.+)$/.exec(role)
  return rate ? { kind: 'rate', completion: rate[1] ?? null, value: rate[2], unit: rate[1] ?? 'rate' } : null
}
