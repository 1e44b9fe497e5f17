import type { TruncationSide } from '../tokenizer-file.ts'

/**
 * Keeps at most `max` ids, dropping from `side`: a log-likelihood's full text, cut after its response boundary
 * is known (classifier inputs are cut by the tokenizer itself, `longest_first` for pairs).
 */
export function truncateOne(ids: number[], max: number, side: TruncationSide): number[] {
  if (ids.length <= max) return ids
  return side === 'left' ? ids.slice(ids.length - max) : ids.slice(0, max)
}
