import t from 'tap'
import { IdSet } from './id-set.ts'

t.test('holds ids across growth and says where a repeated id was first seen', async (t) => {
  const s = new IdSet()
  let fresh = 0
  for (let i = 0; i < 50000; i++) if (s.add(`id-${i}`, i) === undefined) fresh++
  t.equal(fresh, 50000, 'no false duplicate among 50,000 distinct ids')
  t.equal(s.size, 50000)
  t.equal(s.add('id-123', 99), 123)
  t.equal(s.add('id-49999', 1), 49999)
  t.equal(s.add('', 7), undefined)
  t.equal(s.add('', 8), 7, 'the empty id too')
  t.equal(s.add('é', 1), undefined)
  t.equal(s.add('e\u0301', 2), undefined, 'different code units are different ids')
})
