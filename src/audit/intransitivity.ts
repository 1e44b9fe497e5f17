import { RmbenchError } from '../errors.ts'

/** A verdict as a judge log records it: the position shown first (A) or second (B) won, a tie, a P(first wins), or none. */
export type Verdict = 'A' | 'B' | 'tie' | number | null

/** One pairwise judgment of two responses (indices) of a prompt, in both presentation orders where there are two. */
export interface Judgment { id: string; a: number; b: number; AB?: Verdict; BA?: Verdict }

/** One prompt's tournament: its responses, judged pairs, directed wins, and the cyclic triads among them. */
export interface PromptCycles { id: string; responses: number; pairs: number; ties: number; triads: number; cyclic: number }

/** P(response a beats b) from one order's verdict; in BA the data's b is shown first, so the letters swap. */
function winProb(v: Verdict | undefined, order: 'AB' | 'BA'): number | null {
  if (v === null || v === undefined) return null
  const first = v === 'A' ? 1 : v === 'B' ? 0 : v === 'tie' ? 0.5 : v
  return order === 'AB' ? first : 1 - first
}

/**
 * Cyclic triads of each prompt (a beats b, b beats c, c beats a): the pair's winner is the response whose mean
 * win probability over the orders judged is above ½; an even pair (a tie, or orders that cancel) has no winner
 * and so closes no cycle. A scorer (any reward model) orders its responses and has none, by construction.
 */
export function cyclicTriads(judgments: Judgment[]): PromptCycles[] {
  const byPrompt = new Map<string, Map<string, number>>()
  const sizes = new Map<string, number>()
  for (const j of judgments) {
    const ps = [winProb(j.AB, 'AB'), winProb(j.BA, 'BA')].filter((p): p is number => p !== null)
    if (!ps.length) continue
    const [lo, hi] = j.a < j.b ? [j.a, j.b] : [j.b, j.a]
    const p = ps.reduce((x, y) => x + y, 0) / ps.length
    const pairs = byPrompt.get(j.id) ?? new Map<string, number>()
    const key = `${lo},${hi}`
    if (pairs.has(key)) throw new RmbenchError('E_AUDIT', `judgments: prompt ${j.id} has responses ${lo} and ${hi} judged twice; give one line per pair (with AB and BA in it).`)
    pairs.set(key, j.a === lo ? p : 1 - p)
    byPrompt.set(j.id, pairs)
    sizes.set(j.id, Math.max(sizes.get(j.id) ?? 0, hi + 1))
  }
  return [...byPrompt].map(([id, pairs]) => {
    const n = sizes.get(id)!
    // beats[i][j] = 1 when i beats j.
    const beats = Array.from({ length: n }, () => new Uint8Array(n))
    let ties = 0
    for (const [key, p] of pairs) {
      const [i, j] = key.split(',').map(Number)
      if (p > 0.5) beats[i][j] = 1
      else if (p < 0.5) beats[j][i] = 1
      else ties++
    }
    let triads = 0
    let cyclic = 0
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++)
        for (let k = j + 1; k < n; k++) {
          if (!pairs.has(`${i},${j}`) || !pairs.has(`${j},${k}`) || !pairs.has(`${i},${k}`)) continue
          triads++
          if ((beats[i][j] && beats[j][k] && beats[k][i]) || (beats[j][i] && beats[k][j] && beats[i][k])) cyclic++
        }
    return { id, responses: n, pairs: pairs.size, ties, triads, cyclic }
  })
}

/** Judgments a scorer implies: for every two responses, the higher score wins in both orders (ties: tie). */
export function judgmentsFromScores(id: string, scores: number[]): Judgment[] {
  const out: Judgment[] = []
  for (let a = 0; a < scores.length; a++)
    for (let b = a + 1; b < scores.length; b++) {
      const v: Verdict = scores[a] > scores[b] ? 'A' : scores[a] < scores[b] ? 'B' : 'tie'
      out.push({ id, a, b, AB: v, BA: v === 'A' ? 'B' : v === 'B' ? 'A' : 'tie' })
    }
  return out
}
