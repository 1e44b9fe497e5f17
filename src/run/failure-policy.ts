import { RmbenchError } from '../errors.ts'

/** How many failed examples a run may have and still count as a success: a count, or a share of the examples. */
export type FailureAllowance = { count: number } | { share: number }

/** Reads `--max-failures` / a suite's `max_failures`: "3", 3, or "2.5%". */
export function parseAllowance(v: unknown, where: string): FailureAllowance {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return { count: v }
  if (typeof v === 'string' && /^\d+$/.test(v)) return { count: Number(v) }
  const m = typeof v === 'string' ? /^(\d+(\.\d+)?)%$/.exec(v) : null
  if (m && Number(m[1]) <= 100) return { share: Number(m[1]) / 100 }
  throw new RmbenchError('E_USAGE', `${where} ${JSON.stringify(v)}: expected a count of examples (e.g. 3) or a share (e.g. 2%).`)
}

/**
 * Whether a finished run is a success a script can rely on: something was scored, and no more examples failed than
 * allowed. Null when it is; otherwise the reason, for the console (the CLI exits 3: "completed with failures").
 */
export function failureVerdict(c: { examples: number; scored: number; failed: number }, allow: FailureAllowance): string | null {
  if (c.scored === 0) return `no example was scored (${c.failed} of ${c.examples} failed); results.json says complete: false`
  const allowed = 'count' in allow ? allow.count : Math.floor(allow.share * c.examples)
  if (c.failed <= allowed) return null
  const what = 'count' in allow ? `${allow.count}` : `${+(allow.share * 100).toFixed(4)}% = ${allowed}`
  return `${c.failed} of ${c.examples} examples failed, more than the ${what} allowed (--max-failures, or max_failures in the suite); results.json is written, with complete: false`
}
