/** Requests per chunk: what a run scores (and makes durable) between two appends to its store. */
export function chunkSize(batchSize: number): number {
  return Math.max(batchSize * 4, 64)
}
