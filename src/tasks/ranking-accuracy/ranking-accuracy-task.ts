import { RmbenchError } from '../../errors.ts'
import type { ExampleScores, Metrics, Task } from '../types.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import type { Example } from '../../data/types.ts'
import { exactMatch, rankingMetrics, type RankingPair } from './ranking-metrics.ts'

const DEFAULT_BETAS = [0.01, 0.1, 1, 5, 10]
const LMS = (useRef: boolean) => (useRef ? ['policy', 'ref'] : ['policy'])

/** A ranked list of more than two responses (a ranked pair is scored as a pair). */
const isRanked = (ex: Example) => ex.rejected.length === 0 && ex.chosen.length > 2

/** The pairs and ranked lists a run's scores give, with the index of the example each came from. */
interface RankingInputs { pairs: RankingPair[]; lists: number[][]; pairAt: number[]; listAt: number[] }

function rankingInputs(examples: Example[], scores: ExampleScores, suite: SuiteSpec, tokens?: ExampleScores): RankingInputs {
  const r = suite.ranking ?? {}
  const useRef = r.reference ?? true
  const out: RankingInputs = { pairs: [], lists: [], pairAt: [], listAt: [] }
  examples.forEach((ex, i) => {
    const s = scores.get(ex.id)
    const t = tokens?.get(ex.id)
    if (!s || !t) return
    if (isRanked(ex)) {
      out.lists.push(ex.chosen.map((_, k) => s[`policy/r${k}`]))
      out.listAt.push(i)
      return
    }
    const side = (lm: string) => ({ w: s[`${lm}/w`], l: s[`${lm}/l`], tw: t[`${lm}/w`], tl: t[`${lm}/l`] })
    out.pairs.push({ group: ex.group, policy: side('policy'), ...(useRef ? { ref: side('ref') } : {}), alpha: ex.alpha ?? r.alpha ?? 0.75 })
    out.pairAt.push(i)
  })
  return out
}

/** The task's metrics from its inputs, each pair and list counted by its weight (a bootstrap draw) or once. */
function rankingOut(x: RankingInputs, suite: SuiteSpec, pairWeights?: Float64Array, listWeights?: Float64Array): Metrics {
  const r = suite.ranking ?? {}
  const out = rankingMetrics(x.pairs, { ties: r.ties ?? 'ge', betas: r.betas ?? DEFAULT_BETAS }, pairWeights)
  if (x.lists.length) out['ranking/exact-match'] = { value: exactMatch(x.lists, r.ties ?? 'ge', listWeights), n: x.lists.length, label: 'share of ranked lists (n > 2) whose log-probs follow the ranking exactly' }
  if (out['ranking/R']) out.score = { ...out['ranking/R'], label: 'ranking accuracy R of the policy' }
  else if (out['ranking/exact-match']) out.score = { ...out['ranking/exact-match'] }
  return out
}

/** Ranking accuracy of a policy LM (and the idealised accuracy its reference model allows). */
export const rankingAccuracyTask: Task = {
  name: 'ranking-accuracy',
  checkExamples(examples) {
    for (const ex of examples)
      if (!(ex.chosen.length === 1 && ex.rejected.length === 1) && !(ex.rejected.length === 0 && ex.chosen.length >= 2))
        throw new RmbenchError('E_DATA_FIELD', `${ex.origin.file}:${ex.origin.line}: a ranking-accuracy example needs one preferred and one dispreferred response (or a ranked list via fields.ranked), got ${ex.chosen.length} and ${ex.rejected.length}.`, { id: ex.id })
  },
  requests(examples, suite) {
    return examples.flatMap((ex) => {
      // A ranked list (best first) is scored by the policy only: exact-match ranking needs no reference.
      if (isRanked(ex)) return ex.chosen.map((response, i) => ({ exampleId: ex.id, role: `policy/r${i}`, lm: 'policy', request: { prompt: ex.prompt, response } }))
      const [w, l] = ex.rejected.length ? [ex.chosen[0], ex.rejected[0]] : [ex.chosen[0], ex.chosen[1]]
      return LMS(suite?.ranking?.reference ?? true).flatMap((lm) => [
        { exampleId: ex.id, role: `${lm}/w`, lm, request: { prompt: ex.prompt, response: w } },
        { exampleId: ex.id, role: `${lm}/l`, lm, request: { prompt: ex.prompt, response: l } },
      ])
    })
  },
  metrics(examples, scores, suite, tokens) {
    return rankingOut(rankingInputs(examples, scores, suite, tokens), suite)
  },
  replicator(examples, scores, suite, tokens) {
    const inputs = rankingInputs(examples, scores, suite, tokens)
    const pw = new Float64Array(inputs.pairs.length)
    const lw = new Float64Array(inputs.lists.length)
    const keys = Object.keys(rankingOut(inputs, suite))
    return {
      keys,
      evaluate(w) {
        inputs.pairAt.forEach((at, k) => (pw[k] = w[at]))
        inputs.listAt.forEach((at, k) => (lw[k] = w[at]))
        return Object.fromEntries(Object.entries(rankingOut(inputs, suite, pw, lw)).map(([k, v]) => [k, v.value]))
      },
    }
  },
  marginLabel: 'log π(preferred) − log π(dispreferred) of the policy (ranked lists: smallest step down the ranking)',
  responseLabels(ex) {
    return isRanked(ex) ? ex.chosen.map((_, i) => `rank ${i + 1}`) : ['preferred', 'dispreferred']
  },
  outcome(ex, s, suite) {
    const ge = (suite.ranking?.ties ?? 'ge') === 'ge'
    if (isRanked(ex)) {
      const lp = ex.chosen.map((_, i) => s[`policy/r${i}`])
      const margin = Math.min(...lp.slice(1).map((l, i) => lp[i] - l))
      return { credit: (ge ? margin >= 0 : margin > 0) ? 1 : 0, margin, tie: margin === 0, scores: lp }
    }
    const margin = s['policy/w'] - s['policy/l']
    const ref = 'ref/w' in s ? { 'ref log π(preferred)': s['ref/w'], 'ref log π(dispreferred)': s['ref/l'] } : undefined
    return { credit: (ge ? margin >= 0 : margin > 0) ? 1 : 0, margin, tie: margin === 0, scores: [s['policy/w'], s['policy/l']], ...(ref ? { judge: ref } : {}) }
  },
  row(ex, s) {
    return { id: ex.id, group: ex.group, ...s }
  },
}
