import { RmbenchError } from '../../errors.ts'
import type { Scored } from '../types.ts'
import { HttpFailure } from './http-failure.ts'

/**
 * Sends `items` in HTTP calls of at most `size`, all at once (the pool bounds what is in flight), and turns a
 * call that failed for good into one error per request, so a server fault fails those items, never scores them.
 * An answer of the wrong shape stops the run (a coded error; finished scores are kept).
 * A 4xx on a multi-input call is retried one input at a time, so one bad input (too long, say) fails alone; when
 * every input then fails with the same message, or the server answers 404 (unknown model or route), the refusal
 * applies to every request: the run stops with the server's message (E_HTTP_SERVER) instead of failing each item.
 */
function refusal(message: string): RmbenchError {
  return new RmbenchError('E_HTTP_SERVER', `the server refuses these requests: ${message}. Nothing was scored by it; check the runner, api=, model and the server's launch flags (README, "Served models").`)
}

export async function callInBatches<T>(items: T[], size: number, call: (batch: T[]) => Promise<Scored[]>): Promise<Scored[]> {
  const parts: T[][] = []
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size))
  const settle = async (part: T[]): Promise<Scored[]> => {
    try {
      const got = await call(part)
      if (got.length !== part.length) throw new HttpFailure('shape', `the server answered ${got.length} results for ${part.length} inputs`)
      return got
    } catch (e) {
      if (!(e instanceof HttpFailure)) throw e
      // A well-formed answer of the wrong shape means the server speaks another API: no input will fare better.
      if (e.kind === 'shape') throw new RmbenchError('E_HTTP_SERVER', `${e.message}. Is this the right runner and api= for this server?`)
      if (e.kind === 'status' && e.status === 404) throw refusal(e.message)
      if (part.length > 1 && e.kind === 'status' && !e.retryable) {
        const each = (await Promise.all(part.map((x) => settle([x])))).flat()
        const messages = new Set(each.map((r) => ('error' in r ? `${r.error.code} ${r.error.message}` : '')))
        if (messages.size === 1 && !messages.has('') && each[0] && 'error' in each[0] && /^E_HTTP_4\d\d$/.test(each[0].error.code)) throw refusal(each[0].error.message)
        return each
      }
      return part.map(() => ({ error: { code: e.code, message: e.message } }))
    }
  }
  return (await Promise.all(parts.map(settle))).flat()
}
