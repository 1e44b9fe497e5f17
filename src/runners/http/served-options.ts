import { resolve } from 'node:path'
import { RmbenchError } from '../../errors.ts'
import { intOption } from '../option-values.ts'
import type { RunnerContext, RunnerOptions } from '../types.ts'
import { POOL_DEFAULTS, ReplicaPool, type PoolOptions } from './replica-pool.ts'
import type { FetchLike } from './request-json.ts'

/** Options every served runner takes: where the replicas are and how hard to try them. */
export const POOL_OPTIONS: Record<string, string> = {
  endpoints: 'more replica URLs, comma-separated (also --endpoint, repeatable, or endpoints: [...] in bench.config.ts)',
  concurrency: `requests in flight per replica (default ${POOL_DEFAULTS.concurrency})`,
  timeout_ms: `per-request timeout in ms, body included (default ${POOL_DEFAULTS.timeoutMs})`,
  retries: `further attempts per request after a retryable failure (default ${POOL_DEFAULTS.retries})`,
  api_key_env: 'the environment variable holding the API key (sent as a Bearer token, never recorded)',
  model: 'the served model name (default: the first of GET /v1/models)',
  revision: "the weights' revision, recorded in the fingerprint (the server cannot be asked)",
  batch_size: 'inputs per HTTP request',
}

/** Replica URLs from the spec target (comma-separated) and the `endpoints` option, checked and deduplicated. */
export function endpointsFrom(target: string, options: RunnerOptions, runner: string): string[] {
  const list = [target, String(options.endpoints ?? '')].flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)
  if (!list.length) throw new RmbenchError('E_MODEL_SPEC', `${runner}: needs a server URL, e.g. ${runner}:http://localhost:8000 (several: --endpoint <url> repeated).`)
  for (const u of list) {
    let url: URL
    try {
      url = new URL(u)
    } catch {
      throw new RmbenchError('E_MODEL_SPEC', `${runner}: '${u}' is not a URL; write it as http://host:port.`, { endpoint: u })
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RmbenchError('E_MODEL_SPEC', `${runner}: '${u}' must be an http:// or https:// URL.`, { endpoint: u })
    if (url.username || url.password) throw new RmbenchError('E_MODEL_SPEC', `${runner}: put credentials in an environment variable named by api_key_env, not in the URL (it would be recorded).`)
  }
  // The server root: /v1 paths are added per request, so a base URL ending in /v1 means the same server.
  return [...new Set(list.map((u) => u.replace(/\/+$/, '').replace(/\/v1$/, '')))]
}

/** The pool for a served runner: options read, the API key taken from the environment. */
export function poolFrom(endpoints: string[], options: RunnerOptions, ctx: RunnerContext & { fetch?: FetchLike }, defaultKeyEnv: string | null): ReplicaPool {
  const keyEnv = options.api_key_env !== undefined ? String(options.api_key_env) : defaultKeyEnv
  const key = keyEnv ? process.env[keyEnv] : undefined
  if (options.api_key_env !== undefined && !key) throw new RmbenchError('E_MODEL_SPEC', `api_key_env=${keyEnv}: that environment variable is not set.`, { option: 'api_key_env' })
  const o: PoolOptions = {
    ...POOL_DEFAULTS,
    concurrency: intOption(options, 'concurrency', POOL_DEFAULTS.concurrency),
    timeoutMs: intOption(options, 'timeout_ms', POOL_DEFAULTS.timeoutMs),
    retries: intOption(options, 'retries', POOL_DEFAULTS.retries, 0),
    headers: key ? { authorization: `Bearer ${key}` } : {},
    fetch: ctx.fetch,
    onEvent: (e) => {
      if (e.type === 'eject') ctx.warn(`${e.endpoint} failed ${e.failures} times in a row; taken out of rotation for a while (its requests go to the other replicas).`)
      if (e.type === 'restore') ctx.warn(`${e.endpoint} answers again; back in rotation.`)
    },
  }
  return new ReplicaPool(endpoints, o)
}

/** A tokenizer folder path option resolved against the config's folder. */
export function tokenizerDir(options: RunnerOptions, cwd: string): string | undefined {
  return options.tokenizer === undefined ? undefined : resolve(cwd, String(options.tokenizer))
}

/** One summary line of how serving went: requests, retries by cause, replicas taken out. */
export function poolSummary(pool: ReplicaPool): string | null {
  const s = pool.stats
  if (!s.retries && !s.failed && !s.ejections) return null
  const kinds = Object.entries(s.byKind).map(([k, n]) => `${n}× ${k}`).join(', ')
  return `served model: ${s.requests} requests, ${s.retries} retried (${kinds})${s.failed ? `, ${s.failed} failed after retries` : ''}${s.ejections ? `, replicas taken out ${s.ejections} time(s)` : ''}.`
}
