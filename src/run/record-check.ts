import { createHash } from 'node:crypto'

/** A stored score or failure as it is checked: a finite value (and a token count), or a well-formed error. */
export interface StoredScore { value?: number; tokens?: number; error?: { code: string; message: string }; output?: string }

/**
 * The integrity check written with every stored score (records.jsonl, the shared cache): 8 hex digits of sha256
 * over the model, the request key and what was stored. A line changed by a disk fault, a bad merge or a hand edit
 * no longer matches and is scored again, never reused; so a restored CI cache can never change a result.
 */
export function recordCheck(fp: string, key: string, s: StoredScore): string {
  // A judge's text joins the check only when there is one, so every record written before outputs existed still matches.
  const what = (s.error ? `e${s.error.code}\u0000${s.error.message}` : `v${s.value}\u0000${s.tokens ?? ''}`) + (s.output !== undefined ? `\u0000o${s.output}` : '')
  return createHash('sha256').update(`${fp}\u0000${key}\u0000${what}`).digest('hex').slice(0, 8)
}

const isCount = (t: unknown): boolean => t === undefined || (typeof t === 'number' && Number.isSafeInteger(t) && t >= 0)

/**
 * What a stored line holds, if it is sound: a finite number (JSON.parse reads 1e400 as Infinity) with an optional
 * token count, or an error with a code and a message, and a check that matches. Otherwise null.
 */
export function soundScore(fp: string, key: string, s: StoredScore, check: unknown): StoredScore | null {
  let out: StoredScore
  if (s.output !== undefined && typeof s.output !== 'string') return null
  if (s.error !== undefined) {
    const e = s.error as unknown
    if (e === null || typeof e !== 'object' || typeof (e as { code?: unknown }).code !== 'string' || typeof (e as { message?: unknown }).message !== 'string' || s.value !== undefined) return null
    out = { error: { code: s.error.code, message: s.error.message } }
  } else {
    if (typeof s.value !== 'number' || !Number.isFinite(s.value) || !isCount(s.tokens)) return null
    out = s.tokens === undefined ? { value: s.value } : { value: s.value, tokens: s.tokens }
  }
  if (s.output !== undefined) out.output = s.output
  return check === recordCheck(fp, key, out) ? out : null
}
