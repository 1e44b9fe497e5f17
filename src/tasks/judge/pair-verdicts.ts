import type { Message } from '../../data/types.ts'
import { pairRole } from '../../judges/judge-roles.ts'
import { twoWay } from '../../judges/verdict-rules.ts'
import { pairPrompt } from '../../judges/render-prompt.ts'
import type { TaskRequest } from '../types.ts'
import type { JudgeSettings } from './judge-settings.ts'

/** Which response one order's verdict picked ('tie' when it called it even), or null when it had no readable verdict. */
export type Pick = 'chosen' | 'rejected' | 'tie' | null

/** One presentation order's verdict on a pair. */
export interface OrderVerdict {
  order: 'AB' | 'BA'
  /** Which response was shown first (as A). */
  first: 'chosen' | 'rejected'
  pick: Pick
  /** The judge's P(first shown wins): 1 / 0 / ½ for a text verdict, the two-way softmax of label log-probs otherwise. */
  pFirst: number | null
}


const other = (side: 'chosen' | 'rejected') => (side === 'chosen' ? 'rejected' : 'chosen')

/**
 * The label requests of one pair: for each order, "A" and "B" scored after the prompt that shows the data's first
 * response as A (order AB) or as B (order BA). Roles are `<prefix><order>/A|B`; the verdict log runner reads them.
 */
export function pairVerdictRequests(exampleId: string, prefix: string, prompt: Message[], dataFirst: string, dataSecond: string, j: JudgeSettings): TaskRequest[] {
  return j.orders.flatMap((o) => {
    const shown = pairPrompt(j.text, prompt, o === 'AB' ? dataFirst : dataSecond, o === 'AB' ? dataSecond : dataFirst)
    return (['A', 'B'] as const).map((label, k): TaskRequest => {
      const role = pairRole(prefix, o, label)
      return { exampleId, role, lm: 'judge', request: { prompt: shown, response: j.labels[k], choices: j.labels, verdict: j.ask, ref: { exampleId, role, position: 0 } } }
    })
  })
}

/**
 * Each order's verdict from a pair's label scores; `swapped` when the data showed the rejected response first.
 * An order whose labels were not both scored (the judge's answer was unreadable) has pick null.
 */
export function orderVerdicts(s: Record<string, number>, prefix: string, swapped: boolean, orders: ('AB' | 'BA')[]): OrderVerdict[] {
  return orders.map((order) => {
    const first = (order === 'AB') !== swapped ? 'chosen' : 'rejected'
    const a = s[pairRole(prefix, order, 'A')]
    const b = s[pairRole(prefix, order, 'B')]
    if (a === undefined || b === undefined) return { order, first, pick: null, pFirst: null }
    const p = twoWay(a, b)
    return { order, first, pick: p > 0.5 ? first : p < 0.5 ? other(first) : 'tie', pFirst: p }
  })
}

/**
 * A pair's credit from its orders' verdicts, or null when it leaves accuracy (unparseable: exclude).
 * mean: each order 1 (chosen) / ½ (tie) / 0 (rejected, or unreadable), averaged. vote (JudgeBench's double game):
 * +1 chosen, −1 rejected, 0 tie or unreadable; right when the sum is > 0.
 */
export function pairJudgeCredit(vs: OrderVerdict[], j: { combine: JudgeSettings['combine']; unparseable: JudgeSettings['unparseable'] }): number | null {
  if (j.unparseable === 'exclude' && vs.some((v) => v.pick === null)) return null
  if (j.combine === 'vote') return vs.reduce((a, v) => a + (v.pick === 'chosen' ? 1 : v.pick === 'rejected' ? -1 : 0), 0) > 0 ? 1 : 0
  return vs.reduce((a, v) => a + (v.pick === 'chosen' ? 1 : v.pick === 'tie' ? 0.5 : 0), 0) / vs.length
}

/** The judge's behaviour on one pair, as counts the judge metrics sum (judge-metrics.ts). */
export interface VerdictCounts { asked: number; unreadable: number; firstPicks: number; ties: number; swapped: number; consistent: number }

/** Counts of one pair: verdicts asked and unreadable, first-position picks (a tie counts ½), ties, and whether a swap kept the winner. */
export function verdictCounts(vs: OrderVerdict[]): VerdictCounts {
  const read = vs.filter((v) => v.pick !== null)
  const both = vs.length === 2 && read.length === 2
  return {
    asked: vs.length,
    unreadable: vs.length - read.length,
    firstPicks: read.reduce((a, v) => a + (v.pick === 'tie' ? 0.5 : v.pick === v.first ? 1 : 0), 0),
    ties: read.filter((v) => v.pick === 'tie').length,
    swapped: both ? 1 : 0,
    consistent: both && read[0].pick === read[1].pick ? 1 : 0,
  }
}
