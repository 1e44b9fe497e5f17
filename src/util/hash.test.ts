import t from 'tap'
import { stableStringify } from './hash.ts'

t.test('stableStringify: sorted keys (integer-like ones first, as JavaScript orders them), dropped and nulled values', async (t) => {
  t.equal(stableStringify({ b: 1, a: [undefined, () => 1, NaN], c: undefined }), '{"a":[null,null,null],"b":1}')
  t.equal(stableStringify({ b: 1, 10: 2, 9: 3, '09': 4 }), '{"9":3,"10":2,"09":4,"b":1}')
  t.equal(stableStringify([{ role: 'user', content: 'Hi "you"' }]), '[{"content":"Hi \\"you\\"","role":"user"}]')
  t.equal(stableStringify(new Date(0)), '"1970-01-01T00:00:00.000Z"')
  t.throws(() => stableStringify({ n: 1n }))
})
