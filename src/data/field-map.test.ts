import t from 'tap'
import { mapRow } from './field-map.ts'

const where = { file: 'd.jsonl', line: 3 }
const fields = { id: 'pair_id', prompt: 'question', responses: ['response_A', 'response_B'] as [string, string], label: 'label', label_names: ['A>B', 'B>A'] as [string, string] }
const row = (label: unknown) => ({ pair_id: 'p', question: 'q', response_A: 'first', response_B: 'second', label })

t.test('text labels (label_names): strict, and the data\'s order is kept for judges', async (t) => {
  const a = mapRow(row('A>B'), fields, where, { idPrefix: 'd' })
  t.same([a.chosen, a.rejected, a.swapped], [['first'], ['second'], undefined])
  const b = mapRow(row('B>A'), fields, where, { idPrefix: 'd' })
  t.same([b.chosen, b.rejected, b.swapped], [['second'], ['first'], true], 'the second won: chosen is B, and the data showed it second')
  for (const bad of ['a>b', 'A>B ', 'A=B', 1, null])
    t.throws(() => mapRow(row(bad), fields, where, { idPrefix: 'd' }), { code: 'E_DATA_FIELD', message: /d\.jsonl:3: label 'label' is .*expected "A>B" \(the first response is better\) or "B>A"/ }, `label ${JSON.stringify(bad)}`)
  const numbered = mapRow({ ...row(2), label: 2 }, { ...fields, label_names: undefined }, where, { idPrefix: 'd' })
  t.same([numbered.chosen, numbered.swapped], [['second'], true], 'numbered labels mark a swap too')
})
