import { readFileSync } from 'node:fs'
import t from 'tap'

// The page's own diff code, run here as the page runs it (plain JavaScript, one function scope).
const source = readFileSync(new URL('./explorer-diff.js', import.meta.url), 'utf8')
const { diffMarks } = new Function(`${source}\nreturn { diffMarks }`)() as { diffMarks: (a: string, b: string) => { t: string[]; m: Uint8Array }[] | null }

/** The marked words of each side, joined as the page shows them. */
const marked = (a: string, b: string) => {
  const d = diffMarks(a, b)
  return d && d.map((side) => side.t.filter((tok, i) => side.m[i] && tok.trim()).join(' '))
}

t.test('responses that differ in a few words: exactly those words are marked on each side', async (t) => {
  t.same(marked('The capital of France is Paris, a city on the Seine.', 'The capital of France is Lyon, a city on the Rhône.'), ['Paris Seine', 'Lyon Rhône'])
  t.same(marked('2 + 2 = 4 so the answer is 4', '2 + 2 = 5 so the answer is 5'), ['4 4', '5 5'])
  t.same(marked('Ce café coûte 3,50 €.', 'Ce café coûte 4,50 €.'), ['3', '4'], 'words with accents and numbers split at punctuation')
  t.same(marked('keep this sentence as it is today', 'keep this whole sentence as it is today'), ['', 'whole'], 'an insertion marks only the new word')
})

t.test('texts that are simply different are not highlighted; identical texts mark nothing', async (t) => {
  t.equal(diffMarks('Plants use light to make sugar.', 'I cannot answer that question, sorry.'), null)
  t.equal(diffMarks('', ''), null)
  t.same(marked('same words here', 'same words here'), ['', ''])
})

t.test('a long pair differing in one word is marked without a quadratic table over the whole text', async (t) => {
  const body = Array.from({ length: 20000 }, (_, i) => `w${i}`).join(' ')
  t.same(marked(`${body} alpha ${body}`, `${body} beta ${body}`), ['alpha', 'beta'])
})
