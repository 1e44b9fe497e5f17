import t from 'tap'
import { truncateOne, truncatePair } from './truncate.ts'

const seq = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i)

t.test('single sequence keeps the end when truncating left', async (t) => {
  t.same(truncateOne(seq(5), 3, 'left'), [2, 3, 4])
  t.same(truncateOne(seq(5), 3, 'right'), [0, 1, 2])
  t.same(truncateOne(seq(2), 3, 'left'), [0, 1])
})

t.test("pairs follow the tokenizers library's longest_first rule", async (t) => {
  // fits: untouched
  t.same(truncatePair(seq(2), seq(3, 10), 5, 'left'), [seq(2), seq(3, 10)])
  // only the longer loses: n1=2 kept, n2 = 8 − 2 = 6
  const [a, b] = truncatePair(seq(2), seq(10, 100), 8, 'left')
  t.same([a, b], [[0, 1], seq(6, 104)])
  // both too long: 9 → 4 and 5; the longer side (second) gets the odd token
  const [c, d] = truncatePair(seq(7), seq(8, 100), 9, 'left')
  t.same([c.length, d.length], [4, 5])
  t.same(c, [3, 4, 5, 6])
  // swapped: the first is longer and receives the odd token
  const [e, f] = truncatePair(seq(8), seq(7, 100), 9, 'right')
  t.same([e, f], [[0, 1, 2, 3, 4], [100, 101, 102, 103]])
})
