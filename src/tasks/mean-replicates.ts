import { type BootstrapSettings } from '../stats/bootstrap.ts'
import type { SuiteSpec } from '../suite/types.ts'
import type { MeanStatistic } from './types.ts'

// The fast bootstrap of mean statistics, shared by a run's intervals (run/metric-cis.ts) and the paired comparison
// of two runs (compare/paired-comparison.ts): below both, so neither imports the other's layer.

/** The suite's bootstrap settings with rmbench's defaults. */
export function bootstrapSettings(suite: SuiteSpec): BootstrapSettings & { genericResamples: number } {
  const s = suite.stats ?? {}
  const resamples = s.bootstrap ?? 10000
  return { resamples, seed: s.seed ?? 0, confidence: s.confidence ?? 0.95, method: s.method ?? 'percentile', genericResamples: Math.min(resamples, s.generic_resamples ?? 1000) }
}

/** Mulberry32's output for state `s` (as createRng), scaled to an index below `m`. */
const drawIndex = (s: number, m: number): number => {
  let x = s
  x = Math.imul(x ^ (x >>> 15), x | 1)
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
  return ((((x ^ (x >>> 14)) >>> 0) * m) / 4294967296) | 0
}

/**
 * Sum of `values.length` values drawn with replacement from `values`: the bootstrap's hot loop, kept monomorphic
 * and free of closures. With `replay`, the rng state is restored afterwards so every value column of a unit sees
 * the same draws.
 */
function drawSum(values: Float64Array, state: Uint32Array, replay: boolean): number {
  const m = values.length
  let s = state[0]
  let acc = 0
  for (let j = 0; j < m; j++) {
    s = (s + 0x6d2b79f5) >>> 0
    acc += values[drawIndex(s, m)]
  }
  if (!replay) state[0] = s
  return acc
}

/** drawSum over a column of few distinct values held as one-byte codes into `table`: the same draws and sums. */
function drawSumCoded(codes: Uint8Array, table: Float64Array, state: Uint32Array, replay: boolean): number {
  const m = codes.length
  let s = state[0]
  let acc = 0
  for (let j = 0; j < m; j++) {
    s = (s + 0x6d2b79f5) >>> 0
    acc += table[codes[drawIndex(s, m)]]
  }
  if (!replay) state[0] = s
  return acc
}

/** One stratum's values of one column, gathered in draw order: as codes when it has at most 256 distinct values. */
type Column = { values: Float64Array } | { codes: Uint8Array; table: Float64Array }

function gather(values: Float64Array, list: number[]): Column {
  const index = new Map<number, number>()
  const codes = new Uint8Array(list.length)
  for (let j = 0; j < list.length; j++) {
    const v = values[list[j]]
    let c = index.get(v)
    // A Map takes -0 for 0, which a sum could tell apart; more than 256 values need more than a byte. Such a
    // column is gathered as it is.
    if (Object.is(v, -0) || (c === undefined && index.size === 256)) return { values: Float64Array.from(list, (i) => values[i]) }
    if (c === undefined) index.set(v, (c = index.size))
    codes[j] = c
  }
  return { codes, table: Float64Array.from(index.keys()) }
}

/**
 * Replicates of a mean statistic: each resample redraws units within strata and recombines the sums. Each
 * stratum's values are first gathered into arrays of their own, in draw order, and a column of few distinct
 * values (pairwise credits are 0, ½ or 1) into one byte a unit: a draw then reads one small array instead of
 * an index list and a column of the whole data, which for a million units is most of the time (cache misses).
 */
export function meanReplicates(stat: MeanStatistic, resamples: number, seed: number): Map<string, Float64Array> {
  const n = stat.strata.length
  const K = stat.values.length
  const nStrata = stat.strata.reduce((m, s) => Math.max(m, s + 1), 0)
  // Each example is its own cluster: clusterPlan's per-stratum lists, without its per-cluster arrays (a million
  // singleton arrays would outweigh the data).
  const byStratum = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const list = byStratum.get(stat.strata[i])
    if (list) list.push(i)
    else byStratum.set(stat.strata[i], [i])
  }
  const order = [...byStratum.keys()].sort((a, b) => a - b)
  const columns = order.map((k) => stat.values.map((v) => gather(v, byStratum.get(k)!)))
  const sums = Array.from({ length: nStrata }, () => new Float64Array(K))
  const counts = new Float64Array(nStrata)
  for (const k of order) counts[k] = byStratum.get(k)!.length
  byStratum.clear()
  const state = Uint32Array.of(((seed >>> 0) ^ 0x9e3779b9) >>> 0)
  const out = new Map<string, Float64Array>()
  for (let b = 0; b < resamples; b++) {
    for (const row of sums) row.fill(0)
    for (let s = 0; s < columns.length; s++) {
      const row = sums[order[s]]
      for (let k = 0; k < K; k++) {
        const c = columns[s][k]
        row[k] += 'codes' in c ? drawSumCoded(c.codes, c.table, state, k < K - 1) : drawSum(c.values, state, k < K - 1)
      }
    }
    for (const [key, v] of Object.entries(stat.combine(sums, counts))) {
      let arr = out.get(key)
      if (!arr) out.set(key, (arr = new Float64Array(resamples).fill(NaN)))
      arr[b] = v
    }
  }
  return out
}
