import { RmbenchError } from '../../errors.ts'
import { didYouMean } from '../../util/did-you-mean.ts'
import { HttpFailure } from './http-failure.ts'
import { arr, obj } from './json-shape.ts'
import type { ReplicaPool } from './replica-pool.ts'

/** What a server says about itself, for provenance and the fingerprint; `maxModelLen` where /v1/models lists it (vLLM). */
export interface ServerInfo { version: string | null; model: string; root: string | null; models: string[]; maxModelLen?: number | null }

/** Turns "cannot reach any replica" into a coded error that says what to check. */
export function unreachable(pool: ReplicaPool, e: unknown): never {
  if (e instanceof HttpFailure)
    throw new RmbenchError('E_HTTP_UNREACHABLE', `cannot get an answer from ${pool.endpoints.join(', ')} (${e.message}). Is the server up, and is the URL its root (e.g. http://localhost:8000)?`, { endpoints: pool.endpoints })
  throw e
}

/**
 * Asks an OpenAI-compatible server for its models (`GET /v1/models`) and, for vLLM, its version (`GET /version`),
 * and picks the served model: the one named, or the only/first one listed.
 */
export async function openAiServerInfo(pool: ReplicaPool, wanted: string | undefined, askVersion: boolean): Promise<ServerInfo> {
  let list: { id: string; root: string | null; maxModelLen: number | null }[]
  try {
    list = await pool.get('/v1/models', (json) => arr(obj(json, 'the answer').data, "'data'").map((m, i) => {
      const o = obj(m, `data[${i}]`)
      return { id: String(o.id), root: typeof o.root === 'string' ? o.root : null, maxModelLen: Number.isInteger(o.max_model_len) ? Number(o.max_model_len) : null }
    }))
  } catch (e) {
    return unreachable(pool, e)
  }
  let version: string | null = null
  if (askVersion) {
    try {
      version = await pool.get('/version', (json) => String(obj(json, 'the answer').version))
    } catch (e) {
      // Older servers and proxies lack it: recorded as unknown, and not counted as a failed request.
      if (e instanceof HttpFailure && e.kind === 'status') pool.forgetRefusal(e)
    }
  }
  const ids = list.map((m) => m.id)
  const pick = wanted === undefined ? list[0] : list.find((m) => m.id === wanted)
  if (!pick) {
    if (wanted !== undefined && !ids.length) return { version, model: wanted, root: null, models: ids } // a proxy that lists nothing
    throw new RmbenchError('E_MODEL_SPEC', wanted === undefined ? `${pool.endpoints[0]} serves no models (GET /v1/models is empty).` : `model=${wanted}: ${pool.endpoints[0]} serves ${ids.join(', ')}.${didYouMean(wanted, ids)}`, { option: 'model' })
  }
  return { version, model: pick.id, root: pick.root, models: ids, maxModelLen: pick.maxModelLen }
}

/**
 * TEI's `GET /info` (router/src/lib.rs `Info`, v0.6–v1.9.3): model id, revision, server version, and for a
 * classifier or reranker its labels in id order (`model_type: {classifier|reranker: {id2label}}`).
 */
export async function teiServerInfo(pool: ReplicaPool): Promise<ServerInfo & { sha: string | null; id2label: Record<string, string> | null; modelType: string | null }> {
  try {
    return await pool.get('/info', (json) => {
      const o = obj(json, 'the answer')
      const type = o.model_type && typeof o.model_type === 'object' ? (o.model_type as Record<string, unknown>) : {}
      const kind = Object.keys(type)[0] ?? null
      const head = kind && type[kind] && typeof type[kind] === 'object' ? (type[kind] as { id2label?: unknown }) : {}
      const id2label = head.id2label && typeof head.id2label === 'object' ? Object.fromEntries(Object.entries(head.id2label as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : null
      return { version: typeof o.version === 'string' ? o.version : null, model: String(o.model_id), root: null, models: [String(o.model_id)], sha: typeof o.model_sha === 'string' ? o.model_sha : null, id2label, modelType: kind }
    })
  } catch (e) {
    return unreachable(pool, e)
  }
}
