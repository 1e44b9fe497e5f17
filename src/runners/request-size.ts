import type { RewardRequest } from './types.ts'

/** A request's size in characters (prompt turns + response): the cheap length proxy runners sort batches by. */
export function requestChars(req: RewardRequest): number {
  return req.response.length + req.prompt.reduce((n, m) => n + m.content.length, 0)
}
