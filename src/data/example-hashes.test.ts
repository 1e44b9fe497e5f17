import fc from 'fast-check'
import t from 'tap'
import { sha256, stableStringify } from '../util/hash.ts'
import { ArrayHash, datasetJson, rowJson } from './example-hashes.ts'
import type { Example } from './types.ts'

const example = fc.record({
  id: fc.string(),
  group: fc.string(),
  prompt: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'system'), content: fc.string({ unit: 'binary' }) })),
  chosen: fc.array(fc.string({ unit: 'binary' })),
  rejected: fc.array(fc.string({ unit: 'binary' })),
  alpha: fc.option(fc.double(), { nil: undefined }),
}, { requiredKeys: ['id', 'group', 'prompt', 'chosen', 'rejected'] }).map((e) => ({ ...e, origin: { file: 'f', line: 1 } }) as Example)

t.test('the rows JSON is the dataset JSON with alpha appended, as stable JSON of the six fields', async (t) => {
  fc.assert(fc.property(example, (ex) => {
    const json = datasetJson(ex)
    return json === stableStringify([ex.id, ex.group, ex.prompt, ex.chosen, ex.rejected])
      && rowJson(ex, json) === stableStringify([ex.id, ex.group, ex.prompt, ex.chosen, ex.rejected, ex.alpha ?? null])
  }))
  t.equal(rowJson({ id: 'a', group: 'g', prompt: [{ role: 'user', content: 'q' }], chosen: ['x'], rejected: [], origin: { file: 'f', line: 1 } }), '["a","g",[{"content":"q","role":"user"}],["x"],[],null]')
})

t.test('ArrayHash equals the hash of the joined array', async (t) => {
  fc.assert(fc.property(fc.array(example), (exs) => {
    const h = new ArrayHash()
    for (const ex of exs) h.add(datasetJson(ex))
    return h.hex() === sha256(stableStringify(exs.map((ex) => [ex.id, ex.group, ex.prompt, ex.chosen, ex.rejected])))
  }))
})
