import { Registry } from '../util/registry.ts'

/** What a judge's answer says: which shown response won (or a tie), or a rating; a string says why it says neither. */
export type ParsedVerdict = { winner: 'first' | 'second' | 'tie' } | { rating: number } | string

/** What a rule may need beside the text: the template's two labels and the rating scale. */
export interface RuleContext { labels: [string, string]; scale: [number, number] }

/** How one judge template's answers are read. */
export interface VerdictRule {
  name: string
  kind: 'pairwise' | 'rating'
  /** One line for the docs: what the rule looks for, and whose rule it is. */
  describe: string
  parse(text: string, ctx: RuleContext): ParsedVerdict
}

/** The answer without surrounding quotes, brackets, markdown stars and closing punctuation, lowercased. */
export function bareAnswer(s: string): string {
  return s.trim().replace(/^[[("'*]+|[\])"'*.:,]+$/g, '').trim().toLowerCase()
}

const quote = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s)

/** A one-token answer: the bare answer is a label, or starts with one and a space ("A is better"). */
const letter: VerdictRule = {
  name: 'letter',
  kind: 'pairwise',
  describe: 'the answer is label A or label B (quotes, brackets and closing punctuation ignored)',
  parse(text, { labels }) {
    const said = bareAnswer(text)
    const [a, b] = labels.map(bareAnswer)
    const names = (l: string) => said === l || said.startsWith(`${l} `)
    if (names(a) && !names(b)) return { winner: 'first' }
    if (names(b) && !names(a)) return { winner: 'second' }
    return `the answer ${quote(text)} is neither ${labels[0]} nor ${labels[1]}`
  },
}

/**
 * MT-Bench's pairwise rule, as FastChat's judge and RewardBench's generative script read it: "[[A]]" anywhere wins,
 * else "[[B]]", else "[[C]]" (a tie); checked in that order, so an answer that writes both [[A]] and [[B]] is A.
 */
const mtBench: VerdictRule = {
  name: 'mt-bench',
  kind: 'pairwise',
  describe: '"[[A]]" anywhere, else "[[B]]", else "[[C]]" (tie), in that order (FastChat / RewardBench)',
  parse(text) {
    if (text.includes('[[A]]')) return { winner: 'first' }
    if (text.includes('[[B]]')) return { winner: 'second' }
    if (text.includes('[[C]]')) return { winner: 'tie' }
    return `no [[A]], [[B]] or [[C]] in ${quote(text)}`
  },
}

/** The verdict labels Arena-Hard's prompt asks for and JudgeBench logs (the letters name the positions shown). */
export const VERDICT_LABELS: Record<string, 'first' | 'second' | 'tie'> = { 'A>>B': 'first', 'A>B': 'first', 'A=B': 'tie', 'B>A': 'second', 'B>>A': 'second' }

/** P(first label) from the two labels' log-probs: a two-way softmax. */
export const twoWay = (la: number, lb: number): number => 1 / (1 + Math.exp(lb - la))

/** P(first shown wins) that a read verdict states: 1, 0, or ½ for a tie. */
export const firstWinsProb = (winner: 'first' | 'second' | 'tie'): number => (winner === 'first' ? 1 : winner === 'second' ? 0 : 0.5)

/**
 * Arena-Hard's rule (gen_judgment.py, as JudgeBench runs it): every [[…]] made of A, B, <, >, =; exactly one
 * distinct label is the verdict; none, or several different ones, is no verdict. A>>B and A>B both mean A.
 */
const arenaHard: VerdictRule = {
  name: 'arena-hard',
  kind: 'pairwise',
  describe: 'one distinct [[A>>B]] / [[A>B]] / [[A=B]] / [[B>A]] / [[B>>A]] label (several different ones: no verdict) (Arena-Hard, JudgeBench)',
  parse(text) {
    const found = [...new Set([...text.matchAll(/\[\[([AB<>=]+)\]\]/g)].map((m) => m[1]))]
    if (!found.length) return `no verdict label like [[A>B]] in ${quote(text)}`
    if (found.length > 1) return `several different verdict labels (${found.map((f) => `[[${f}]]`).join(', ')})`
    return VERDICT_LABELS[found[0]] ? { winner: VERDICT_LABELS[found[0]] } : `[[${found[0]}]] is not one of the five verdict labels`
  },
}

/** JudgeBench's vanilla judge and LLMBar's prompt: the whole answer (trimmed) is "Output (a)" or "Output (b)". */
const ab: VerdictRule = {
  name: 'ab',
  kind: 'pairwise',
  describe: 'the trimmed answer is exactly "Output (a)" or "Output (b)" (JudgeBench\'s vanilla judge)',
  parse(text) {
    const t = text.trim()
    if (t === 'Output (a)') return { winner: 'first' }
    if (t === 'Output (b)') return { winner: 'second' }
    return `the answer ${quote(text)} is not "Output (a)" or "Output (b)"`
  },
}

/** A rating on the scale: an integer, or why the number is not one. */
function onScale(raw: string, [lo, hi]: [number, number]): ParsedVerdict {
  const r = Number(raw)
  if (!Number.isInteger(r)) return `rating ${raw} is not a whole number on the scale ${lo}–${hi}`
  if (r < lo || r > hi) return `rating ${raw} is outside the scale ${lo}–${hi}`
  return { rating: r }
}

/** MT-Bench's single-answer rule: the first "[[n]]", else the first "[n]"; the rating must be a whole number on the scale. */
const rating: VerdictRule = {
  name: 'rating',
  kind: 'rating',
  describe: 'the first "[[n]]" (else "[n]") is the rating, a whole number on judge.scale (MT-Bench single-answer grading)',
  parse(text, { scale }) {
    const m = /\[\[(\d+\.?\d*)\]\]/.exec(text) ?? /\[(\d+\.?\d*)\]/.exec(text)
    return m ? onScale(m[1], scale) : `no rating like [[5]] in ${quote(text)}`
  },
}

/** A one-token rating: the bare answer is a whole number on the scale. */
const number: VerdictRule = {
  name: 'number',
  kind: 'rating',
  describe: 'the answer is a whole number on judge.scale',
  parse(text, { scale }) {
    const said = bareAnswer(text)
    return /^\d+$/.test(said) ? onScale(said, scale) : `the answer ${quote(text)} is not a rating`
  },
}

/** Verdict rules by name (a template's `parse`, or the suite's judge.parse). */
export const verdictRules = new Registry<VerdictRule>('verdict rule')
for (const r of [letter, mtBench, arenaHard, ab, rating, number]) verdictRules.register(r.name, r)
