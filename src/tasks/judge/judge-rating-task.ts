import { RmbenchError } from '../../errors.ts'
import type { Example } from '../../data/types.ts'
import { rateRole } from '../../judges/judge-roles.ts'
import { ratingPrompt } from '../../judges/render-prompt.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import type { ExampleScores, Metrics, Task, TaskRequest } from '../types.ts'
import { suiteJudge, type JudgeSettings } from './judge-settings.ts'

const rateJudge = (suite: SuiteSpec): JudgeSettings => suiteJudge(suite, 'rating')

const scaleValues = ([lo, hi]: [number, number]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)

/** Every completion of an example as (role, text), chosen… then rejected…, positions in that order. */
const completions = (ex: Example) => [...ex.chosen.map((r, i) => [`chosen/${i}`, r] as const), ...ex.rejected.map((r, i) => [`rejected/${i}`, r] as const)]

/**
 * One completion's rating from its label scores: the scale value with the highest log p (the rating a judge gives
 * at temperature 0; a generated or logged rating has all the mass on one value), or null when unreadable.
 */
export function ratingOf(s: Record<string, number>, role: string, scale: [number, number]): number | null {
  let best: number | null = null
  let top = -Infinity
  for (const k of scaleValues(scale)) {
    const v = s[rateRole(role, k)]
    if (v === undefined) return null
    if (v > top) [best, top] = [k, v]
  }
  return best
}

/**
 * The reward-shaped scores a rating judge gives one example (role → rating). An unreadable rating sits below the
 * whole scale — an unreadable chosen lower still, so it never shares the top and earns 0, never a 1/k tie credit.
 */
export function ratedScores(ex: Example, s: Record<string, number>, scale: [number, number]): { scores: Record<string, number>; unreadable: number } {
  const out: Record<string, number> = {}
  let unreadable = 0
  for (const [role] of completions(ex)) {
    const r = ratingOf(s, role, scale)
    if (r === null) unreadable++
    out[role] = r ?? (role.startsWith('chosen/') ? scale[0] - 2 : scale[0] - 1)
  }
  return { scores: out, unreadable }
}

/**
 * `best-of-n` with an LLM judge in rating mode (RewardBench 2's way with generative models): each completion rated
 * alone on judge.scale, the ratings are the scores, so tied top ratings get the task's 1/k credit.
 */
export function judgeRatingTask(base: Task): Task {
  const derive = (examples: Example[], scores: ExampleScores, suite: SuiteSpec) => {
    const j = rateJudge(suite)
    const out: ExampleScores = new Map()
    let unreadable = 0
    let asked = 0
    let topTies = 0
    for (const ex of examples) {
      const s = scores.get(ex.id)
      if (!s) continue
      const r = ratedScores(ex, s, j.scale)
      out.set(ex.id, r.scores)
      unreadable += r.unreadable
      asked += ex.chosen.length + ex.rejected.length
      const vals = Object.values(r.scores)
      const top = Math.max(...vals)
      if (vals.filter((v) => v === top).length > 1) topTies++
    }
    return { scores: out, unreadable, asked, topTies }
  }
  return {
    ...base,
    exactMetrics: ['judge/unparseable'],
    judging(suite) {
      const j = rateJudge(suite)
      return { prompt: j.prompt, promptHash: j.promptHash, parse: j.rule.name, mode: 'rating', scale: j.scale }
    },
    verdictErrors: ['E_VERDICT'],
    check(suite) {
      base.check?.(suite)
      const j = rateJudge(suite)
      if (j.unparseable === 'exclude') throw new RmbenchError('E_SUITE_SCHEMA', `suite '${suite.name}': judge.unparseable: exclude is for pairwise verdicts; a rating judge's unreadable rating always ranks below the scale (an unreadable chosen earns 0).`)
    },
    requests(examples, suite) {
      const j = rateJudge(suite!)
      const choices = scaleValues(j.scale).map(String)
      return examples.flatMap((ex) => completions(ex).flatMap(([side, text], position) => {
        const prompt = ratingPrompt(j.text, ex.prompt, text, j.scale)
        return choices.map((k): TaskRequest => {
          const role = rateRole(side, k)
          return { exampleId: ex.id, role, lm: 'judge', request: { prompt, response: k, choices, verdict: j.ask, ref: { exampleId: ex.id, role, position } } }
        })
      }))
    },
    metrics(examples, scores, suite, tokens) {
      const d = derive(examples, scores, suite)
      const out: Metrics = base.metrics(examples, d.scores, suite, tokens)
      if (d.asked) out['judge/unparseable'] = { value: d.unreadable / d.asked, n: d.asked, label: `${d.unreadable} of ${d.asked} ratings unreadable (ranked below the scale; never a tie)` }
      if (d.scores.size) out['judge/top-ties'] = { value: d.topTies / d.scores.size, n: d.scores.size, label: 'share of prompts whose top rating is shared by several completions (each then earns 1/k)' }
      return out
    },
    meanStatistic: undefined,
    rewardsOf(ex, s, suite) {
      return ratedScores(ex, s, rateJudge(suite).scale).scores
    },
    replicator(examples, scores, suite, tokens, clusterOf) {
      return base.replicator!(examples, derive(examples, scores, suite).scores, suite, tokens, clusterOf)
    },
    credit(ex, s, suite) {
      return base.credit ? base.credit(ex, ratedScores(ex, s, rateJudge(suite).scale).scores, suite) : 0
    },
    marginLabel: 'chosen rating − best rejected rating',
    outcome(ex, s, suite) {
      const r = ratedScores(ex, s, rateJudge(suite).scale).scores
      const o = base.outcome!(ex, r, suite)
      return { ...o, judge: Object.fromEntries(Object.entries(r).map(([role, v]) => [`${role} rating`, v < rateJudge(suite).scale[0] ? 'unreadable' : v])) }
    },
    row(ex, s, suite) {
      return base.row(ex, ratedScores(ex, s, rateJudge(suite).scale).scores, suite)
    },
  }
}
