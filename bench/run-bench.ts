// `npm run bench`: rmbench's ONNX runner against the raw onnxruntime limit and a naive loop, side by side in one
// run, on a transformer-shaped model where the model is the cost ("big") and a tiny one where overhead is.
// Prints a table and writes bench/results.json. Sizes: BENCH_PAIRS (default 150), BENCH_THREADS.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRng } from '../src/stats/rng.ts'
import { benchWords, BIG, TINY, writeBenchModel, type BenchModelShape } from './make-bench-model.ts'

const HERE = import.meta.dirname
const WORK = join(HERE, '.work')
const PAIRS = Number(process.env.BENCH_PAIRS ?? 150)

/** A realistic length mix: prompts of 10–60 words, responses log-uniform from 20 to 1,000 tokens. */
function writeSuite(dir: string, vocab: number, pairs: number): void {
  const rng = createRng(11)
  const words = benchWords(vocab)
  const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(rng.next() * words.length)]).join(' ')
  const len = () => Math.round(Math.exp(Math.log(20) + rng.next() * (Math.log(1000) - Math.log(20))))
  mkdirSync(dir, { recursive: true })
  const rows = Array.from({ length: pairs }, (_, i) => {
    const p = 10 + Math.floor(rng.next() * 50)
    return { id: `b${i}`, prompt: text(p), chosen: text(Math.max(1, len() - p)), rejected: text(Math.max(1, len() - p)) }
  })
  writeFileSync(join(dir, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  writeFileSync(join(dir, 'suite.yaml'), 'name: bench\ntask: pairwise\ndata: { source: data.jsonl }\nstats: { bootstrap: 1000 }\n')
}

function system(name: string, model: string, suite: string, out?: string): Record<string, number> {
  const args = ['--import', 'tsx', join(HERE, 'systems.ts'), name, model, suite, ...(out ? [out] : [])]
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', env: process.env, maxBuffer: 1 << 24 }).trim().split('\n').pop()!)
}

interface Row { model: string; system: string; pairsPerS: number; tokensPerS: number; ms: number; paddingWaste: number; maxRssMB: number; ratioToLimit: number }

const rows: Row[] = []
const extra: Record<string, number> = {}
rmSync(WORK, { recursive: true, force: true })
for (const [label, shape] of [['big', BIG], ['tiny', TINY]] as [string, BenchModelShape][]) {
  const model = join(WORK, `model-${label}`)
  const suite = join(WORK, `suite-${label}`)
  writeBenchModel(model, shape)
  writeSuite(suite, shape.vocab, PAIRS)
  const limit = system('limit', model, suite)
  const out = join(WORK, `run-${label}`)
  const cold = system('rmbench', model, suite, out)
  const warm = system('rmbench', model, suite, out)
  const naive = system('naive', model, suite)
  const add = (name: string, r: Record<string, number>, ms = r.ms) => rows.push({
    model: label, system: name, ms: Math.round(ms), pairsPerS: (PAIRS * 1000) / ms, tokensPerS: (r.tokens * 1000) / ms,
    paddingWaste: r.padded / r.tokens - 1, maxRssMB: r.maxRssMB, ratioToLimit: limit.ms / ms,
  })
  add('onnxruntime limit', limit)
  add('rmbench (scoring)', cold)
  add('rmbench (whole run)', cold, cold.wall)
  add('naive loop', naive)
  extra[`${label}: warm re-run wall ms`] = Math.round(warm.wall)
  extra[`${label}: cold / warm whole run`] = Math.round((cold.wall / warm.wall) * 10) / 10
  extra[`${label}: requests`] = limit.requests
  extra[`${label}: tokens`] = limit.tokens
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
const table = [
  ['model', 'system', 'pairs/s', 'tokens/s', 'ms', 'padding', 'peak RSS', '× limit'],
  ...rows.map((r) => [r.model, r.system, fmt(r.pairsPerS, 1), fmt(r.tokensPerS), fmt(r.ms), `${fmt(100 * r.paddingWaste, 1)}%`, `${r.maxRssMB} MB`, fmt(r.ratioToLimit, 2)]),
]
const w = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)))
for (const r of table) console.log(r.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '))
for (const [k, v] of Object.entries(extra)) console.log(`${k}: ${v}`)
console.log('transformers.js peer: not measured (see bench/README.md)')
writeFileSync(join(HERE, 'results.json'), JSON.stringify({ pairs: PAIRS, threads: process.env.BENCH_THREADS ?? 'default', node: process.version, rows, extra, at: new Date().toISOString() }, null, 2) + '\n')
if (existsSync(WORK)) rmSync(WORK, { recursive: true, force: true })
