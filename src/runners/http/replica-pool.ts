import { HttpFailure } from './http-failure.ts'
import { requestJson, type FetchLike } from './request-json.ts'

/** How a pool spreads, limits and retries requests. */
export interface PoolOptions {
  /** Requests in flight per replica. */
  concurrency: number
  /** Further attempts after the first, per request. */
  retries: number
  timeoutMs: number
  /** First backoff step; doubles per attempt, capped at maxBackoffMs, with full jitter. */
  backoffMs: number
  maxBackoffMs: number
  /** Consecutive failures that take a replica out of rotation. */
  ejectAfter: number
  /** First time out of rotation; doubles each time the same replica is taken out again (≤ 60 s). */
  cooldownMs: number
  headers?: Record<string, string>
  fetch?: FetchLike
  random?: () => number
  /** Told of retries and ejections, for the run's summary line. */
  onEvent?: (e: PoolEvent) => void
}

/** Something the user may want counted: a retried attempt, a replica taken out or back. */
export type PoolEvent = { type: 'retry'; endpoint: string; failure: HttpFailure } | { type: 'eject' | 'restore'; endpoint: string; failures: number }

/** Defaults that suit a vLLM replica: a few requests each, patient timeouts, retries that outlast a restart. */
export const POOL_DEFAULTS = { concurrency: 8, retries: 6, timeoutMs: 120_000, backoffMs: 250, maxBackoffMs: 20_000, ejectAfter: 3, cooldownMs: 2_000 }

class Replica {
  outstanding = 0
  consecutive = 0
  /** Out of rotation until then (ejected, or paused by Retry-After). */
  until = 0
  ejections = 0
  ejected = false
  constructor(readonly url: string) {}
}

/** Counts a pool keeps, for the end-of-run summary. */
export interface PoolStats { requests: number; retries: number; failed: number; ejections: number; byKind: Record<string, number> }

/**
 * Client-side load balancing over model server replicas: each request goes to the available replica with the
 * fewest requests in flight (at most `concurrency` each). A retryable failure is tried again after exponential
 * backoff with full jitter, or after the server's Retry-After (that replica is paused meanwhile, so the retry
 * usually lands elsewhere). A replica that fails `ejectAfter` times in a row is taken out of rotation for a
 * cooldown that doubles each time, then gets one probe request; a success puts it back.
 */
export class ReplicaPool {
  private readonly replicas: Replica[]
  private waiters: (() => void)[] = []
  private timer: NodeJS.Timeout | null = null
  private readonly fetch: FetchLike
  private readonly random: () => number
  readonly stats: PoolStats = { requests: 0, retries: 0, failed: 0, ejections: 0, byKind: {} }

  constructor(endpoints: string[], private readonly o: PoolOptions) {
    if (!endpoints.length) throw new Error('a replica pool needs at least one endpoint')
    this.replicas = endpoints.map((u) => new Replica(u.replace(/\/+$/, '')))
    this.fetch = o.fetch ?? ((url, init) => fetch(url, init))
    this.random = o.random ?? Math.random
  }

  /** Requests in flight allowed per replica. */
  get concurrency(): number {
    return this.o.concurrency
  }

  /** The endpoints, as given. */
  get endpoints(): string[] {
    return this.replicas.map((r) => r.url)
  }

  /**
   * Takes a refused request back out of the failure counts: a probe whose refusal was expected (a vLLM route or task
   * this server lacks, tried while finding the one it has) is not a failure of the run.
   */
  forgetRefusal(failure: HttpFailure): void {
    this.stats.failed = Math.max(0, this.stats.failed - 1)
    const n = (this.stats.byKind[failure.code] ?? 0) - 1
    if (n > 0) this.stats.byKind[failure.code] = n
    else delete this.stats.byKind[failure.code]
  }

  /** POSTs `body` to `path` on some replica and returns what `read` makes of the JSON; throws the last failure once retries are spent. */
  post<T>(path: string, body: unknown, read: (json: unknown) => T, signal?: AbortSignal): Promise<T> {
    return this.send('POST', path, body, read, signal)
  }

  /** GETs `path` from some replica (server info for provenance), with the same retries. */
  get<T>(path: string, read: (json: unknown) => T, signal?: AbortSignal): Promise<T> {
    return this.send('GET', path, undefined, read, signal)
  }

  private async send<T>(method: 'GET' | 'POST', path: string, body: unknown, read: (json: unknown) => T, signal?: AbortSignal): Promise<T> {
    this.stats.requests++
    for (let attempt = 0; ; attempt++) {
      const replica = await this.acquire(signal)
      let failure: HttpFailure
      try {
        const json = await requestJson(this.fetch, replica.url + path, { method, body, headers: this.o.headers, timeoutMs: this.o.timeoutMs, signal })
        let value: T
        try {
          value = read(json)
        } catch (e) {
          // Valid JSON of the wrong shape: this server speaks another API; retrying will not help.
          throw new HttpFailure('shape', `${method} ${path}: unexpected answer (${(e as Error).message})`)
        }
        this.succeeded(replica)
        return value
      } catch (e) {
        if (!(e instanceof HttpFailure)) throw e // aborted by the user, or a bug
        failure = e
      } finally {
        this.release(replica)
      }
      this.failed(replica, failure)
      this.stats.byKind[failure.code] = (this.stats.byKind[failure.code] ?? 0) + 1
      if (!failure.retryable || attempt >= this.o.retries) {
        this.stats.failed++
        throw failure
      }
      this.stats.retries++
      this.o.onEvent?.({ type: 'retry', endpoint: replica.url, failure })
      const step = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** attempt)
      await sleep(this.random() * step, signal)
    }
  }

  private succeeded(r: Replica): void {
    r.consecutive = 0
    if (r.ejected) {
      r.ejected = false
      r.ejections = 0 // it recovered: a later fault starts again from the short cooldown
      this.o.onEvent?.({ type: 'restore', endpoint: r.url, failures: 0 })
    }
  }

  private failed(r: Replica, f: HttpFailure): void {
    const now = Date.now()
    if (f.retryAfterMs !== undefined) r.until = Math.max(r.until, now + Math.min(f.retryAfterMs, 120_000))
    if (!f.blamesReplica) return
    r.consecutive++
    if (r.consecutive >= this.o.ejectAfter) {
      const cooldown = Math.min(60_000, this.o.cooldownMs * 2 ** r.ejections)
      r.ejections++
      r.ejected = true
      r.consecutive = this.o.ejectAfter - 1 // a failed probe takes it straight out again
      r.until = Math.max(r.until, now + cooldown)
      this.stats.ejections++
      this.o.onEvent?.({ type: 'eject', endpoint: r.url, failures: this.o.ejectAfter })
    }
  }

  /** The usable replica with the fewest in flight; waits while every replica is full, paused or out. */
  private async acquire(signal?: AbortSignal): Promise<Replica> {
    for (;;) {
      signal?.throwIfAborted()
      const now = Date.now()
      let best: Replica | undefined
      for (const r of this.replicas) {
        if (r.until > now) continue
        // An ejected replica back from cooldown takes a single probe before it gets more.
        const cap = r.ejected ? 1 : this.o.concurrency
        if (r.outstanding < cap && (!best || r.outstanding < best.outstanding)) best = r
      }
      if (best) {
        best.outstanding++
        return best
      }
      await this.waitForChange(signal)
    }
  }

  private release(r: Replica): void {
    r.outstanding--
    this.wake()
  }

  private wake(): void {
    // Waiters re-arm the timer if they still need it; an idle pool must not hold the process open.
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }

  /** Resolves when a request finishes or the earliest paused replica comes back. */
  private waitForChange(signal?: AbortSignal): Promise<void> {
    const now = Date.now()
    const next = Math.min(...this.replicas.map((r) => (r.until > now ? r.until : Infinity)))
    if (Number.isFinite(next) && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null
        this.wake()
      }, next - now + 1)
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal!.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
    })
  }
}

/** Waits `ms`, or rejects when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted()
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
