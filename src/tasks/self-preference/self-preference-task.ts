import { RmbenchError } from '../../errors.ts'
import type { Example } from '../../data/types.ts'
import type { JudgeSpec, SuiteSpec } from '../../suite/types.ts'
import { charCount } from '../../util/char-count.ts'
import { pairRole, rateRole } from '../../judges/judge-roles.ts'
import { twoWay } from '../../judges/verdict-rules.ts'
import type { Metrics, Task, TaskRequest } from '../types.ts'
import { judgeProbA, pairwiseJudgeMetrics, pointwiseJudgeMetrics, type PairJudgment, type RatingJudgment } from './judge-metrics.ts'
import { pairwisePrompt, pointwisePrompt } from './judge-prompt.ts'

const isPointwise = (ex: Example) => ex.judge!.models.length === 1
const orders = (spec: JudgeSpec | undefined): ('AB' | 'BA')[] => (spec?.orders === 'AB' ? ['AB'] : ['AB', 'BA'])
const scale = (spec: JudgeSpec | undefined) => {
  const [lo, hi] = spec?.scale ?? [1, 10]
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)
}

/** The judge's names: its own, aliases declared for it, and names whose alias list contains it (case-insensitive). */
export function judgeNames(spec: JudgeSpec): Set<string> {
  const name = spec.name!.toLowerCase()
  const names = new Set([name])
  for (const [k, list] of Object.entries(spec.aliases ?? {})) {
    const all = [k, ...list].map((s) => s.toLowerCase())
    if (all.includes(name)) for (const a of all) names.add(a)
  }
  return names
}


/** The per-item judgments of a pairwise run, from the scores of each order's labels. */
function pairJudgments(examples: Example[], scores: Map<string, Record<string, number>>, spec: JudgeSpec): { ex: Example; j: PairJudgment }[] {
  const names = judgeNames(spec)
  return examples.filter((ex) => scores.has(ex.id) && !isPointwise(ex)).map((ex) => {
    const s = scores.get(ex.id)!
    const mine = ex.judge!.models.map((m) => names.has(m.toLowerCase()))
    const own = mine[0] && !mine[1] ? 0 : mine[1] && !mine[0] ? 1 : null
    const j: PairJudgment = { own, gold: ex.judge!.gold, pAB: twoWay(s['AB/A'], s['AB/B']), lenA: charCount(ex.chosen[0]), lenB: charCount(ex.rejected[0]) }
    if ('BA/A' in s) j.pBA = twoWay(s['BA/A'], s['BA/B'])
    return { ex, j }
  })
}

/** The per-item ratings of a pointwise run: whether the rated response is the judge's own, its rating, the gold score. */
function ratingJudgments(examples: Example[], scores: Map<string, Record<string, number>>, spec: JudgeSpec): { ex: Example; r: RatingJudgment }[] {
  const names = judgeNames(spec)
  const ks = scale(spec)
  return examples.filter((ex) => scores.has(ex.id) && isPointwise(ex)).map((ex) => ({ ex, r: { own: names.has(ex.judge!.models[0].toLowerCase()), judge: expectedRating(scores.get(ex.id)!, ks), gold: ex.judge!.gold } }))
}

/** Expected rating: the scale's values weighted by the softmax of their log-probs (a logged score has all the mass). */
function expectedRating(s: Record<string, number>, ks: number[]): number {
  const ls = ks.map((k) => s[rateRole(null, k)])
  const top = Math.max(...ls)
  const w = ls.map((l) => Math.exp(l - top))
  const z = w.reduce((a, b) => a + b, 0)
  return ks.reduce((a, k, i) => a + (k * w[i]) / z, 0)
}

/** Self-preference of an LLM judge (Chen et al. 2025): DBG, agreement with gold, position and length bias. */
export const selfPreferenceTask: Task = {
  name: 'self-preference',
  // Resampling redraws scored items only, so an interval for the unparseable share would always be [0, 0].
  exactMetrics: ['judge/unparseable'],
  check(suite) {
    if (!suite.judge?.name) throw new RmbenchError('E_SUITE_SCHEMA', `suite '${suite.name}': name the judge whose self-preference is measured (judge.name in the suite, or rmbench run --judge <name>), spelled as the data's model columns spell it.`)
    const [lo, hi] = suite.judge.scale ?? [1, 10]
    if (!(hi > lo)) throw new RmbenchError('E_SUITE_SCHEMA', `suite '${suite.name}': judge.scale [${lo}, ${hi}] must go from low to high.`)
  },
  checkExamples(examples) {
    for (const ex of examples)
      if (!ex.judge) throw new RmbenchError('E_DATA_FIELD', `${ex.origin.file}:${ex.origin.line}: a self-preference item needs model names and a gold verdict: map data.fields.models + gold (pairwise) or model + gold_score (pointwise).`, { id: ex.id })
  },
  requests(examples, suite) {
    const spec = suite?.judge
    const [la, lb] = spec?.labels ?? ['A', 'B']
    return examples.flatMap((ex): TaskRequest[] => {
      const ref = (role: string) => ({ exampleId: ex.id, role, position: 0 })
      if (isPointwise(ex)) {
        const prompt = pointwisePrompt(spec, ex)
        const choices = scale(spec).map(String)
        return choices.map((k) => ({ exampleId: ex.id, role: rateRole(null, k), lm: 'judge', request: { prompt, response: k, choices, ref: ref(rateRole(null, k)) } }))
      }
      return orders(spec).flatMap((o) => {
        const prompt = pairwisePrompt(spec, ex, o)
        return [[pairRole('', o, 'A'), la], [pairRole('', o, 'B'), lb]].map(([role, response]) => ({ exampleId: ex.id, role, lm: 'judge', request: { prompt, response, choices: [la, lb], ref: ref(role) } }))
      })
    })
  },
  replicator(examples, scores, suite) {
    // Each item's judgment computed once; a resample repeats each as often as it was drawn (references, not copies)
    // and the judge metrics read those lists, the multiset recomputation on copies reads.
    const spec = suite.judge!
    const pairs = new Map(pairJudgments(examples, scores, spec).map((p) => [p.ex, p.j]))
    const rated = new Map(ratingJudgments(examples, scores, spec).map((p) => [p.ex, p.r]))
    const at = examples.map((ex) => pairs.get(ex) ?? rated.get(ex)!)
    const isPair = examples.map((ex) => pairs.has(ex))
    const keys = Object.keys(selfPreferenceTask.metrics(examples, scores, suite)).filter((k) => k !== 'judge/unparseable')
    return {
      keys,
      evaluate(w) {
        const ps: PairJudgment[] = []
        const rs: RatingJudgment[] = []
        for (let i = 0; i < w.length; i++) for (let c = 0; c < w[i]; c++) (isPair[i] ? ps.push(at[i] as PairJudgment) : rs.push(at[i] as RatingJudgment))
        const m = { ...pairwiseJudgeMetrics(ps), ...pointwiseJudgeMetrics(rs) }
        return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.value]))
      },
    }
  },
  metrics(examples, scores, suite) {
    const spec = suite.judge!
    const out: Metrics = {}
    const pairs = pairJudgments(examples, scores, spec).map((p) => p.j)
    Object.assign(out, pairwiseJudgeMetrics(pairs))
    Object.assign(out, pointwiseJudgeMetrics(ratingJudgments(examples, scores, spec).map((p) => p.r)))
    // Items without a readable verdict are left out of every metric above, and counted here — never scored as ties.
    const missing = examples.filter((ex) => !scores.has(ex.id)).length
    out['judge/unparseable'] = { value: examples.length ? missing / examples.length : 0, n: examples.length, label: `${missing} of ${examples.length} items had no readable verdict (left out, not counted as ties)` }
    return out
  },
  marginLabel: 'P(judge picks the gold winner) − ½ (ratings: judge − gold)',
  responseLabels(ex) {
    return isPointwise(ex) ? [`response · ${ex.judge!.models[0]}`] : [`A · ${ex.judge!.models[0]}`, `B · ${ex.judge!.models[1]}`]
  },
  outcome(ex, s, suite) {
    if (isPointwise(ex)) {
      const judge = expectedRating(s, scale(suite.judge))
      return { credit: null, margin: judge - ex.judge!.gold, tie: false, scores: [judge], judge: { model: ex.judge!.models[0], gold: ex.judge!.gold, 'judge rating': judge } }
    }
    const j = pairJudgments([ex], new Map([[ex.id, s]]), suite.judge!)[0].j
    const pA = judgeProbA(j)
    const gold = ex.judge!.gold
    // Agreement with the gold verdict; a gold tie has no right answer to agree with.
    const margin = gold === 0.5 ? null : (gold > 0.5 ? pA : 1 - pA) - 0.5
    const judge = { 'model A': ex.judge!.models[0], 'model B': ex.judge!.models[1], 'own answer': j.own === null ? null : 'AB'[j.own], gold, 'P(A), AB order': j.pAB, ...(j.pBA !== undefined ? { 'P(A), BA order': j.pBA } : {}), 'P(A)': pA }
    return { credit: margin === null ? null : margin > 0 ? 1 : margin < 0 ? 0 : 0.5, margin, tie: margin === 0, scores: [pA, 1 - pA], judge }
  },
  row(ex, s, suite) {
    if (isPointwise(ex)) return { id: ex.id, group: ex.group, model: ex.judge!.models[0], gold: ex.judge!.gold, judge: expectedRating(s, scale(suite.judge)) }
    const j = pairJudgments([ex], new Map([[ex.id, s]]), suite.judge!)[0].j
    return { id: ex.id, group: ex.group, models: ex.judge!.models, own: j.own === null ? null : 'AB'[j.own], gold: ex.judge!.gold, judge: judgeProbA(j), pAB: j.pAB, ...(j.pBA !== undefined ? { pBA: j.pBA } : {}) }
  },
}

/** Sets the judge's name from the command line (wins over the suite's). */
export function withJudge(spec: SuiteSpec, name: string | undefined): SuiteSpec {
  return name ? { ...spec, judge: { ...spec.judge, name } } : spec
}
