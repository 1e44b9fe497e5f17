import t from 'tap'
import { hashTexts, sha256, stableStringify } from './hash.ts'

t.test('stableStringify: sorted keys (integer-like ones first, as JavaScript orders them), dropped and nulled values', async (t) => {
  t.equal(stableStringify({ b: 1, a: [undefined, () => 1, NaN], c: undefined }), '{"a":[null,null,null],"b":1}')
  t.equal(stableStringify({ b: 1, 10: 2, 9: 3, '09': 4 }), '{"9":3,"10":2,"09":4,"b":1}')
  t.equal(stableStringify([{ role: 'user', content: 'Hi "you"' }]), '[{"content":"Hi \\"you\\"","role":"user"}]')
  t.equal(stableStringify(new Date(0)), '"1970-01-01T00:00:00.000Z"')
  t.throws(() => stableStringify({ n: 1n }))
})

t.test('hashTexts: a function of the list, never of how it could be joined', async (t) => {
  const h = (...xs: string[]) => hashTexts(xs)
  t.match(h('a'), /^[0-9a-f]{16}$/)
  t.equal(h('ab', 'c'), h('ab', 'c'), 'deterministic')
  t.not(h('ab', 'c'), h('a', 'bc'), 'boundaries count')
  t.not(h('1:a'), h('1', 'a'), 'a length prefix inside a text is still text')
  t.not(h('', 'a'), h('a', ''))
  t.not(h('a'), h('a', ''), 'an empty string is an item')
  t.not(h('\ud800'), h('\ufffd'), 'a lone surrogate is not its UTF-8 replacement')
  t.not(h('\ud800'), h('"\\ud800"'), 'nor its JSON escape given as text')
  t.equal(h('é😀'), sha256('3:é😀').slice(0, 16))
  t.equal(h('x', 'yz'), sha256('1:x2:yz').slice(0, 16))
})
