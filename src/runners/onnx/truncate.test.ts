import t from 'tap'
import { truncateOne } from './truncate.ts'

const seq = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i)

t.test('single sequence keeps the end when truncating left', async (t) => {
  t.same(truncateOne(seq(5), 3, 'left'), [2, 3, 4])
  t.same(truncateOne(seq(5), 3, 'right'), [0, 1, 2])
  t.same(truncateOne(seq(2), 3, 'left'), [0, 1])
})
