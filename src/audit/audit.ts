import type { Example } from '../data/types.ts'
import { fleissKappa } from '../stats/fleiss-kappa.ts'
import { wilsonInterval } from '../stats/wilson.ts'
import type { AuditRun } from './audit-inputs.ts'
import { flipRate } from './flip-rate.ts'
import { cyclicTriads, type Judgment, type PromptCycles } from './intransitivity.ts'
import { pairStrengths, voterScales, type PairClass, type PairStrength, type Thresholds } from './strength.ts'

/** A share with its Wilson interval. */
export interface Share { k: number; n: number; value: number; ci: [number, number] }

/** A model's accuracy on all pairs and on each class of them (credits by the suite's tie rule). */
export interface Evaluation {
  model: string
  run: string
  voted: boolean
  all: Share
  consistent: Share
  /** A voter's accuracy on the pairs the *other* models deem consistent (its own vote does not pick its test set). */
  consistentByOthers?: Share
  ambiguous: Share
  suspect: Share
}

/** Everything audit.json holds (schemas/audit.schema.json). */
export interface AuditResult {
  schemaVersion: 1
  kind: 'rmbench-audit'
  suite: { name: string; file: string; hash: string }
  datasetHash: string
  voters: { model: string; run: string; fingerprint: string; scale: number; pairs: number }[]
  thresholds: Thresholds
  scale: string
  counts: Record<PairClass | 'pairs', number>
  shares: { consistent: Share; ambiguous: Share; suspect: Share }
  subsets: { group: string; n: number; meanStrength: number; consistent: number; ambiguous: number; unrated: number; suspect: Share; ambiguousShare: Share }[]
  agreement: { fleissKappa: number | null; items: number; raters: number; categories: string[]; note: string }
  flipRate: { method: string; epsilon: number; ci: [number, number]; mu: number; sigma: number; separation: number; resamples: number; seed: number; note?: string }
  planted?: { count: number; found: number; recall: number; precision: number | null }
  evaluation: Evaluation[]
  intransitivity?: { prompts: number; withCycle: Share; triads: number; cyclic: number; perPrompt: PromptCycles[] }
  notes: string[]
}

const share = (k: number, n: number, confidence: number): Share => ({ k, n, value: n ? k / n : NaN, ci: wilsonInterval(k, n, confidence) })
const json = (x: number) => (Number.isFinite(x) ? x : null)

/** Options of an audit: thresholds, planted flips (ids) to score the finding against, judgments for intransitivity. */
export interface AuditOptions { thresholds: Thresholds; planted?: Set<string>; judgments?: Judgment[]; evaluate?: AuditRun[]; resamples?: number; seed?: number; notes?: string[] }

/** The audit of a suite's pairs from the runs that vote on them. */
export function audit(suite: { name: string; file: string; hash: string }, examples: Example[], voters: AuditRun[], o: AuditOptions): { result: AuditResult; pairs: PairStrength[] } {
  const th = o.thresholds
  const scales = voterScales(voters.map((v) => v.voter))
  const ids = examples.map((e) => ({ id: e.id, group: e.group }))
  const pairs = pairStrengths(ids, voters.map((v) => v.voter), th, scales)
  const rated = pairs.filter((p) => p.class !== 'unrated')
  const count = (c: PairClass, ps = pairs) => ps.filter((p) => p.class === c).length
  const counts = { pairs: pairs.length, consistent: count('consistent'), ambiguous: count('ambiguous'), suspect: count('suspect'), unrated: count('unrated') }
  const groups = [...new Set(pairs.map((p) => p.group))].sort((a, b) => a.localeCompare(b))
  const subsets = groups.map((group) => {
    const ps = pairs.filter((p) => p.group === group)
    const r = ps.filter((p) => p.class !== 'unrated')
    return { group, n: ps.length, meanStrength: json(r.reduce((a, p) => a + p.strength, 0) / r.length) as number, consistent: count('consistent', ps), ambiguous: count('ambiguous', ps), unrated: count('unrated', ps), suspect: share(count('suspect', ps), r.length, th.confidence), ambiguousShare: share(count('ambiguous', ps), r.length, th.confidence) }
  })
  // Fleiss' κ needs every item rated by the same number of raters: the pairs every model scored.
  const full = pairs.filter((p) => p.z.every((z) => z !== null))
  const kappa = full.length ? fleissKappa(full.map((p) => [p.votes.chosen, p.votes.rejected, p.votes.tie])) : NaN
  const fit = flipRate(rated.map((p) => p.strength), { resamples: o.resamples ?? 200, seed: o.seed ?? 0, confidence: th.confidence })
  const notes = [...(o.notes ?? [])]
  const flipNote = fit.separation < 1 ? `the two mirrored components overlap (μ/σ = ${fit.separation.toFixed(2)} < 1): the models barely separate right from wrong here, so ε is poorly identified` : undefined
  if (flipNote) notes.push(flipNote)
  const evaluation = [...voters.map((v) => evaluate(v, pairs, true)), ...(o.evaluate ?? []).map((v) => evaluate(v, pairs, false))]
  if (voters.length >= 3)
    for (const [k, v] of voters.entries()) {
      const others = voters.filter((_, j) => j !== k).map((x) => x.voter)
      const byOthers = pairStrengths(ids, others, th, scales.filter((_, j) => j !== k)).filter((p) => p.class === 'consistent')
      evaluation[k].consistentByOthers = accuracyOn(v, byOthers, th.confidence)
    }
  let planted: AuditResult['planted']
  if (o.planted) {
    const suspect = pairs.filter((p) => p.class === 'suspect')
    const found = suspect.filter((p) => o.planted!.has(p.id)).length
    const inData = pairs.filter((p) => o.planted!.has(p.id)).length
    planted = { count: inData, found, recall: inData ? found / inData : NaN, precision: suspect.length ? found / suspect.length : null }
  }
  let intransitivity: AuditResult['intransitivity']
  if (o.judgments) {
    const per = cyclicTriads(o.judgments)
    const triads = per.filter((p) => p.triads > 0)
    intransitivity = { prompts: triads.length, withCycle: share(triads.filter((p) => p.cyclic > 0).length, triads.length, th.confidence), triads: per.reduce((a, p) => a + p.triads, 0), cyclic: per.reduce((a, p) => a + p.cyclic, 0), perPrompt: per }
  }
  const result: AuditResult = {
    schemaVersion: 1,
    kind: 'rmbench-audit',
    suite,
    datasetHash: voters[0].result.provenance.datasetHash,
    voters: voters.map((v, k) => ({ model: v.voter.name, run: v.dir, fingerprint: v.result.model.fingerprint, scale: scales[k], pairs: v.voter.margins.size })),
    thresholds: th,
    scale: 'per-model standardisation: z = margin / SD of that model\'s margins over the pairs it scored (not centred: the sign stays its preference)',
    counts,
    shares: { consistent: share(counts.consistent, rated.length, th.confidence), ambiguous: share(counts.ambiguous, rated.length, th.confidence), suspect: share(counts.suspect, rated.length, th.confidence) },
    subsets,
    agreement: { fleissKappa: json(kappa), items: full.length, raters: voters.length, categories: ['chosen', 'rejected', 'tie'], note: 'Fleiss\' κ over each model\'s preference (the sign of its margin) on the pairs every model scored' },
    flipRate: { method: 'mirrored two-component Gaussian mixture on the pair strengths, fitted by EM: (1 − ε)·N(μ, σ²) + ε·N(−μ, σ²), the symmetric label noise of rDPO; percentile bootstrap over pairs', epsilon: fit.epsilon, ci: fit.ci, mu: fit.mu, sigma: fit.sigma, separation: fit.separation, resamples: o.resamples ?? 200, seed: o.seed ?? 0, ...(flipNote ? { note: flipNote } : {}) },
    ...(planted ? { planted } : {}),
    evaluation,
    ...(intransitivity ? { intransitivity } : {}),
    notes,
  }
  return { result, pairs }

  function evaluate(v: AuditRun, ps: PairStrength[], voted: boolean): Evaluation {
    const on = (c: PairClass) => accuracyOn(v, ps.filter((p) => p.class === c), th.confidence)
    return { model: v.voter.name, run: v.dir, voted, all: accuracyOn(v, ps.filter((p) => p.class !== 'unrated'), th.confidence), consistent: on('consistent'), ambiguous: on('ambiguous'), suspect: on('suspect') }
  }
}

/** A run's mean credit over the given pairs (those it scored), as a share with its Wilson interval. */
function accuracyOn(v: AuditRun, ps: PairStrength[], confidence: number): Share {
  let k = 0
  let n = 0
  for (const p of ps) {
    const c = v.credits.get(p.id)
    if (c === undefined) continue
    k += c
    n++
  }
  return share(k, n, confidence)
}
