import t from 'tap'
import { coveredMs, uncoveredMs } from './intervals.ts'

t.test('time covered once, and the part of one set of spans the other does not cover (by hand)', async (t) => {
  t.equal(coveredMs([[0, 10], [5, 15], [20, 25]]), 20, '[0,15] and [20,25]')
  t.equal(coveredMs([]), 0)
  // tokenising [0,10] [12,20]; session [5,14] [18,30]: uncovered 0–5, 14–18 → 9
  t.equal(uncoveredMs([[0, 10], [12, 20]], [[5, 14], [18, 30]]), 9)
  t.equal(uncoveredMs([[0, 10]], []), 10, 'nothing overlaps: all of it')
  t.equal(uncoveredMs([[2, 4]], [[0, 10]]), 0, 'wholly inside the other')
  t.equal(uncoveredMs([[0, 4], [3, 8]], [[6, 7], [7, 9]]), 6, 'self-overlapping spans merge first: [0,8] minus [6,8]')
})
