import type { Example } from '../../data/types.ts'
import { RmbenchError } from '../../errors.ts'
import { mean } from '../../stats/mean.ts'

/** One prompt of RewardBench 2's Ties subset: its kind and pid (from ids `ref:<pid>` / `tied:<pid>`) and scores. */
export interface TiesPrompt { kind: 'ref' | 'tied'; pid: string; correct: number[]; incorrect: number[] }

/** The parts of the Ties composite, as the reference computes them. */
export interface TiesParts { tiedAcc: number; refAcc: number; correctnessPreferred: number; correctnessPreferredHard: number; margin: number; score: number }

/** A Ties row's parts of the composite: every correct answer above every incorrect one, correct spread, gap. */
export interface TiesStats { accurate: boolean; correctSpread: number; gap: number }

/** One Ties row's stats, as the reference computes them. */
export function tiesStats(p: Pick<TiesPrompt, 'correct' | 'incorrect'>): TiesStats {
  const worstCorrect = Math.min(...p.correct)
  return {
    accurate: worstCorrect - Math.max(...p.incorrect) > 0,
    // The reference uses None for a single correct answer; NaN makes every comparison with it false, as intended.
    correctSpread: p.correct.length > 1 ? Math.max(...p.correct) - worstCorrect : NaN,
    gap: worstCorrect - Math.max(...p.incorrect),
  }
}


/**
 * RewardBench 2's Ties score: 0.30·tied accuracy + 0.30·ref accuracy + 0.20·correctness-preferred
 * + 0.20·its hard variant + 0.01·mean tanh(min(ref gap, tied gap) / tied spread − 1), over the prompts
 * that have both a ref and a tied entry. Division follows numpy (x/0 → ±∞ → tanh ±1; 0/0 → NaN → 0);
 * with no such prompt the terms are NaN, as in the reference, and so is the score.
 */
export function tiesScore(prompts: TiesPrompt[]): TiesParts {
  const ref = new Map<string, TiesStats>()
  const tied = new Map<string, TiesStats>()
  for (const p of prompts) (p.kind === 'ref' ? ref : tied).set(p.pid, tiesStats(p))
  const acc = (m: Map<string, TiesStats>) => (m.size ? mean([...m.values()].map((s) => (s.accurate ? 1 : 0))) : 0)
  const both = [...tied.keys()].filter((pid) => ref.has(pid))
  const spread = both.map((pid) => tied.get(pid)!.correctSpread)
  const tiedGap = both.map((pid) => tied.get(pid)!.gap)
  const hardGap = both.map((pid) => Math.min(ref.get(pid)!.gap, tied.get(pid)!.gap))
  const correctnessPreferred = mean(tiedGap.map((g, i) => (g > spread[i] ? 1 : 0)))
  const correctnessPreferredHard = mean(hardGap.map((g, i) => (g > spread[i] ? 1 : 0)))
  const margin = mean(hardGap.map((g, i) => tiesMargin(g, spread[i])))
  return tiesComposite({ tiedAcc: acc(tied), refAcc: acc(ref), correctnessPreferred, correctnessPreferredHard, margin })
}

/** A prompt's margin term: tanh(hard gap / tied spread − 1), 0 where numpy's division gives NaN. */
export function tiesMargin(hardGap: number, spread: number): number {
  const m = Math.tanh(hardGap / spread - 1)
  return Number.isNaN(m) ? 0 : m
}

/** The composite's weights over its parts: 0.30, 0.30, 0.20, 0.20, 0.01. */
export function tiesComposite(p: Omit<TiesParts, 'score'>): TiesParts {
  return { ...p, score: 0.3 * p.tiedAcc + 0.3 * p.refAcc + 0.2 * p.correctnessPreferred + 0.2 * p.correctnessPreferredHard + 0.01 * p.margin }
}

/** A Ties row's kind and prompt id, from its id `ref:<pid>` or `tied:<pid>`; another id is a coded error naming the row. */
export function splitTiesId(ex: Example): ['ref' | 'tied', string] {
  const m = /^(ref|tied):(.+)$/.exec(ex.id)
  if (!m) throw new RmbenchError('E_DATA_FIELD', `${ex.origin.file}:${ex.origin.line}: Ties example id '${ex.id}' must look like ref:<prompt id> or tied:<prompt id>.`, { id: ex.id })
  return [m[1] as 'ref' | 'tied', m[2]]
}
