import t from 'tap'
import { TypedList } from './typed-list.ts'

t.test('a typed list keeps every item, in order, across its growths', async (t) => {
  const ints = new TypedList((n) => new Int32Array(n))
  const doubles = new TypedList((n) => new Float64Array(n))
  for (let i = 0; i < 5000; i++) {
    ints.push(i * 3 - 7)
    doubles.push(i / 7)
  }
  t.equal(ints.length, 5000)
  t.ok(ints.view() instanceof Int32Array)
  t.equal(ints.view().length, 5000)
  t.same([ints.view()[0], ints.view()[1023], ints.view()[1024], ints.view()[4999]], [-7, 3062, 3065, 14990])
  t.same([doubles.view()[0], doubles.view()[2048], doubles.view()[4999]], [0, 2048 / 7, 4999 / 7])
  t.equal(new TypedList((n) => new Float64Array(n)).view().length, 0, 'empty')
})
