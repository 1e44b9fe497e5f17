import { RmbenchError } from '../../errors.ts'
import type { Example } from '../../data/types.ts'
import { responseRequests, sideScores } from '../response-requests.ts'
import type { Metrics, Task } from '../types.ts'
import { splitTiesId, tiesScore, type TiesPrompt } from './ties-score.ts'
import { topKCredit } from './top-k-credit.ts'
import { bestOfNReplicator } from './best-of-n-replicator.ts'

/** RewardBench 2: every completion scored alone; 1/k top-score credit per prompt; the Ties composite; mean of subsets. */
export const bestOfNTask: Task = {
  name: 'best-of-n',
  checkExamples(examples) {
    for (const ex of examples)
      if (ex.rejected.length < 1)
        throw new RmbenchError('E_DATA_FIELD', `${ex.origin.file}:${ex.origin.line}: a best-of-n example needs at least one rejected completion.`, { id: ex.id })
  },
  requests(examples) {
    return examples.flatMap(responseRequests)
  },
  cluster(ex, suite) {
    // A Ties prompt's ref: and tied: rows are one unit: its composite needs both.
    return ex.group === (suite.best_of_n?.ties_subset ?? 'Ties') ? (/^(?:ref|tied):(.+)$/.exec(ex.id)?.[1] ?? ex.id) : ex.id
  },
  metrics(examples, scores, suite) {
    const tiesName = suite.best_of_n?.ties_subset ?? 'Ties'
    const credit = new Map<string, { sum: number; n: number }>()
    const ties: TiesPrompt[] = []
    for (const ex of examples) {
      const s = scores.get(ex.id)
      if (!s) continue
      if (ex.group === tiesName) {
        const [kind, pid] = splitTiesId(ex)
        ties.push({ kind, pid, correct: sideScores(s, 'chosen', ex.chosen.length), incorrect: sideScores(s, 'rejected', ex.rejected.length) })
        continue
      }
      const g = credit.get(ex.group) ?? { sum: 0, n: 0 }
      g.sum += topKCredit([s['chosen/0'], ...sideScores(s, 'rejected', ex.rejected.length)])
      g.n += 1
      credit.set(ex.group, g)
    }
    const out: Metrics = {}
    for (const [g, { sum, n }] of [...credit].sort(([a], [b]) => a.localeCompare(b))) out[`accuracy/${g}`] = { value: sum / n, n }
    if (ties.length) {
      const t = tiesScore(ties)
      if (Number.isFinite(t.score)) {
        out[`accuracy/${tiesName}`] = { value: t.score, n: ties.length, label: 'Ties composite: 0.30 tied acc + 0.30 ref acc + 0.20 correctness-preferred + 0.20 hard + 0.01 margin' }
        out[`ties/tied-accuracy`] = { value: t.tiedAcc, n: ties.filter((p) => p.kind === 'tied').length }
        out[`ties/ref-accuracy`] = { value: t.refAcc, n: ties.filter((p) => p.kind === 'ref').length }
        out[`ties/correctness-preferred`] = { value: t.correctnessPreferred, n: ties.length }
        out[`ties/correctness-preferred-hard`] = { value: t.correctnessPreferredHard, n: ties.length }
        out[`ties/margin`] = { value: t.margin, n: ties.length }
      }
    }
    const subsets = Object.keys(out).filter((k) => k.startsWith('accuracy/'))
    // A Ties subset without ref/tied pairs is NaN in the reference, and so is its mean: no score then.
    const tiesUndefined = ties.length > 0 && !out[`accuracy/${tiesName}`]
    if (subsets.length && !tiesUndefined)
      out.score = { value: subsets.reduce((a, k) => a + out[k].value, 0) / subsets.length, n: scores.size, label: `plain mean of ${subsets.length} subsets` }
    return out
  },
  marginLabel: 'chosen − best rejected (Ties rows: worst correct − best incorrect)',
  outcome(ex, s, suite) {
    const chosen = sideScores(s, 'chosen', ex.chosen.length)
    const rejected = sideScores(s, 'rejected', ex.rejected.length)
    const best = Math.max(...rejected)
    if (ex.group === (suite.best_of_n?.ties_subset ?? 'Ties')) {
      // A Ties row has several correct answers; it is right when every correct one outscores every incorrect one.
      const margin = Math.min(...chosen) - best
      return { credit: margin > 0 ? 1 : 0, margin, tie: margin === 0, scores: [...chosen, ...rejected] }
    }
    return { credit: topKCredit([chosen[0], ...rejected]), margin: chosen[0] - best, tie: chosen[0] === best, scores: [...chosen, ...rejected] }
  },
  replicator: bestOfNReplicator,
  row(ex, s) {
    return { id: ex.id, group: ex.group, chosen: sideScores(s, 'chosen', ex.chosen.length), rejected: sideScores(s, 'rejected', ex.rejected.length) }
  },
}
