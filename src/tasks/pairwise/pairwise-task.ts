import { RmbenchError } from '../../errors.ts'
import { didYouMean } from '../../util/did-you-mean.ts'
import type { SuiteSpec, TieRule } from '../../suite/types.ts'
import { responseRequests } from '../response-requests.ts'
import type { MeanStatistic, Metrics, Task } from '../types.ts'
import { REWARDBENCH_SECTIONS, REWARDBENCH_WEIGHTS } from './rewardbench-sections.ts'
import { sectionScores, type Sections } from './section-scores.ts'

/** Credit for one pair: strict > is right; a tie counts as the rule says (RewardBench: wrong). */
export function pairCredit(chosen: number, rejected: number, ties: TieRule = 'wrong'): number {
  if (chosen > rejected) return 1
  if (chosen < rejected) return 0
  return ties === 'right' ? 1 : ties === 'half' ? 0.5 : 0
}

/** Subset accuracies from per-pair credits, with their standard errors. Groups with no scored pair do not appear (never 0/0). */
export function groupAccuracy(rows: { group: string; credit: number }[]): Record<string, { value: number; n: number; se: number }> {
  const sums: CreditSums = new Map()
  for (const r of rows) addCredit(sums, r.group, r.credit)
  return accuracyFromSums(sums)
}

/** Per-group sums of credits (s), squared credits (ss) and counts (n): what pairwise accuracy needs of each pair. */
export type CreditSums = Map<string, { s: number; ss: number; n: number }>

/** Adds one pair's credit to its group's sums. */
export function addCredit(sums: CreditSums, group: string, credit: number): void {
  const g = sums.get(group) ?? { s: 0, ss: 0, n: 0 }
  g.s += credit
  g.ss += credit * credit
  g.n += 1
  sums.set(group, g)
}

/** Subset accuracies and standard errors from per-group credit sums, groups sorted by name. */
export function accuracyFromSums(sums: CreditSums): Record<string, { value: number; n: number; se: number }> {
  return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([g, { s, ss, n }]) => [g, { value: s / n, n, se: standardError(s, ss, n) }]))
}

/** sd / √n of credits (population sd: for 0/1 credits this is the binomial √(p(1−p)/n)). */
function standardError(sum: number, sumSq: number, n: number): number {
  const m = sum / n
  return Math.sqrt(Math.max(0, sumSq / n - m * m) / n)
}

/**
 * Every pairwise metric from per-group credit sums (no per-pair rows needed: a streamed run keeps only sums).
 * `dataSubsets`: every subset of the data, scored or not — a section's subset whose pairs all failed is reported as
 * not measured, not taken for a typo.
 */
export function pairwiseMetricsFromSums(sums: CreditSums, suite: SuiteSpec, dataSubsets?: Set<string>): Metrics {
  let s = 0
  let ss = 0
  let n = 0
  for (const g of sums.values()) {
    s += g.s
    ss += g.ss
    n += g.n
  }
  return n === 0 ? {} : pairwiseMetrics(accuracyFromSums(sums), { value: s / n, n, se: standardError(s, ss, n) }, suite, dataSubsets)
}

/** Whether the suite scores fewer rows than its data holds (a limit or sample), so a subset may be absent by design. */
function limited(suite: SuiteSpec): boolean {
  const sources = Array.isArray(suite.data) ? suite.data : [suite.data]
  return suite.limit !== undefined || suite.sample !== undefined || sources.some((s) => s?.limit !== undefined || s?.sample !== undefined)
}

/**
 * Checks that the sections mean what they say against the subsets measured: a subset a section names that is not
 * in the data is a typo (an error with "did you mean") unless rows were left out on purpose (a limit, a sample) or
 * the sections are the 'rewardbench' preset, whose data may hold only some of its subsets; then the section is
 * labelled partial. Sections that measure nothing at all are an error, never a silent fall back to accuracy.
 */
function checkSections(acc: Record<string, unknown>, suite: SuiteSpec, sections: Sections, dataSubsets?: Set<string>): Record<string, string[]> {
  const present = Object.keys(acc)
  const missing: Record<string, string[]> = {}
  for (const [name, spec] of Object.entries(sections)) {
    const absent = (Array.isArray(spec) ? spec : Object.keys(spec)).filter((s) => acc[s] === undefined)
    if (!absent.length) continue
    const typo = absent.find((s) => !dataSubsets?.has(s))
    if (typo !== undefined && suite.sections !== 'rewardbench' && !limited(suite))
      throw new RmbenchError('E_SUITE_SCHEMA', `sections.${name} names subset '${typo}', which is not in the data.${didYouMean(typo, present)} The data's subsets: ${present.slice(0, 20).join(', ')}${present.length > 20 ? ', …' : ''}.`, { section: name, subset: typo })
    missing[name] = absent
  }
  const measured = Object.entries(sections).filter(([name, spec]) => (missing[name]?.length ?? 0) < (Array.isArray(spec) ? spec.length : Object.keys(spec).length))
  if (!measured.length)
    throw new RmbenchError('E_SUITE_SCHEMA', `no subset of any section (${Object.keys(sections).join(', ')}) is in the data${suite.sections === 'rewardbench' ? ` (sections: rewardbench expects RewardBench's subset names, e.g. alpacaeval-easy, math-prm)` : ''}; the data's subsets: ${present.slice(0, 20).join(', ')}. Map the subset column (data.fields.group) or fix the section names.`)
  return missing
}

/** Overall accuracy, subset accuracies, sections and score from per-subset accuracies. */
function pairwiseMetrics(acc: Record<string, { value: number; n: number; se?: number }>, total: { value: number; n: number; se?: number }, suite: SuiteSpec, dataSubsets?: Set<string>): Metrics {
  const out: Metrics = { accuracy: total }
  for (const [g, v] of Object.entries(acc)) out[`accuracy/${g}`] = v
  const { sections, weights } = suiteSections(suite)
  if (!Object.keys(sections).length) {
    out.score = { ...total, label: 'accuracy over all pairs (no sections declared)' }
    return out
  }
  const missing = checkSections(acc, suite, sections, dataSubsets)
  Object.assign(out, sectionScores(acc, sections, weights))
  const partial = Object.keys(missing).filter((name) => out[`section/${name}`])
  for (const name of partial) {
    const spec = sections[name]
    const all = Array.isArray(spec) ? spec.length : Object.keys(spec).length
    out[`section/${name}`].label = `partial: ${all - missing[name].length} of ${all} subsets measured (missing: ${missing[name].join(', ')})`
  }
  const left = Object.keys(sections).filter((name) => !out[`section/${name}`])
  if (out.score && (partial.length || left.length))
    out.score.label = `${out.score.label}; partial: ${[...partial.map((n) => `${n} lacks ${missing[n].length} subset(s)`), ...left.map((n) => `${n} not measured`)].join(', ')}`
  return out
}

/** The sections and weights a suite declares (the 'rewardbench' preset expands to the reference's). */
export function suiteSections(suite: SuiteSpec): { sections: Sections; weights: Record<string, number> } {
  if (suite.sections === 'rewardbench') return { sections: REWARDBENCH_SECTIONS, weights: { ...REWARDBENCH_WEIGHTS, ...suite.section_weights } }
  return { sections: suite.sections ?? {}, weights: suite.section_weights ?? {} }
}

const sectionLists = new WeakMap<SuiteSpec, Map<string, string[]>>()

/** The sections a subset counts toward (computed once per suite: the explorer asks for every example). */
export function sectionsOfGroup(suite: SuiteSpec, group: string): string[] {
  let byGroup = sectionLists.get(suite)
  if (!byGroup) {
    byGroup = new Map()
    for (const [name, spec] of Object.entries(suiteSections(suite).sections))
      for (const g of Array.isArray(spec) ? spec : Object.keys(spec)) byGroup.set(g, [...(byGroup.get(g) ?? []), name])
    sectionLists.set(suite, byGroup)
  }
  return byGroup.get(group) ?? []
}

/** RewardBench v1 pairwise accuracy: subsets, weighted sections, overall. */
export const pairwiseTask: Task = {
  name: 'pairwise',
  check(suite) {
    const { sections, weights } = suiteSections(suite)
    for (const k of Object.keys(suite.section_weights ?? {}))
      if (!(k in sections)) throw new RmbenchError('E_SUITE_SCHEMA', `section_weights names '${k}', which is not a section.${didYouMean(k, Object.keys(sections))} Sections: ${Object.keys(sections).join(', ') || 'none'}.`)
    const names = Object.keys(sections)
    if (names.length && names.every((n) => (weights[n] ?? 1) === 0))
      throw new RmbenchError('E_SUITE_SCHEMA', `section_weights are all 0 (${names.join(', ')}): the score would weigh nothing. Give a section a weight above 0.`)
  },
  checkExamples(examples) {
    for (const ex of examples)
      if (ex.chosen.length !== 1 || ex.rejected.length !== 1)
        throw new RmbenchError('E_DATA_FIELD', `${ex.origin.file}:${ex.origin.line}: a pairwise example needs one chosen and one rejected text, got ${ex.chosen.length} and ${ex.rejected.length}. Use task: best-of-n for lists of responses.`, { id: ex.id })
  },
  requests(examples) {
    return examples.flatMap(responseRequests)
  },
  metrics(examples, scores, suite) {
    const ties = suite.score?.ties ?? 'wrong'
    const sums: CreditSums = new Map()
    for (const ex of examples) {
      const s = scores.get(ex.id)
      if (s) addCredit(sums, ex.group, pairCredit(s['chosen/0'], s['rejected/0'], ties))
    }
    return pairwiseMetricsFromSums(sums, suite, new Set(examples.map((ex) => ex.group)))
  },
  credit(_ex, s, suite) {
    return pairCredit(s['chosen/0'], s['rejected/0'], suite.score?.ties ?? 'wrong')
  },
  meanStatistic(examples, scores, suite) {
    const ties = suite.score?.ties ?? 'wrong'
    const scored = examples.filter((ex) => scores.has(ex.id))
    const groups = [...new Set(scored.map((ex) => ex.group))].sort((a, b) => a.localeCompare(b))
    const index = new Map(groups.map((g, i) => [g, i]))
    const credit = Float64Array.from(scored, (ex) => pairCredit(scores.get(ex.id)!['chosen/0'], scores.get(ex.id)!['rejected/0'], ties))
    return pairwiseStatistic(groups, Int32Array.from(scored, (ex) => index.get(ex.group)!), credit, suite, new Set(examples.map((ex) => ex.group)))
  },
  marginLabel: 'chosen − rejected',
  outcome(ex, s, suite) {
    const [chosen, rejected] = [s['chosen/0'], s['rejected/0']]
    return { credit: pairCredit(chosen, rejected, suite.score?.ties), margin: chosen - rejected, tie: chosen === rejected, scores: [chosen, rejected], sections: sectionsOfGroup(suite, ex.group) }
  },
  row(ex, s, suite) {
    const [chosen, rejected] = [s['chosen/0'], s['rejected/0']]
    return { id: ex.id, group: ex.group, chosen, rejected, margin: chosen - rejected, credit: pairCredit(chosen, rejected, suite.score?.ties) }
  },
}

/**
 * The pairwise metrics as a mean statistic over per-pair credits, stratified by group (groups sorted by name);
 * `dataSubsets` as for pairwiseMetricsFromSums.
 */
export function pairwiseStatistic(groups: string[], strata: Int32Array, credit: Float64Array, suite: SuiteSpec, dataSubsets?: Set<string>): MeanStatistic {
  return {
    strata,
    values: [credit],
    combine(sums, counts) {
      const acc: Record<string, { value: number; n: number }> = {}
      let s = 0
      let n = 0
      groups.forEach((g, i) => {
        if (counts[i] > 0) acc[g] = { value: sums[i][0] / counts[i], n: counts[i] }
        s += sums[i][0]
        n += counts[i]
      })
      return Object.fromEntries(Object.entries(pairwiseMetrics(acc, { value: s / n, n }, suite, dataSubsets)).map(([k, v]) => [k, v.value]))
    },
  }
}
