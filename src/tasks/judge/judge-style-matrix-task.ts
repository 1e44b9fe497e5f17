import type { Example } from '../../data/types.ts'
import { cellPrefix } from '../../judges/judge-roles.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { RM_BENCH_DOMAINS, domainOf } from '../style-matrix/style-matrix.ts'
import { styleMatrixReplicator } from '../style-matrix/style-matrix-replicator.ts'
import type { ExampleScores, Metrics, Task } from '../types.ts'
import { addCounts, judgeBehaviour, pairJudge, pairJudgeFields, pickWord, zeroCounts } from './judge-pairwise-task.ts'
import { orderVerdicts, pairJudgeCredit, pairVerdictRequests, verdictCounts, type OrderVerdict } from './pair-verdicts.ts'

const STYLES = 3

/** The verdicts of every cell (chosen style i against rejected style j), row by row. */
function cellVerdicts(s: Record<string, number>, suite: SuiteSpec): OrderVerdict[][] {
  const orders = pairJudge(suite).orders
  return Array.from({ length: STYLES * STYLES }, (_, c) => orderVerdicts(s, cellPrefix(Math.floor(c / STYLES), c % STYLES), false, orders))
}

/** Cell credits of one example; an excluded cell (unparseable: exclude) counts as wrong in the matrix, and is counted. */
function cellCredits(s: Record<string, number>, suite: SuiteSpec): Float64Array {
  const j = pairJudge(suite)
  return Float64Array.from(cellVerdicts(s, suite), (vs) => pairJudgeCredit(vs, j) ?? 0)
}

/**
 * `style-matrix` with an LLM judge: every cell is a pair (chosen style i against rejected style j) judged in both
 * orders; cell credits (judge.combine) fill RM-Bench's matrix, and hard / normal / easy follow as for rewards.
 */
export function judgeStyleMatrixTask(base: Task): Task {
  const pools = (suite: SuiteSpec) => suite.style_matrix?.domains ?? RM_BENCH_DOMAINS
  const replicate = (examples: Example[], scores: ExampleScores, suite: SuiteSpec) => styleMatrixReplicator(examples, scores, suite, pools(suite), STYLES, (_ex, s) => cellCredits(s, suite))
  return {
    ...base,
    ...pairJudgeFields(base),
    requests(examples, suite) {
      const j = pairJudge(suite!)
      return examples.flatMap((ex) => Array.from({ length: STYLES * STYLES }, (_, c) => {
        const [i, k] = [Math.floor(c / STYLES), c % STYLES]
        return pairVerdictRequests(ex.id, cellPrefix(i, k), ex.prompt, ex.chosen[i], ex.rejected[k], j)
      }).flat())
    },
    metrics(examples, scores, suite) {
      const j = pairJudge(suite)
      const scored = examples.filter((ex) => scores.has(ex.id))
      const values = replicate(scored, scores, suite).evaluate(new Float64Array(scored.length).fill(1))
      const perDomain = new Map<string, number>()
      for (const ex of scored) perDomain.set(domainOf(ex.group, pools(suite)), (perDomain.get(domainOf(ex.group, pools(suite))) ?? 0) + 1)
      const out: Metrics = {}
      for (const [k, v] of Object.entries(values)) {
        const d = /^(?:matrix|domain|hard|normal|easy)\/([^/]+)/.exec(k)?.[1]
        out[k] = { value: v, n: d !== undefined ? perDomain.get(d) ?? scored.length : scored.length }
      }
      if (out.score) out.score.label = `mean of ${perDomain.size} domains (${[...perDomain.keys()].sort().join(', ')}), cells judged pairwise`
      const counts = zeroCounts()
      for (const ex of scored) for (const vs of cellVerdicts(scores.get(ex.id)!, suite)) addCounts(counts, verdictCounts(vs))
      return { ...out, ...judgeBehaviour(counts, j.combine, j.unparseable) }
    },
    replicator(examples, scores, suite) {
      const j = pairJudge(suite)
      const r = replicate(examples, scores, suite)
      // Each example's verdict counts, summed with the draw's weights: the judge's behaviour on the same draws.
      const per = examples.map((ex) => cellVerdicts(scores.get(ex.id)!, suite).reduce((c, vs) => addCounts(c, verdictCounts(vs)), zeroCounts()))
      const keys = Object.keys(judgeBehaviour(per.reduce((c, x) => addCounts(c, x), zeroCounts()), j.combine, j.unparseable)).filter((k) => k !== 'judge/unparseable')
      return {
        keys: [...r.keys, ...keys],
        evaluate(w) {
          const c = zeroCounts()
          per.forEach((x, i) => {
            if (w[i]) for (const k of Object.keys(c) as (keyof typeof c)[]) c[k] += w[i] * x[k]
          })
          const b = judgeBehaviour(c, j.combine, j.unparseable)
          return { ...r.evaluate(w), ...Object.fromEntries(keys.filter((k) => b[k]).map((k) => [k, b[k].value])) }
        },
      }
    },
    credit(_ex, s, suite) {
      const cells = cellCredits(s, suite)
      return cells.reduce((a, c) => a + c, 0) / cells.length
    },
    marginLabel: 'share of the 9 cells the judge gave to the chosen style (credit)',
    outcome(_ex, s, suite) {
      const cells = cellCredits(s, suite)
      const credit = cells.reduce((a, c) => a + c, 0) / cells.length
      const judge: Record<string, string | number | null> = {}
      cellVerdicts(s, suite).forEach((vs, c) => (judge[`chosen ${Math.floor(c / STYLES)} vs rejected ${c % STYLES}`] = vs.map(pickWord).join(' / ')))
      return { credit, margin: credit - 0.5, tie: false, scores: [], judge }
    },
    row(ex, s, suite) {
      const cells = cellCredits(s, suite)
      return { id: ex.id, group: ex.group, cells: Array.from({ length: STYLES }, (_, i) => Array.from(cells.slice(i * STYLES, (i + 1) * STYLES))) }
    },
  }
}
