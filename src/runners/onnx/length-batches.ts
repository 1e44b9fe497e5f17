/**
 * Splits requests, given in ascending length order, into batches under a count and a padded-token budget
 * (rows × longest row). A single row longer than the budget is a batch alone: it cannot be split.
 */
export function lengthBatches(order: number[], lengths: number[], batchSize: number, maxTokens: number): number[][] {
  const out: number[][] = []
  let cur: number[] = []
  for (const i of order) {
    // Ascending order: the newcomer is the batch's longest row, so it sets the padded width.
    if (cur.length && (cur.length >= batchSize || lengths[i] * (cur.length + 1) > maxTokens)) {
      out.push(cur)
      cur = []
    }
    cur.push(i)
  }
  if (cur.length) out.push(cur)
  return out
}
