import type { Example } from '../../data/types.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { addCredit, pairwiseMetricsFromSums, sectionsOfGroup, type CreditSums } from '../pairwise/pairwise-task.ts'
import type { MeanStatistic, Metrics, Task } from '../types.ts'
import { suiteJudge, type JudgeSettings } from './judge-settings.ts'
import { orderVerdicts, pairJudgeCredit, pairVerdictRequests, verdictCounts, type OrderVerdict, type VerdictCounts } from './pair-verdicts.ts'

const COUNT_KEYS = ['asked', 'unreadable', 'firstPicks', 'ties', 'swapped', 'consistent'] as const

/** The judge's behaviour metrics from summed verdict counts: unreadable share, position consistency, first-position picks, ties. */
export function judgeBehaviour(c: VerdictCounts, combine: string, unparseable: string): Metrics {
  const out: Metrics = {}
  const read = c.asked - c.unreadable
  const rule = unparseable === 'exclude' ? 'their pairs are left out of accuracy' : combine === 'vote' ? 'each counts as a 0 vote' : 'each counts as a wrong verdict, credit 0'
  if (c.asked) out['judge/unparseable'] = { value: c.unreadable / c.asked, n: c.asked, label: `${c.unreadable} of ${c.asked} verdicts unreadable: ${rule}, never as a tie` }
  if (c.swapped) out['judge/position-consistency'] = { value: c.consistent / c.swapped, n: c.swapped, label: 'share of pairs whose winner survives swapping the responses (both orders read)' }
  if (read) {
    out['judge/first-position'] = { value: c.firstPicks / read, n: read, label: 'share of verdicts for the response shown first (a tie counts ½; 0.5: no position bias)' }
    out['judge/tie-rate'] = { value: c.ties / read, n: read, label: 'share of read verdicts that call a tie' }
  }
  return out
}

/** Sums of verdict counts. */
export function addCounts(into: VerdictCounts, c: VerdictCounts): VerdictCounts {
  for (const k of COUNT_KEYS) into[k] += c[k]
  return into
}

export const zeroCounts = (): VerdictCounts => ({ asked: 0, unreadable: 0, firstPicks: 0, ties: 0, swapped: 0, consistent: 0 })

/** The suite's pairwise judge settings (resolved once per suite). */
export const pairJudge = (suite: SuiteSpec): JudgeSettings => suiteJudge(suite, 'pairwise')

/** What every pairwise judge task shares: its settings checked early, verdict errors as answers, provenance. */
export function pairJudgeFields(base: Task): Pick<Task, 'exactMetrics' | 'verdictErrors' | 'judging' | 'check'> {
  return {
    exactMetrics: ['judge/unparseable'],
    verdictErrors: ['E_VERDICT'],
    judging(suite) {
      const j = pairJudge(suite)
      return { prompt: j.prompt, promptHash: j.promptHash, parse: j.rule.name, mode: 'pairwise', orders: j.orders, combine: j.combine, unparseable: j.unparseable }
    },
    check(suite) {
      base.check?.(suite)
      pairJudge(suite)
    },
  }
}

/** A pair's verdicts in both orders (or the data's order), read from its label scores. */
export function pairVerdicts(ex: Example, s: Record<string, number>, suite: SuiteSpec): OrderVerdict[] {
  return orderVerdicts(s, '', Boolean(ex.swapped), pairJudge(suite).orders)
}

/** Mean P(chosen wins) over the orders read, or null when none was. */
function chosenProb(vs: OrderVerdict[]): number | null {
  const read = vs.filter((v) => v.pFirst !== null)
  return read.length ? read.reduce((a, v) => a + (v.first === 'chosen' ? v.pFirst! : 1 - v.pFirst!), 0) / read.length : null
}

/** How one order's verdict reads in the explorer and judgments.jsonl. */
export const pickWord = (v: OrderVerdict): string => v.pick ?? 'unreadable'

/**
 * `pairwise` with an LLM judge: each pair shown in both orders, a verdict per order, combined by judge.combine into
 * the pair's credit; RewardBench's subsets, sections and score from those credits, plus the judge's behaviour.
 */
export function judgePairwiseTask(base: Task): Task {
  const credits = (examples: Example[], scores: Map<string, Record<string, number>>, suite: SuiteSpec) => {
    const j = pairJudge(suite)
    return examples.filter((ex) => scores.has(ex.id)).map((ex) => {
      const vs = pairVerdicts(ex, scores.get(ex.id)!, suite)
      return { ex, credit: pairJudgeCredit(vs, j), counts: verdictCounts(vs) }
    })
  }
  return {
    ...base,
    ...pairJudgeFields(base),
    requests(examples, suite) {
      const j = pairJudge(suite!)
      return examples.flatMap((ex) => {
        const [first, second] = ex.swapped ? [ex.rejected[0], ex.chosen[0]] : [ex.chosen[0], ex.rejected[0]]
        return pairVerdictRequests(ex.id, '', ex.prompt, first, second, j)
      })
    },
    metrics(examples, scores, suite) {
      const j = pairJudge(suite)
      const sums: CreditSums = new Map()
      const counts = zeroCounts()
      for (const { ex, credit, counts: c } of credits(examples, scores, suite)) {
        addCounts(counts, c)
        if (credit !== null) addCredit(sums, ex.group, credit)
      }
      return { ...pairwiseMetricsFromSums(sums, suite, new Set(examples.map((ex) => ex.group))), ...judgeBehaviour(counts, j.combine, j.unparseable) }
    },
    meanStatistic(examples, scores, suite) {
      const j = pairJudge(suite)
      const rows = credits(examples, scores, suite)
      const groups = [...new Set(rows.map((r) => r.ex.group))].sort((a, b) => a.localeCompare(b))
      const index = new Map(groups.map((g, i) => [g, i]))
      const dataSubsets = new Set(examples.map((ex) => ex.group))
      // Columns: credit, credit², counted in accuracy, then the verdict counts.
      const values = [
        Float64Array.from(rows, (r) => r.credit ?? 0),
        Float64Array.from(rows, (r) => (r.credit ?? 0) ** 2),
        Float64Array.from(rows, (r) => (r.credit === null ? 0 : 1)),
        ...COUNT_KEYS.map((k) => Float64Array.from(rows, (r) => r.counts[k])),
      ]
      const statistic: MeanStatistic = {
        strata: Int32Array.from(rows, (r) => index.get(r.ex.group)!),
        values,
        combine(sums) {
          const creditSums: CreditSums = new Map()
          const c = zeroCounts()
          groups.forEach((g, i) => {
            if (sums[i][2] > 0) creditSums.set(g, { s: sums[i][0], ss: sums[i][1], n: sums[i][2] })
            COUNT_KEYS.forEach((k, m) => (c[k] += sums[i][3 + m]))
          })
          const m = { ...pairwiseMetricsFromSums(creditSums, suite, dataSubsets), ...judgeBehaviour(c, j.combine, j.unparseable) }
          // The unreadable share counts what the run got, not a sample estimate: no interval (exactMetrics).
          return Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'judge/unparseable').map(([k, v]) => [k, v.value]))
        },
      }
      return statistic
    },
    rewardsOf(ex, s, suite) {
      // Unread in every order: an even split, which the analyses count as a tie (ties are wrong there).
      const p = chosenProb(pairVerdicts(ex, s, suite)) ?? 0.5
      return { 'chosen/0': p, 'rejected/0': 1 - p }
    },
    credit(ex, s, suite) {
      return pairJudgeCredit(pairVerdicts(ex, s, suite), pairJudge(suite)) ?? 0
    },
    marginLabel: "the pair's credit − ½ (each order 1 / ½ / 0 for the chosen, combined by judge.combine)",
    outcome(ex, s, suite) {
      const vs = pairVerdicts(ex, s, suite)
      const credit = pairJudgeCredit(vs, pairJudge(suite))
      const p = chosenProb(vs)
      const judge: Record<string, string | number | null> = {}
      for (const v of vs) {
        judge[`${v.order} (${v.first} shown first)`] = pickWord(v)
        judge[`${v.order} P(first)`] = v.pFirst
      }
      return { credit, margin: credit === null ? null : credit - 0.5, tie: credit === 0.5, scores: [p, p === null ? null : 1 - p], sections: sectionsOfGroup(suite, ex.group), judge }
    },
    row(ex, s, suite) {
      const vs = pairVerdicts(ex, s, suite)
      const credit = pairJudgeCredit(vs, pairJudge(suite))
      // The margin ranks the worst examples: credit − ½, so a pair judged wrong (or unreadable, as wrong) is −½.
      return { id: ex.id, group: ex.group, verdicts: Object.fromEntries(vs.map((v) => [v.order, pickWord(v)])), pChosen: chosenProb(vs), margin: credit === null ? null : credit - 0.5, credit }
    },
  }
}
