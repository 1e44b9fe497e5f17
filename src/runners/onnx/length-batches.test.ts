import fc from 'fast-check'
import t from 'tap'
import { lengthBatches } from './length-batches.ts'

t.test('a batch never exceeds the row count or the padded-token budget (unless one row alone is longer)', async (t) => {
  let checked = 0
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 1200 }), { maxLength: 200 }),
    fc.integer({ min: 1, max: 64 }),
    fc.integer({ min: 1, max: 20000 }),
    (lengths, batchSize, budget) => {
      const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b)
      const batches = lengthBatches(order, lengths, batchSize, budget)
      // Every request once, in the given order.
      if (JSON.stringify(batches.flat()) !== JSON.stringify(order)) return false
      for (const b of batches) {
        if (!b.length || b.length > batchSize) return false
        const padded = b.length * Math.max(...b.map((i) => lengths[i]))
        if (padded > budget && b.length > 1) return false
      }
      checked += batches.length
      return true
    },
  ), { numRuns: 500, seed: 8 })
  t.ok(checked > 1000, `${checked} batches checked`)
})

t.test('hand-checked splits', async (t) => {
  // lengths 10, 20, 30, 40, 50 under 60 padded tokens: [10,20] would be 2×20=40, [10,20,30] 3×30=90 > 60.
  const lengths = [10, 20, 30, 40, 50]
  t.same(lengthBatches([0, 1, 2, 3, 4], lengths, 16, 60), [[0, 1], [2], [3], [4]])
  t.same(lengthBatches([0, 1, 2, 3, 4], lengths, 2, 1000), [[0, 1], [2, 3], [4]])
  // A row longer than the budget is scored alone rather than dropped.
  t.same(lengthBatches([0, 1], [5, 500], 8, 100), [[0], [1]])
  t.same(lengthBatches([], [], 8, 100), [])
  // budget 60: [5,10,10] pads to 30; adding 40 would pad 4×40 = 160 > 60
  t.same(lengthBatches([0, 1, 2, 3, 4], [5, 10, 10, 40, 50], 16, 60), [[0, 1, 2], [3], [4]])
})
