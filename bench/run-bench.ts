// `npm run bench`: rmbench's ONNX runner against the raw onnxruntime limit, the transformers.js pipeline and a
// naive loop, side by side in one run, on a transformer-shaped model where the model is the cost ("big") and a
// tiny one where overhead is; then a cold run against a re-run with the score cache warm. Prints tables and
// writes bench/results.json. Sizes: BENCH_PAIRS (default 150), BENCH_RERUN_PAIRS (default 1000),
// BENCH_STREAM_PAIRS (default 1,000,000), BENCH_THREADS.
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeBenchSuite, writeStreamSuite } from './bench-suite.ts'
import { BIG, TINY, writeBenchModel, type BenchModelShape } from './make-bench-model.ts'

const HERE = import.meta.dirname
const WORK = join(HERE, '.work')
const PAIRS = Number(process.env.BENCH_PAIRS ?? 150)
const RERUN_PAIRS = Number(process.env.BENCH_RERUN_PAIRS ?? 1000)
const STREAM_PAIRS = Number(process.env.BENCH_STREAM_PAIRS ?? 1_000_000)

/** Runs one system in a fresh Node process; returns its JSON line and the process's own wall time. */
function system(name: string, model: string, suite: string, out = WORK, cache?: string): Record<string, number> {
  const args = ['--import', 'tsx', join(HERE, 'systems.ts'), name, model, suite, out, ...(cache ? [cache] : [])]
  const t0 = performance.now()
  const line = execFileSync(process.execPath, args, { encoding: 'utf8', env: process.env, maxBuffer: 1 << 24 }).trim().split('\n').pop()!
  return { ...JSON.parse(line), processMs: performance.now() - t0 }
}

interface Row { model: string; system: string; pairsPerS: number; tokensPerS: number; ms: number; paddingWaste: number | null; maxRssMB: number; ratioToLimit: number; ratioToPeer: number }

const rows: Row[] = []
const extra: Record<string, number | string> = {}
const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—')

function printTable(table: string[][]): void {
  const w = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)))
  for (const r of table) console.log(r.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '))
}

rmSync(WORK, { recursive: true, force: true })
for (const [label, shape] of [['big', BIG], ['tiny', TINY]] as [string, BenchModelShape][]) {
  const model = join(WORK, `model-${label}`)
  const suite = join(WORK, `suite-${label}`)
  writeBenchModel(model, shape)
  writeBenchSuite(suite, shape.vocab, PAIRS)
  const limit = system('limit', model, suite)
  const run = system('rmbench', model, suite, join(WORK, `run-${label}`))
  const peer = system('peer', model, suite)
  const naive = system('naive', model, suite)
  const add = (name: string, r: Record<string, number>, ms = r.ms) => rows.push({
    model: label, system: name, ms: Math.round(ms), pairsPerS: (PAIRS * 1000) / ms, tokensPerS: (r.tokens * 1000) / ms,
    paddingWaste: Number.isFinite(r.padded) ? r.padded / r.tokens - 1 : null, maxRssMB: r.maxRssMB, ratioToLimit: limit.ms / ms, ratioToPeer: peer.ms / ms,
  })
  add('onnxruntime limit', limit)
  add('rmbench (scoring)', run)
  add('rmbench (whole run)', run, run.wall)
  add('transformers.js pipeline', peer)
  add('naive loop', naive)
  extra[`${label}: requests`] = limit.requests
  extra[`${label}: tokens`] = limit.tokens
  extra[`${label}: transformers.js max |sigmoid(onnxruntime logit) - pipeline score|`] = peer.maxDiffToOrt
}

console.log(`Throughput: ${PAIRS} pairs, threads ${process.env.BENCH_THREADS ?? 'default'}, node ${process.version}`)
printTable([
  ['model', 'system', 'pairs/s', 'tokens/s', 'ms', 'padding', 'peak RSS', '× limit', '× peer'],
  ...rows.map((r) => [r.model, r.system, fmt(r.pairsPerS, 1), fmt(r.tokensPerS), fmt(r.ms), r.paddingWaste === null ? '—' : `${fmt(100 * r.paddingWaste, 1)}%`, `${r.maxRssMB} MB`, fmt(r.ratioToLimit, 2), fmt(r.ratioToPeer, 2)]),
])

// Re-run cost: the same suite scored cold (empty cache) and again into a new folder with the cache warm. Each
// is a fresh process, as `rmbench run` is; "in-process" excludes Node's start and module loading.
const rerunSuite = join(WORK, 'suite-rerun')
const cache = join(WORK, 'cache')
writeBenchSuite(rerunSuite, BIG.vocab, RERUN_PAIRS)
const cold = system('rmbench', join(WORK, 'model-big'), rerunSuite, join(WORK, 'rerun-cold'), cache)
const warm = system('rmbench', join(WORK, 'model-big'), rerunSuite, join(WORK, 'rerun-warm'), cache)
const rerun = {
  pairs: RERUN_PAIRS,
  coldInProcessMs: Math.round(cold.wall), warmInProcessMs: Math.round(warm.wall),
  coldProcessMs: Math.round(cold.processMs), warmProcessMs: Math.round(warm.processMs),
  warmOpenModelMs: Math.round(warm.openMs), warmCached: warm.cached, warmTokensScored: warm.tokens,
  speedupInProcess: cold.wall / warm.wall, speedupProcess: cold.processMs / warm.processMs,
}
console.log(`\nRe-run with the score cache warm (big model, ${RERUN_PAIRS} pairs):`)
printTable([
  ['run', '', 'in-process ms', 'process ms', 'cached', 'tokens scored'],
  ['cold', '', fmt(cold.wall), fmt(cold.processMs), fmt(cold.cached), fmt(cold.tokens)],
  ['warm', '', fmt(warm.wall), fmt(warm.processMs), fmt(warm.cached), fmt(warm.tokens)],
  ['cold / warm', '', `${fmt(rerun.speedupInProcess, 1)}×`, `${fmt(rerun.speedupProcess, 1)}×`, '', ''],
])
// Memory flat in dataset size: a streamed pairwise run with baseline:length over a tenth of the pairs and all of them.
const memory = [Math.round(STREAM_PAIRS / 10), STREAM_PAIRS].map((n) => {
  const dir = join(WORK, `stream-${n}`)
  writeStreamSuite(dir, n)
  const r = system('stream', '-', dir, join(dir, 'out'))
  rmSync(dir, { recursive: true, force: true })
  return { pairs: n, maxRssMB: r.maxRssMB, wallMs: Math.round(r.wall), accuracy: r.accuracy }
})
console.log('\nStreamed run, baseline:length (peak RSS of the whole process):')
printTable([['pairs', '', 'peak RSS', 'wall ms'], ...memory.map((m) => [fmt(m.pairs), '', `${m.maxRssMB} MB`, fmt(m.wallMs)])])
for (const [k, v] of Object.entries(extra)) console.log(`${k}: ${typeof v !== "number" ? v : Number.isInteger(v) ? fmt(v) : v.toExponential(2)}`)
writeFileSync(join(HERE, 'results.json'), JSON.stringify({ pairs: PAIRS, threads: process.env.BENCH_THREADS ?? 'default', node: process.version, rows, rerun, memory, extra, at: new Date().toISOString() }, null, 2) + '\n')
if (existsSync(WORK)) rmSync(WORK, { recursive: true, force: true })
