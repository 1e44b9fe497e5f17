import fc from 'fast-check'
import t from 'tap'
import { duplicateKey } from './duplicate-keys.ts'

t.test('finds a key given twice in one object, at any depth, and says which item of a top-level array', async (t) => {
  t.same(duplicateKey('{"a":1,"b":2,"a":3}'), { key: 'a', item: undefined })
  t.same(duplicateKey('[{"a":1},{"b":{"c":1,"c":2}}]'), { key: 'c', item: 2 })
  t.same(duplicateKey('{"data":[{"x":1},{"x":2,"y":3,"x":4}]}'), { key: 'x', item: undefined })
  t.same(duplicateKey('{"a\\u0062":1,"ab":2}'), { key: 'ab', item: undefined }, 'escaped spellings of one key are one key')
  t.same(duplicateKey('{"q":"a \\"quoted\\" \\\\","q":1}'), { key: 'q', item: undefined }, 'escaped quotes and backslashes inside strings')
  t.equal(duplicateKey('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}'), null, 'the same key in different objects is fine')
  t.equal(duplicateKey('{"a":"b","b":"a"}'), null, 'values are not keys')
  t.equal(duplicateKey('{"a":["a","a"]}'), null, 'strings in arrays are not keys')
  t.equal(duplicateKey('[]'), null)
  t.equal(duplicateKey('"text"'), null)
})

t.test('agrees with a reference reading of any JSON value with some keys doubled', async (t) => {
  // The reference: build JSON text by hand from a value tree, doubling keys where the tree says, and compare.
  type Node = { obj: [string, Node][] } | { arr: Node[] } | { str: string } | { num: number }
  const node: fc.Arbitrary<Node> = fc.letrec<{ n: Node }>((tie) => ({
    n: fc.oneof({ depthSize: 'small' },
      fc.record({ str: fc.string({ unit: fc.constantFrom('a', '"', '\\', 'é', '{', '}', ',', ':', '[') }) }),
      fc.record({ num: fc.integer() }),
      fc.record({ arr: fc.array(tie('n'), { maxLength: 3 }) }),
      fc.record({ obj: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', '"q', '\\'), tie('n')), { maxLength: 4 }) })),
  })).n
  const text = (n: Node): string => ('str' in n ? JSON.stringify(n.str) : 'num' in n ? String(n.num) : 'arr' in n ? `[${n.arr.map(text).join(',')}]` : `{${n.obj.map(([k, v]) => `${JSON.stringify(k)}:${text(v)}`).join(',')}}`)
  const hasDup = (n: Node): boolean => ('arr' in n ? n.arr.some(hasDup) : 'obj' in n ? new Set(n.obj.map(([k]) => k)).size < n.obj.length || n.obj.some(([, v]) => hasDup(v)) : false)
  fc.assert(fc.property(node, (n) => {
    const s = text(n)
    JSON.parse(s)
    return (duplicateKey(s) !== null) === hasDup(n)
  }), { numRuns: 2000 })
  t.pass('2,000 generated values')
})
