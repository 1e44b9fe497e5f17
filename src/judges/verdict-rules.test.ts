import t from 'tap'
import { bundledTemplateText, judgeTemplates } from './judge-templates.ts'
import { verdictRules } from './verdict-rules.ts'

const ctx = { labels: ['A', 'B'] as [string, string], scale: [1, 10] as [number, number] }
const parse = (rule: string, text: string, c = ctx) => verdictRules.get(rule).parse(text, c)

t.test('mt-bench: the verdict after the reasoning; FastChat / RewardBench order when both letters appear', async (t) => {
  const reasoning = `Assistant A gives the correct derivation and explains each step, while Assistant B skips the
second step and its final number is off by one. Both are polite and formatted well.

Final verdict: [[A]]`
  t.same(parse('mt-bench', reasoning), { winner: 'first' })
  t.same(parse('mt-bench', 'B is clearly better here. [[B]]'), { winner: 'second' })
  t.same(parse('mt-bench', 'They are equally good. [[C]]'), { winner: 'tie' })
  // Both bracketed letters: the reference checks "[[A]]" first, so the answer reads as A even though B came last.
  t.same(parse('mt-bench', 'I first leaned to [[B]], but on reflection [[A]] is better.'), { winner: 'first' })
  t.same(parse('mt-bench', 'I considered [[A]] but the final verdict is [[B]]'), { winner: 'first' }, 'the reference rule, not a guess at intent')
  t.match(parse('mt-bench', "I'm sorry, but I can't help compare these responses."), /no \[\[A\]\], \[\[B\]\] or \[\[C\]\]/)
  t.match(parse('mt-bench', ''), /no \[\[A\]\]/, 'an empty answer is no verdict')
  t.match(parse('mt-bench', 'Verdict: [A]'), /no \[\[A\]\]/, 'single brackets are not the format')
})

t.test('arena-hard: one distinct label; several different labels are no verdict', async (t) => {
  t.same(parse('arena-hard', 'My own answer: 42.\n\nAssistant A is correct and concise.\n\nMy final verdict is: [[A>>B]]'), { winner: 'first' })
  t.same(parse('arena-hard', 'My final verdict is Assistant A is slightly better: [[A>B]]'), { winner: 'first' })
  t.same(parse('arena-hard', 'My final verdict is tie: [[A=B]]'), { winner: 'tie' })
  t.same(parse('arena-hard', 'B wins. [[B>A]] ... to restate: [[B>A]]'), { winner: 'second' }, 'the same label twice is one label')
  t.same(parse('arena-hard', '[[B>>A]]'), { winner: 'second' })
  t.match(parse('arena-hard', 'Between [[A>B]] and [[B>A]] I pick the second: [[B>A]]'), /several different verdict labels/)
  t.match(parse('arena-hard', 'Both answers are fine.'), /no verdict label/)
  t.match(parse('arena-hard', '[[A<B]]'), /not one of the five/)
  t.match(parse('arena-hard', 'final: [[a>b]]'), /no verdict label/, 'the labels are upper case, as the reference pattern reads them')
})

t.test('ab: the whole trimmed answer, as JudgeBench\'s vanilla judge reads it', async (t) => {
  t.same(parse('ab', 'Output (a)'), { winner: 'first' })
  t.same(parse('ab', '  Output (b)\n'), { winner: 'second' })
  t.match(parse('ab', 'Output (a) is better because it is correct.'), /not "Output \(a\)"/)
  t.match(parse('ab', 'output (a)'), /not "Output \(a\)"/)
  t.match(parse('ab', ''), /not "Output \(a\)"/)
})

t.test('letter: one-token answers, quotes and punctuation ignored', async (t) => {
  t.same(parse('letter', ' A'), { winner: 'first' })
  t.same(parse('letter', '"B".'), { winner: 'second' })
  t.same(parse('letter', 'A is better'), { winner: 'first' })
  t.match(parse('letter', 'Neither'), /neither A nor B/)
  t.same(parse('letter', '(3)', { ...ctx, labels: ['2', '3'] }), { winner: 'second' }, 'labels are the template\'s own')
})

t.test('rating and number: whole numbers on the scale', async (t) => {
  t.same(parse('rating', 'The answer is accurate and complete.\n\nRating: [[8]]'), { rating: 8 })
  t.same(parse('rating', 'Rating: [7] — decent'), { rating: 7 }, 'MT-Bench falls back to single brackets')
  t.same(parse('rating', 'Rating: [[3]] (earlier draft said [[9]])'), { rating: 3 }, 'the first rating')
  t.match(parse('rating', 'Rating: [[7.5]]'), /not a whole number/)
  t.match(parse('rating', 'Rating: [[11]]'), /outside the scale 1–10/)
  t.match(parse('rating', 'I cannot rate this.'), /no rating/)
  t.same(parse('number', ' 7'), { rating: 7 })
  t.match(parse('number', 'seven'), /not a rating/)
})

t.test('every bundled prompt has its file, its placeholders and a rule of its kind', async (t) => {
  for (const name of judgeTemplates.names()) {
    const tpl = judgeTemplates.get(name)
    const text = bundledTemplateText(name)
    t.equal(verdictRules.get(tpl.parse).kind, tpl.kind, `${name}: rule kind`)
    for (const p of tpl.kind === 'pairwise' ? ['{question}', '{answer_a}', '{answer_b}'] : ['{question}', '{answer}']) t.ok(text.includes(p), `${name} has ${p}`)
  }
  t.throws(() => judgeTemplates.get('mt-bnch'), { code: 'E_UNKNOWN_NAME', message: /Did you mean 'mt-bench'/ })
})
