import { HttpFailure, parseRetryAfter } from './http-failure.ts'

/** The fetch function HTTP runners use; injectable so tests can cause faults a real server cannot. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

/** One HTTP exchange: method, body and the limits it runs under. */
export interface JsonRequest {
  method: 'GET' | 'POST'
  body?: unknown
  headers?: Record<string, string>
  timeoutMs: number
  /** The run's abort signal (Ctrl-C): aborting it rejects with an AbortError, which is never retried. */
  signal?: AbortSignal
}

const snippet = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 200)

/**
 * Sends one request and parses the JSON answer. Every failure becomes an HttpFailure that says what happened
 * (status with the server's own message, timeout, refused or dropped connection, a body that is not JSON), so
 * the pool can decide on retries. The timeout covers the whole exchange, body included: a server that stalls
 * mid-body times out like one that never answers.
 */
export async function requestJson(fetchImpl: FetchLike, url: string, r: JsonRequest): Promise<unknown> {
  r.signal?.throwIfAborted()
  const timeout = AbortSignal.timeout(r.timeoutMs)
  const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout
  const what = `${r.method} ${new URL(url).pathname}`
  let text: string
  let res: Response
  try {
    res = await fetchImpl(url, {
      method: r.method,
      headers: { accept: 'application/json', ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
      signal,
    })
    text = await res.text()
  } catch (e) {
    if (r.signal?.aborted) throw r.signal.reason ?? e
    if (timeout.aborted) throw new HttpFailure('timeout', `${what}: no complete answer within ${r.timeoutMs} ms`)
    const cause = (e as { cause?: { code?: string; message?: string } }).cause
    throw new HttpFailure('network', `${what}: ${cause?.code ?? cause?.message ?? (e as Error).message}`)
  }
  if (!res.ok) {
    let detail = snippet(text)
    try {
      const j = JSON.parse(text) as { message?: unknown; error?: unknown; detail?: unknown }
      const m = j.message ?? (typeof j.error === 'object' && j.error ? (j.error as { message?: unknown }).message : j.error) ?? j.detail
      if (m !== undefined) detail = snippet(typeof m === 'string' ? m : JSON.stringify(m))
    } catch { /* not JSON: keep the text */ }
    throw new HttpFailure('status', `${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`, res.status, parseRetryAfter(res.headers.get('retry-after')))
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpFailure('malformed', `${what}: the answer is not JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 60))})`)
  }
}
