import { RmbenchError } from '../../errors.ts'
import { responseRequests, sideScores } from '../response-requests.ts'
import type { Metrics, Task } from '../types.ts'
import { domainOf, matrixSummary, pooledDomain, RM_BENCH_DOMAINS, styleMatrix } from './style-matrix.ts'
import { styleMatrixReplicator } from './style-matrix-replicator.ts'

const STYLES = 3
/** RM-Bench's style variants, in the order its data lists them. */
const VARIANTS = ['concise', 'detailed', 'detailed + markdown']

/** RM-Bench: 3 chosen × 3 rejected style variants (concise, detailed, detailed+markdown) per example. */
export const styleMatrixTask: Task = {
  name: 'style-matrix',
  checkExamples(examples) {
    for (const ex of examples)
      if (ex.chosen.length !== STYLES || ex.rejected.length !== STYLES)
        throw new RmbenchError('E_DATA_FIELD', `${ex.origin.file}:${ex.origin.line}: a style-matrix example needs ${STYLES} chosen and ${STYLES} rejected variants (concise, detailed, markdown), got ${ex.chosen.length} and ${ex.rejected.length}.`, { id: ex.id })
  },
  requests(examples) {
    return examples.flatMap(responseRequests)
  },
  metrics(examples, scores, suite) {
    const pools = suite.style_matrix?.domains ?? RM_BENCH_DOMAINS
    const byDomain = new Map<string, { chosen: number[]; rejected: number[] }[]>()
    for (const ex of examples) {
      const s = scores.get(ex.id)
      if (!s) continue
      const d = domainOf(ex.group, pools)
      const list = byDomain.get(d) ?? []
      list.push({ chosen: sideScores(s, 'chosen', STYLES), rejected: sideScores(s, 'rejected', STYLES) })
      byDomain.set(d, list)
    }
    const out: Metrics = {}
    const sums = { hard: 0, normal: 0, easy: 0, mean: 0 }
    const domains = [...byDomain.keys()].sort()
    for (const d of domains) {
      const rows = byDomain.get(d)!
      const m = styleMatrix(rows, STYLES)
      m.forEach((row, i) => row.forEach((v, j) => (out[`matrix/${d}/${i}-${j}`] = { value: v, n: rows.length })))
      const s = matrixSummary(m)
      out[`domain/${d}`] = { value: s.mean, n: rows.length }
      for (const k of ['hard', 'normal', 'easy'] as const) out[`${k}/${d}`] = { value: s[k], n: rows.length }
      for (const k of Object.keys(sums) as (keyof typeof sums)[]) sums[k] += s[k]
    }
    if (!domains.length) return out
    const n = scores.size
    out.hard = { value: sums.hard / domains.length, n, label: 'mean over domains of the upper triangle (plainer chosen vs fancier rejected)' }
    out.normal = { value: sums.normal / domains.length, n, label: 'mean over domains of the diagonal' }
    out.easy = { value: sums.easy / domains.length, n, label: 'mean over domains of the lower triangle' }
    out.score = { value: sums.mean / domains.length, n, label: `mean of ${domains.length} domains (${domains.join(', ')})` }
    return out
  },
  marginLabel: 'mean chosen − mean rejected (credit: share of the 9 cells won)',
  responseLabels() {
    return ['chosen', 'rejected'].flatMap((side) => VARIANTS.map((v) => `${side} · ${v}`))
  },
  outcome(ex, s, suite) {
    const chosen = sideScores(s, 'chosen', STYLES)
    const rejected = sideScores(s, 'rejected', STYLES)
    const won = chosen.reduce((a, c) => a + rejected.filter((r) => c > r).length, 0)
    const tied = chosen.some((c) => rejected.includes(c))
    const domain = pooledDomain(ex.group, suite.style_matrix?.domains ?? RM_BENCH_DOMAINS)
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length
    return { credit: won / (STYLES * STYLES), margin: mean(chosen) - mean(rejected), tie: tied, scores: [...chosen, ...rejected], sections: domain ? [domain] : [] }
  },
  replicator(examples, scores, suite) {
    return styleMatrixReplicator(examples, scores, suite, suite.style_matrix?.domains ?? RM_BENCH_DOMAINS, STYLES)
  },
  row(ex, s) {
    return { id: ex.id, group: ex.group, chosen: sideScores(s, 'chosen', STYLES), rejected: sideScores(s, 'rejected', STYLES) }
  },
}
