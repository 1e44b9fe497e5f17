/** What went wrong with one HTTP attempt, in the terms the retry policy needs. */
export type FailureKind = 'status' | 'timeout' | 'network' | 'malformed' | 'shape'

/**
 * One failed attempt at a served model: a value the replica pool inspects (retry? wait how long? blame the
 * replica?) and, once retries are spent, the message the failed requests carry. Never holds request headers,
 * so an API key cannot leak through it.
 */
export class HttpFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    /** Server-asked wait before the next attempt (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'HttpFailure'
  }

  /** Worth another attempt: network faults, timeouts, torn bodies, 408/409/425/429 and 5xx. */
  get retryable(): boolean {
    if (this.kind === 'status') return this.status === 408 || this.status === 409 || this.status === 425 || this.status === 429 || (this.status ?? 0) >= 500
    return this.kind !== 'shape'
  }

  /** The replica itself is at fault (down, failing, hung), as opposed to this one input or a busy signal. */
  get blamesReplica(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'malformed' || (this.kind === 'status' && (this.status ?? 0) >= 500 && this.status !== 503)
  }

  /** A stable error code for score records: E_HTTP_<status>, E_HTTP_TIMEOUT, ... */
  get code(): string {
    return this.kind === 'status' ? `E_HTTP_${this.status}` : `E_HTTP_${this.kind.toUpperCase()}`
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const s = Number(value)
  if (Number.isFinite(s) && s >= 0) return s * 1000
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : Math.max(0, t - now)
}
