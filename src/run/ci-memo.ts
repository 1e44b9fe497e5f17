import { createHash } from 'node:crypto'
import type { Metrics } from '../tasks/types.ts'
import { codeStamp } from '../util/code-stamp.ts'
import { stableStringify } from '../util/hash.ts'
import type { Memo } from '../util/memo.ts'
import { attachCis, type CiInput, type CiSummary } from './metric-cis.ts'

/** Intervals as remembered: the summary of their computation and each metric's [lo, hi] and resamples. */
interface RememberedCis { summary: CiSummary; cis: Record<string, { ci: [number, number]; resamples: number }> }

/**
 * What identifies a run's examples for the CI memo: the dataset hash, and each source's rows hash and file hashes
 * (the files cover what the hashes of texts do not, such as a judge suite's gold verdicts).
 */
export function dataKey(data: { hash: string; sources: { rowsSha256?: string; files: { sha256: string }[] }[] }): string {
  return JSON.stringify([data.hash, data.sources.map((s) => [s.rowsSha256 ?? null, s.files.map((f) => f.sha256)])])
}

/**
 * The content key of one CI computation: the code, the suite (settings, sections, weights), the data (`dataId`,
 * from dataKey), every score and token count, the typed statistic of a streamed run, and the point estimates.
 */
export function ciKey(metrics: Metrics, input: CiInput, dataId: string): string {
  const h = createHash('sha256')
  h.update(JSON.stringify([codeStamp(), dataId, input.task.name, input.analyses.map((a) => a.name)]))
  h.update(stableStringify(input.suite))
  h.update(JSON.stringify([...input.scores]))
  h.update(JSON.stringify([...input.tokens]))
  if (input.stat) {
    h.update(new Uint8Array(input.stat.strata.buffer, input.stat.strata.byteOffset, input.stat.strata.byteLength))
    for (const v of input.stat.values) h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
  }
  h.update(JSON.stringify(Object.entries(metrics).map(([k, m]) => [k, m.value])))
  return h.digest('hex')
}

/**
 * attachCis, remembered in the memo under the content key of its inputs: a re-run whose scores all came from the
 * cache gets the same intervals without resampling again (10,000 resamples take seconds on a large suite). The
 * summary says `remembered: true` and `ms` is the lookup's time.
 */
export function attachCisRemembered(metrics: Metrics, input: CiInput, dataId: string, memo: Memo | undefined): CiSummary | null {
  if (!memo) return attachCis(metrics, input)
  const started = performance.now()
  const key = ciKey(metrics, input, dataId)
  const known = memo.recall<RememberedCis>('cis', key)
  if (known?.summary && known.cis && Object.keys(known.cis).every((k) => metrics[k])) {
    for (const [k, c] of Object.entries(known.cis)) Object.assign(metrics[k], c)
    return { ...known.summary, ms: Math.round(performance.now() - started), remembered: true }
  }
  const summary = attachCis(metrics, input)
  const cis = Object.fromEntries(Object.entries(metrics).flatMap(([k, m]) => (m.ci ? [[k, { ci: m.ci, resamples: m.resamples! }]] : [])))
  // JSON would turn a non-finite bound into null: such intervals are computed again rather than misremembered.
  if (summary && Object.values(cis).every((c) => c.ci.every(Number.isFinite))) memo.remember('cis', key, { summary, cis } satisfies RememberedCis)
  return summary
}
