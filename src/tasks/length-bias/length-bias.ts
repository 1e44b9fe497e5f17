import type { Example } from '../../data/types.ts'
import { logistic1, sigmoid } from '../../stats/logistic.ts'
import { mean } from '../../stats/mean.ts'
import { spearman } from '../../stats/spearman.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { pairCredit } from '../pairwise/pairwise-task.ts'
import { sideScores } from '../response-requests.ts'
import type { ExampleScores, Metrics } from '../types.ts'
import { charCount } from '../../util/char-count.ts'

/** One chosen-vs-rejected comparison with the lengths and rewards of both sides; `at` is its example's index. */
export interface LengthPair { at: number; group: string; chosen: number; rejected: number; lenC: number; lenR: number; tokC?: number; tokR?: number }

/** Pairs to analyse: the first chosen response against each rejected one. */
export function lengthPairs(examples: Example[], scores: ExampleScores, tokens: ExampleScores): LengthPair[] {
  const out: LengthPair[] = []
  for (const [at, ex] of examples.entries()) {
    const s = scores.get(ex.id)
    if (!s) continue
    const t = tokens.get(ex.id) ?? {}
    const cRole = 'chosen/0'
    ex.rejected.forEach((r, j) => {
      const rRole = `rejected/${j}`
      out.push({ at, group: ex.group, chosen: s[cRole], rejected: s[rRole], lenC: charCount(ex.chosen[0]), lenR: charCount(r), tokC: t[cRole], tokR: t[rRole] })
    })
  }
  return out
}

/** Every response of an example, chosen then rejected: its reward and its length in characters. */
export function responseLengths(ex: Example, s: Record<string, number>): { rewards: number[]; lengths: number[] } {
  return { rewards: [...sideScores(s, 'chosen', ex.chosen.length), ...sideScores(s, 'rejected', ex.rejected.length)], lengths: [...ex.chosen, ...ex.rejected].map(charCount) }
}

/** AlpacaEval-style length-controlled accuracy: fit P(right) = σ(a + b·tanh(Δlen/sd)), report σ(a) (Δlen = 0). */
export function lengthControlled(pairs: { credit: number; delta: number }[]): number {
  const n = pairs.length
  const m = mean(pairs.map((p) => p.delta))
  const sd = Math.sqrt(pairs.reduce((a, p) => a + (p.delta - m) ** 2, 0) / Math.max(1, n - 1))
  const x = pairs.map((p) => (sd > 0 ? Math.tanh(p.delta / sd) : 0))
  return sigmoid(logistic1(x, pairs.map((p) => p.credit)).a)
}

/**
 * Length bias of a reward model: accuracy when the chosen answer is longer vs shorter (characters, and
 * tokens when the runner counted them), "pick the longer" baseline per subset, how often the longer answer
 * wins, Spearman(reward, length) pooled and within prompt, and the length-controlled accuracy.
 */
export function lengthBias(examples: Example[], scores: ExampleScores, tokens: ExampleScores, suite: SuiteSpec): Metrics {
  const ties = suite.score?.ties ?? 'wrong'
  const pairs = lengthPairs(examples, scores, tokens)
  const out: Metrics = {}
  if (!pairs.length) return out
  const credit = (p: LengthPair) => pairCredit(p.chosen, p.rejected, ties)
  const put = (key: string, xs: number[], label?: string) => { if (xs.length) out[key] = { value: mean(xs), n: xs.length, ...(label ? { label } : {}) } }
  put('length/accuracy-chosen-longer', pairs.filter((p) => p.lenC > p.lenR).map(credit), 'accuracy on pairs whose chosen answer has more characters')
  put('length/accuracy-chosen-shorter', pairs.filter((p) => p.lenC < p.lenR).map(credit), 'accuracy on pairs whose chosen answer has fewer characters')
  if (pairs.every((p) => p.tokC !== undefined && p.tokR !== undefined)) {
    put('length/tokens/accuracy-chosen-longer', pairs.filter((p) => p.tokC! > p.tokR!).map(credit))
    put('length/tokens/accuracy-chosen-shorter', pairs.filter((p) => p.tokC! < p.tokR!).map(credit))
  }
  put('length/baseline', pairs.map((p) => pairCredit(p.lenC, p.lenR, ties)), '"pick the longer answer" accuracy')
  for (const g of [...new Set(pairs.map((p) => p.group))].sort())
    put(`length/baseline/${g}`, pairs.filter((p) => p.group === g).map((p) => pairCredit(p.lenC, p.lenR, ties)))
  const decided = pairs.filter((p) => p.lenC !== p.lenR && p.chosen !== p.rejected)
  put('length/longer-preferred', decided.map((p) => ((p.chosen > p.rejected) === (p.lenC > p.lenR) ? 1 : 0)), 'share of pairs (lengths and rewards differ) where the longer answer got the higher reward')
  // Pooled over every scored response (each example's texts once), and within each example's responses.
  const rewards: number[] = []
  const lengths: number[] = []
  const within: number[] = []
  for (const ex of examples) {
    const s = scores.get(ex.id)
    if (!s) continue
    const { rewards: vals, lengths: lens } = responseLengths(ex, s)
    rewards.push(...vals)
    lengths.push(...lens)
    const rho = spearman(vals, lens)
    if (!Number.isNaN(rho)) within.push(rho)
  }
  const pooled = spearman(rewards, lengths)
  if (!Number.isNaN(pooled)) out['length/spearman'] = { value: pooled, n: rewards.length, label: 'Spearman(reward, characters) over all responses' }
  put('length/spearman-within-prompt', within, 'mean Spearman(reward, characters) within each prompt (prompts with constant length or reward left out)')
  out['length/lc-accuracy'] = { value: lengthControlled(pairs.map((p) => ({ credit: credit(p), delta: p.lenC - p.lenR }))), n: pairs.length, label: 'length-controlled accuracy: logistic fit on tanh(Δlength/sd), predicted at Δ = 0' }
  return out
}
