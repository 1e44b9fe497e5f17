import { RmbenchError } from '../errors.ts'
import { studentTQuantile } from '../stats/student-t.ts'

/** One voting model: its name and its reward margin (chosen − rejected) per pair id, for the pairs it scored. */
export interface Voter { name: string; margins: Map<string, number> }

/** How pairs are classed: |strength| in units of each model's margin spread, the majority share, the CI level. */
export interface Thresholds { strength: number; majority: number; confidence: number }

/** Defaults: a consensus ½ SD from zero, two thirds of the models, 95% intervals. */
export const DEFAULT_THRESHOLDS: Thresholds = { strength: 0.5, majority: 2 / 3, confidence: 0.95 }

/** A pair's class: the models agree with its label, doubt it, or cannot say; unrated when fewer than 2 voted. */
export type PairClass = 'consistent' | 'ambiguous' | 'suspect' | 'unrated'

/** One pair's preference strength: the models' standardised margins, their votes, and its class. */
export interface PairStrength {
  id: string
  group: string
  /** Mean of the models' standardised margins (positive: the models prefer the chosen answer). */
  strength: number
  /** Standard deviation of the standardised margins across models (NaN with one vote). */
  sd: number
  /** t interval of the mean over the models (df = votes − 1). */
  ci: [number, number]
  /** Per model (in voter order): its standardised margin, or null where it did not score the pair. */
  z: (number | null)[]
  votes: { chosen: number; rejected: number; tie: number }
  /** (chosen + ½ tie) / votes. */
  shareChosen: number
  class: PairClass
}

/**
 * Each model's margins divided by their standard deviation over the pairs it scored: the sign stays the model's
 * preference (no centring), the unit becomes the model's own spread, so a reward model on a ±20 scale and one on
 * ±0.1 weigh the same. A model that gives every pair the same margin says nothing and is an error.
 */
export function voterScales(voters: Voter[]): number[] {
  return voters.map((v) => {
    const xs = [...v.margins.values()]
    const m = xs.reduce((a, x) => a + x, 0) / xs.length
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1))
    if (!(sd > 0)) throw new RmbenchError('E_AUDIT', `${v.name}: every pair has the same margin (${m}), so its votes carry no strength; leave this run out of the audit.`)
    return sd
  })
}

/** Classes a pair from its strength and votes under the thresholds (see README "Auditing preference data"). */
export function classify(strength: number, shareChosen: number, votes: number, th: Thresholds): PairClass {
  if (votes < 2) return 'unrated'
  if (shareChosen >= th.majority && strength >= th.strength) return 'consistent'
  if (1 - shareChosen >= th.majority && strength <= -th.strength) return 'suspect'
  return 'ambiguous'
}

/** Every pair's strength from the voters' margins (pairs in the order given); `scales` as voterScales gives them. */
export function pairStrengths(pairs: { id: string; group: string }[], voters: Voter[], th: Thresholds = DEFAULT_THRESHOLDS, scales = voterScales(voters)): PairStrength[] {
  return pairs.map(({ id, group }) => {
    const z = voters.map((v, k) => {
      const m = v.margins.get(id)
      return m === undefined ? null : m / scales[k]
    })
    const zs = z.filter((x): x is number => x !== null)
    const n = zs.length
    const votes = { chosen: zs.filter((x) => x > 0).length, rejected: zs.filter((x) => x < 0).length, tie: zs.filter((x) => x === 0).length }
    const strength = n ? zs.reduce((a, x) => a + x, 0) / n : NaN
    const sd = n > 1 ? Math.sqrt(zs.reduce((a, x) => a + (x - strength) ** 2, 0) / (n - 1)) : NaN
    const half = n > 1 ? studentTQuantile(1 - (1 - th.confidence) / 2, n - 1) * (sd / Math.sqrt(n)) : NaN
    const shareChosen = n ? (votes.chosen + votes.tie / 2) / n : NaN
    return { id, group, strength, sd, ci: [strength - half, strength + half], z, votes, shareChosen, class: classify(strength, shareChosen, n, th) }
  })
}
