// `npm run bench`: rmbench's ONNX runner against the raw onnxruntime limit, the transformers.js pipeline and a
// naive loop, side by side in one run, on a transformer-shaped model where the model is the cost ("big") and a
// tiny one where overhead is; then a cold run against a re-run with the score cache warm. Prints tables and
// writes bench/results.json. Each throughput system runs BENCH_REPEATS times (default 7), interleaved, each time in
// a fresh process, and the median is reported: a shared machine's load then falls on every system alike.
// Sizes: BENCH_PAIRS (default 150), BENCH_RERUN_PAIRS (default 1000), BENCH_STREAM_PAIRS (default 1,000,000),
// BENCH_THREADS.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeBenchSuite, writeStreamSuite } from './bench-suite.ts'
import { BIG, TINY, writeBenchModel, type BenchModelShape } from './make-bench-model.ts'

const HERE = import.meta.dirname
const WORK = join(HERE, '.work')
// onnxruntime's telemetry uploader stays off in the systems too, as rmbench turns it off for itself (ort-session.ts).
process.env.ORT_DISABLE_TELEMETRY ??= '1'
process.env.ORT_TELEMETRY_DISABLED ??= '1'
const PAIRS = Number(process.env.BENCH_PAIRS ?? 150)
const RERUN_PAIRS = Number(process.env.BENCH_RERUN_PAIRS ?? 1000)
const STREAM_PAIRS = Number(process.env.BENCH_STREAM_PAIRS ?? 1_000_000)
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 7))

/** Runs one system in a fresh Node process; returns its JSON line. */
function system(name: string, model: string, suite: string, out = WORK): Record<string, number> {
  const args = ['--import', 'tsx', join(HERE, 'systems.ts'), name, model, suite, out]
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', env: process.env, maxBuffer: 1 << 24 }).trim().split('\n').pop()!)
}

interface Row { model: string; system: string; pairsPerS: number; tokensPerS: number; ms: number; paddingWaste: number | null; maxRssMB: number; ratioToLimit: number; ratioToPeer: number }

const rows: Row[] = []
/** Every repeat's scoring ms per model and system, to show the spread behind each median. */
const spread: Record<string, Record<string, number[]>> = {}

/** The repeat with the median scoring time (the whole record, so its other figures belong to the same run). */
function median(runs: Record<string, number>[]): Record<string, number> {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)]
}
const extra: Record<string, number | string> = {}
const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—')

function printTable(table: string[][]): void {
  const w = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)))
  for (const r of table) console.log(r.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '))
}

// The PyTorch anchor (bench/torch/score_bench.py): run when a Python with torch, tokenizers and onnx is at hand.
const PYTHON = process.env.BENCH_PYTHON ?? join(HERE, 'torch', '.venv', 'bin', 'python')
const TORCH = existsSync(PYTHON)
if (!TORCH) console.log(`PyTorch anchor skipped: no Python at ${PYTHON} (see bench/torch/score_bench.py; BENCH_PYTHON names another)`)
const TORCH_CONFIGS = ['batch 8, data order (RewardBench)', 'sorted, batch 16']
function torchSystem(model: string, suite: string, rmbenchRun: string, passes = 1): Record<string, number> {
  const out = execFileSync(PYTHON, [join(HERE, 'torch', 'score_bench.py'), model, suite, rmbenchRun, process.env.BENCH_THREADS ?? 'default', String(passes)], { encoding: 'utf8', maxBuffer: 1 << 24 })
  return JSON.parse(out.trim().split('\n').pop()!)
}

rmSync(WORK, { recursive: true, force: true })
for (const [label, shape] of [['big', BIG], ['tiny', TINY]] as [string, BenchModelShape][]) {
  const model = join(WORK, `model-${label}`)
  const suite = join(WORK, `suite-${label}`)
  writeBenchModel(model, shape)
  writeBenchSuite(suite, shape.vocab, PAIRS, 1000)
  const runs: Record<string, Record<string, number>[]> = { limit: [], rmbench: [], 'rmbench-thread': [], peer: [], naive: [] }
  const torchRuns: Record<string, number>[] = []
  for (let k = 0; k < REPEATS; k++) {
    for (const name of Object.keys(runs)) runs[name].push(system(name, model, suite, join(WORK, `run-${label}-${name}-${k}`)))
    if (TORCH) torchRuns.push(torchSystem(model, suite, join(WORK, `run-${label}-rmbench-${k}`)))
  }
  const [limit, run, threaded, peer, naive] = Object.values(runs).map(median)
  spread[label] = Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, r.map((x) => Math.round(x.ms))]))
  const add = (name: string, r: Record<string, number>, ms = r.ms) => rows.push({
    model: label, system: name, ms: Math.round(ms), pairsPerS: (PAIRS * 1000) / ms, tokensPerS: (r.tokens * 1000) / ms,
    paddingWaste: Number.isFinite(r.padded) ? r.padded / r.tokens - 1 : null, maxRssMB: r.maxRssMB, ratioToLimit: limit.ms / ms, ratioToPeer: peer.ms / ms,
  })
  add('onnxruntime limit', limit)
  add('rmbench (scoring)', run)
  add('rmbench (whole run)', run, run.wall)
  add('rmbench, overlapped tokenising', threaded)
  add('transformers.js pipeline', peer)
  add('naive loop', naive)
  for (const config of TORCH ? TORCH_CONFIGS : []) {
    const t = median(torchRuns.map((r) => ({ ...r, ms: r[config], padded: NaN, tokens: limit.tokens })))
    add(`PyTorch ${t.torch}, ${config}`, t)
    spread[label][`torch ${config}`] = torchRuns.map((r) => Math.round(r[config]))
    extra[`${label}: PyTorch max |score − rmbench's|`] = Math.max(...torchRuns.map((r) => r.maxDiff))
  }
  // Each round runs the limit and rmbench back to back: their ratio within a round sees the same machine load.
  const paired = runs.limit.map((l, k) => l.ms / runs.rmbench[k].ms).sort((a, b) => a - b)
  extra[`${label}: rmbench / limit, median of the ${REPEATS} rounds' own ratios`] = paired[Math.floor((paired.length - 1) / 2)].toFixed(3)
  extra[`${label}: rmbench / limit, each round`] = runs.limit.map((l, k) => (l.ms / runs.rmbench[k].ms).toFixed(2)).join(' ')
  extra[`${label}: requests`] = limit.requests
  extra[`${label}: tokens`] = limit.tokens
  extra[`${label}: transformers.js max |sigmoid(onnxruntime logit) - pipeline score|`] = peer.maxDiffToOrt
}

console.log(`Throughput: ${PAIRS} pairs, threads ${process.env.BENCH_THREADS ?? 'default'}, node ${process.version}, median of ${REPEATS} interleaved runs`)
printTable([
  ['model', 'system', 'pairs/s', 'tokens/s', 'ms', 'padding', 'peak RSS', '× limit', '× peer'],
  ...rows.map((r) => [r.model, r.system, fmt(r.pairsPerS, 1), fmt(r.tokensPerS), fmt(r.ms), r.paddingWaste === null ? '—' : `${fmt(100 * r.paddingWaste, 1)}%`, `${r.maxRssMB} MB`, fmt(r.ratioToLimit, 2), fmt(r.ratioToPeer, 2)]),
])

// Re-run cost, as a user meets it: `rmbench run` (the real CLI, a fresh process each time) on a suite with
// rmbench's default statistics (10,000 bootstrap resamples) and an empty score cache, then the same suite into new
// folders with the cache warm, WARM_RUNS times (the median is reported). At BENCH_RERUN_PAIRS and at RewardBench's
// size (2,985 pairs). "in-process" is the run's own provenance.durationMs; "process" adds Node's start, module
// loading and exit.
const WARM_RUNS = 3
type Phases = Record<'loadMs' | 'scoringMs' | 'tokenizeMs' | 'sessionMs' | 'statisticsMs' | 'reportMs', number | undefined>
function cli(suite: string, out: string, cache: string, model = `onnx:${join(WORK, 'model-big')}`): { processMs: number; durationMs: number; cached: number; unique: number; phases: Phases; maxRssMB: number } {
  const rss = `${out}.rss`
  const t0 = performance.now()
  execFileSync(process.execPath, ['--require', join(HERE, 'rss-at-exit.cjs'), join(HERE, '..', 'bin', 'rmbench.js'), 'run', suite, '-m', model, '-o', out], { env: { ...process.env, RMBENCH_CACHE_DIR: cache, BENCH_RSS_FILE: rss }, stdio: 'ignore' })
  const processMs = performance.now() - t0
  const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))
  return { processMs, durationMs: r.provenance.durationMs, cached: r.counts.cached, unique: r.counts.unique, phases: r.provenance.phases, maxRssMB: Math.round(Number(readFileSync(rss, 'utf8')) / 1024) }
}
const rerunCold: ReturnType<typeof cli>[] = []
const rerun = [RERUN_PAIRS, 2985].map((pairs) => {
  const suite = join(WORK, `suite-rerun-${pairs}`)
  const cache = join(WORK, `cache-${pairs}`)
  writeBenchSuite(suite, BIG.vocab, pairs)
  const cold = cli(suite, join(WORK, `rerun-${pairs}-cold`), cache)
  rerunCold.push(cold)
  const warms = Array.from({ length: WARM_RUNS }, (_, k) => cli(suite, join(WORK, `rerun-${pairs}-warm-${k}`), cache))
  const mid = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((a, b) => by(a) - by(b))[Math.floor((xs.length - 1) / 2)]
  const warm = mid(warms, (w) => w.processMs)
  const warmInProcessMs = mid(warms, (w) => w.durationMs).durationMs
  return {
    pairs, requests: cold.unique, warmCached: Math.min(...warms.map((w) => w.cached)),
    coldInProcessMs: cold.durationMs, warmInProcessMs, coldProcessMs: Math.round(cold.processMs), warmProcessMs: Math.round(warm.processMs),
    speedupInProcess: cold.durationMs / warmInProcessMs, speedupProcess: cold.processMs / warm.processMs,
    warmRuns: warms.map((w) => ({ ms: w.durationMs, processMs: Math.round(w.processMs) })),
  }
})
console.log(`\nRe-run of \`rmbench run\` with the score cache warm (big model, default statistics; warm: median of ${WARM_RUNS}):`)
printTable([
  ['pairs', '', 'cold ms', 'warm ms', 'cold/warm', 'cold process ms', 'warm process ms', 'cold/warm', 'warm: cached of requests'],
  ...rerun.map((r) => [fmt(r.pairs), '', fmt(r.coldInProcessMs), fmt(r.warmInProcessMs), `${fmt(r.speedupInProcess, 1)}×`, fmt(r.coldProcessMs), fmt(r.warmProcessMs), `${fmt(r.speedupProcess, 1)}×`, `${fmt(r.warmCached)} of ${fmt(r.requests)}`]),
])
for (const r of rerun) console.log(`${fmt(r.pairs)} pairs, every warm run: ${r.warmRuns.map((w) => `${fmt(w.ms)} ms (process ${fmt(w.processMs)})`).join(', ')}`)
// Where a cold run's time goes, phase by phase (results.json → provenance.phases): "start" is the rest of the
// process — Node's start, loading the CLI, the config and the model, and exit. The quickstart as a newcomer runs it
// (bundled suite and model, an empty score cache; median of 3 by process time) and the cold 1,000-pair run above.
const quick = Array.from({ length: 3 }, (_, k) => cli(join(HERE, '..', 'suites', 'quickstart'), join(WORK, `quickstart-${k}`), join(WORK, `cache-quickstart-${k}`), 'quickstart-rm'))
const quickMid = [...quick].sort((a, b) => a.processMs - b.processMs)[1]
const phaseRows = [['quickstart (320 pairs, bundled RM)', quickMid], [`${fmt(RERUN_PAIRS)} pairs, big model`, rerunCold[0]], ['2,985 pairs, big model', rerunCold[1]]] as const
const phaseTable = phaseRows.map(([name, r]) => {
  const p = r.phases
  const inRun = r.durationMs + (p.reportMs ?? 0)
  return { run: name, startMs: Math.round(r.processMs - inRun), loadMs: p.loadMs, tokenizeMs: p.tokenizeMs, sessionMs: p.sessionMs, otherScoringMs: p.scoringMs! - (p.tokenizeMs ?? 0) - (p.sessionMs ?? 0), statisticsMs: p.statisticsMs, reportMs: p.reportMs, processMs: Math.round(r.processMs) }
})
console.log('\nWhere a cold run\'s time goes (ms; "scoring, other": batching, planning and recording around the model):')
printTable([
  ['run', '', 'start', 'load', 'tokenise', 'session.run', 'scoring, other', 'statistics', 'report', 'process'],
  ...phaseTable.map((r) => [r.run, '', fmt(r.startMs), fmt(r.loadMs ?? NaN), fmt(r.tokenizeMs ?? NaN), fmt(r.sessionMs ?? NaN), fmt(r.otherScoringMs), fmt(r.statisticsMs ?? NaN), fmt(r.reportMs ?? NaN), fmt(r.processMs)]),
])
console.log(`quickstart, every run's process ms: ${quick.map((q) => fmt(q.processMs)).join(', ')}`)

// The whole run against the limit at RERUN_PAIRS, as the issue of record states its target: the real CLI, cold
// (a new score cache each time), process time and in-process time (the run plus its reports), against the limit
// on the same suite; median of 3 of each, interleaved.
const whole = [['big', join(WORK, 'model-big')], ['tiny', join(WORK, 'model-tiny')]].map(([label, model]) => {
  const suite = join(WORK, `suite-rerun-${RERUN_PAIRS}`)
  const limits: number[] = []
  const runs: ReturnType<typeof cli>[] = []
  for (let k = 0; k < 3; k++) {
    limits.push(system('limit', model, suite, join(WORK, `whole-limit-${label}-${k}`)).ms)
    runs.push(cli(suite, join(WORK, `whole-${label}-${k}`), join(WORK, `whole-cache-${label}-${k}`), `onnx:${model}`))
  }
  const limitMs = [...limits].sort((a, b) => a - b)[1]
  const mid = [...runs].sort((a, b) => a.processMs - b.processMs)[1]
  const inRun = mid.durationMs + (mid.phases.reportMs ?? 0)
  // PyTorch on the same 1,000 pairs, once (its ms are scoring alone; its peak RSS beside the CLI run's).
  const torch = TORCH ? torchSystem(model, suite, join(WORK, `whole-${label}-${runs.indexOf(mid)}`), 1) : null
  return {
    model: label, pairs: RERUN_PAIRS, limitMs: Math.round(limitMs), scoringMs: mid.phases.scoringMs!, inRunMs: inRun, processMs: Math.round(mid.processMs),
    scoringRatio: limitMs / mid.phases.scoringMs!, inRunRatio: limitMs / inRun, processRatio: limitMs / mid.processMs, maxRssMB: mid.maxRssMB,
    ...(torch ? { torch: Object.fromEntries(TORCH_CONFIGS.map((c) => [c, Math.round(torch[c])])), torchMaxRssMB: torch.maxRssMB, torchMaxDiff: torch.maxDiff } : {}),
  }
})
console.log(`\nThe whole cold run against the limit at ${fmt(RERUN_PAIRS)} pairs (median of 3; × limit = limit ms / rmbench ms):`)
printTable([
  ['model', '', 'limit ms', 'scoring ms', '× limit', 'run + reports ms', '× limit', 'process ms', '× limit', 'peak RSS'],
  ...whole.map((w) => [w.model, '', fmt(w.limitMs), fmt(w.scoringMs), fmt(w.scoringRatio, 2), fmt(w.inRunMs), fmt(w.inRunRatio, 2), fmt(w.processMs), fmt(w.processRatio, 2), `${w.maxRssMB} MB`]),
])
for (const w of whole)
  if (w.torch) console.log(`${w.model}, PyTorch on the same ${fmt(RERUN_PAIRS)} pairs (one pass, scoring only): ${TORCH_CONFIGS.map((c) => `${c} ${fmt(w.torch![c])} ms`).join(', ')}; peak RSS ${w.torchMaxRssMB} MB; max |score − rmbench's| ${Number(w.torchMaxDiff).toExponential(2)}`)
// Tokenisers: fidelity on the hard corpus and tokens/s on real text, Rust (rmbench's) against the pure-JS port.
const tokenizers = (JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'tokenizer-bench.ts')], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 24 }).trim().split('\n').pop()!) as { rows: Record<string, string | number>[] }).rows
console.log('\nTokenisers (ids ≠ Rust reference on the 248-text hard corpus; tokens/s on LLMBar prompts and answers, median of 5):')
printTable([
  ['tokenizer', 'implementation', 'corpus mismatches', 'tokens/s', '× pure-JS'],
  ...tokenizers.map((r) => [String(r.tokenizer), String(r.implementation), `${r.corpusMismatches}/${r.corpusTexts}`, fmt(Number(r.tokensPerS)), fmt(Number(r.ratioToJs), 2)]),
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
for (const [label, bySystem] of Object.entries(spread)) console.log(`${label}: every run's ms: ${Object.entries(bySystem).map(([n, ms]) => `${n} ${ms.join('/')}`).join(', ')}`)
for (const [k, v] of Object.entries(extra)) console.log(`${k}: ${typeof v !== "number" ? v : Number.isInteger(v) ? fmt(v) : v.toExponential(2)}`)
writeFileSync(join(HERE, 'results.json'), JSON.stringify({ pairs: PAIRS, repeats: REPEATS, threads: process.env.BENCH_THREADS ?? 'default', node: process.version, rows, spread, rerun, phases: phaseTable, whole, tokenizers, memory, extra, at: new Date().toISOString() }, null, 2) + '\n')
if (existsSync(WORK)) rmSync(WORK, { recursive: true, force: true })
