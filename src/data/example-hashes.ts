import { createHash, type Hash } from 'node:crypto'
import { stableStringify } from '../util/hash.ts'
import type { Example } from './types.ts'

/** sha256 of a JSON array fed one element's JSON at a time: equals sha256(stableStringify(array)). */
export class ArrayHash {
  private readonly h: Hash = createHash('sha256').update('[')
  private first = true
  add(json: string): void {
    this.h.update(this.first ? json : ',' + json)
    this.first = false
  }
  hex(): string {
    return this.h.update(']').digest('hex')
  }
}

/** Stable JSON of what the dataset hash covers of an example: [id, group, prompt, chosen, rejected]. */
export function datasetJson(ex: Example): string {
  return stableStringify([ex.id, ex.group, ex.prompt, ex.chosen, ex.rejected])
}

/**
 * Stable JSON of what a rows_sha256 pin covers: the dataset fields and alpha. Built from `datasetJson` (the same
 * array with one more element), so a caller holding that text escapes the texts once for both hashes.
 */
export function rowJson(ex: Example, dataset = datasetJson(ex)): string {
  return `${dataset.slice(0, -1)},${stableStringify(ex.alpha ?? null)}]`
}
