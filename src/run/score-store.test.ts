import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ScoreCache } from './score-cache.ts'
import { ScoreStore } from './score-store.ts'
import { recordCheck } from './record-check.ts'

const FP = '0123456789abcdef'

t.test("a judge's text travels with its verdict and its failure, under the integrity check", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rmbench-store-'))
  const file = join(dir, 'records.jsonl')
  const s = new ScoreStore(file)
  s.append(FP, ['k1', 'k2', 'k3'], [
    { value: 0, output: 'Reasoning… [[A]]' },
    { error: { code: 'E_VERDICT', message: 'no [[A]], [[B]] or [[C]]' }, output: 'I cannot judge this.' },
    { value: -1.5, tokens: 3 },
  ])
  const back = new ScoreStore(file)
  t.same(back.getAny(FP, 'k1'), { fp: FP, key: 'k1', value: 0, output: 'Reasoning… [[A]]' })
  t.same(back.getAny(FP, 'k2'), { fp: FP, key: 'k2', error: { code: 'E_VERDICT', message: 'no [[A]], [[B]] or [[C]]' }, output: 'I cannot judge this.' })
  t.same(back.getAny(FP, 'k3'), { fp: FP, key: 'k3', value: -1.5, tokens: 3 }, 'a record without text is as before')
  t.equal(back.discarded, 0)
  // Editing the text breaks the line's check: the verdict is asked again rather than read from a changed answer.
  writeFileSync(file, readFileSync(file, 'utf8').replace('[[A]]', '[[B]]'))
  const edited = new ScoreStore(file)
  t.equal(edited.getAny(FP, 'k1'), undefined)
  t.equal(edited.discarded, 1)
})

t.test('the shared cache keeps verdict texts and unreadable verdicts, never other failures', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'rmbench-cache-'))
  const c = new ScoreCache(root)
  c.append(FP, [['a', { value: 0, output: '[[A]]' }], ['b', { error: { code: 'E_VERDICT', message: 'no label' }, output: 'hmm' }]])
  const back = new ScoreCache(root).scores(FP)
  t.same(back.get('a'), { value: 0, output: '[[A]]' })
  t.same(back.get('b'), { error: { code: 'E_VERDICT', message: 'no label' }, output: 'hmm' })
  // A failure of another kind, even with a matching check, is not reused (and is counted as unsound).
  const seg = join(root, 'scores', FP, 'hand.jsonl')
  const e = { code: 'E_HTTP', message: 'down' }
  writeFileSync(seg, JSON.stringify({ k: 'c', e, h: recordCheck(FP, 'c', { error: e }) }) + '\n')
  const again = new ScoreCache(root)
  t.equal(again.scores(FP).get('c'), undefined)
  t.equal(again.skipped(FP), 1)
})
