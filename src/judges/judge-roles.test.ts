import t from 'tap'
import { cellPrefix, pairRole, parseJudgeRole, rateRole } from './judge-roles.ts'

t.test('judge roles read back as they were written', async (t) => {
  t.same(parseJudgeRole(pairRole('', 'AB', 'A')), { kind: 'pair', order: 'AB', label: 'A', unit: 'AB' })
  t.same(parseJudgeRole(pairRole(cellPrefix(0, 2), 'BA', 'B')), { kind: 'pair', cell: '0-2', order: 'BA', label: 'B', unit: 'c0r2/BA' })
  t.same(parseJudgeRole(rateRole('rejected/1', 7)), { kind: 'rate', completion: 'rejected/1', value: '7', unit: 'rejected/1' })
  t.same(parseJudgeRole(rateRole(null, 10)), { kind: 'rate', completion: null, value: '10', unit: 'rate' })
  t.equal(parseJudgeRole('chosen/0'), null, 'a reward role is no judge role')
})
