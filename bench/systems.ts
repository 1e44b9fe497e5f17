// One system of `npm run bench`, in its own process so its peak RSS is its own: prints one JSON line.
//   node --import tsx bench/systems.ts <limit|rmbench|naive> <model dir> <suite dir> [out dir]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { createRunner, parseModelSpec } from '../src/runners/registry.ts'
import { lengthBatches } from '../src/runners/onnx/onnx-runner.ts'
import { loadModelFolder } from '../src/runners/onnx/model-folder.ts'
import { RequestEncoder } from '../src/runners/onnx/request-encoder.ts'
import type { RewardRequest } from '../src/runners/types.ts'
import { runSuite } from '../src/run/run-suite.ts'
import { loadSuite } from '../src/suite/load-suite.ts'

const [system, modelDir, suiteDir, outDir] = process.argv.slice(2)
const THREADS = Number(process.env.BENCH_THREADS ?? 0) || undefined
const BATCH = 16
const MAX_TOKENS = 65536

/** The suite's requests as rmbench builds them: (prompt, chosen) and (prompt, rejected), deduplicated. */
function requests(): RewardRequest[] {
  const rows = readFileSync(join(suiteDir, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  const seen = new Set<string>()
  const out: RewardRequest[] = []
  for (const r of rows) for (const response of [r.chosen, r.rejected]) {
    const k = r.prompt + '\u0000' + response
    if (!seen.has(k)) { seen.add(k); out.push({ prompt: [{ role: 'user', content: r.prompt }], response }) }
  }
  return out
}

function encoder(): RequestEncoder {
  const folder = loadModelFolder(modelDir)
  return new RequestEncoder(folder, { template: 'chat', maxLength: 1024, truncationSide: 'left', addSpecialTokens: false })
}

const i64 = (a: BigInt64Array, dims: number[]) => new ort.Tensor('int64', a, dims)

/** A right-padded [B, L] batch of ids and its mask, built straight into typed arrays. */
function feeds(rows: number[][]): Record<string, ort.Tensor> {
  const L = Math.max(...rows.map((r) => r.length))
  const ids = new BigInt64Array(rows.length * L)
  const mask = new BigInt64Array(rows.length * L)
  rows.forEach((r, b) => r.forEach((id, t) => { ids[b * L + t] = BigInt(id); mask[b * L + t] = 1n }))
  return { input_ids: i64(ids, [rows.length, L]), attention_mask: i64(mask, [rows.length, L]) }
}

async function session() {
  return ort.InferenceSession.create(join(modelDir, 'model.onnx'), { graphOptimizationLevel: 'all', executionProviders: ['cpu'], ...(THREADS ? { intraOpNumThreads: THREADS } : {}) })
}

async function main(): Promise<Record<string, number | string>> {
  const reqs = requests()
  if (system === 'limit') {
    // The ceiling: ids computed beforehand (not timed), sorted by length, batched under the same budget.
    const enc = encoder()
    const ids = reqs.map((r) => enc.encode(r).ids)
    const s = await session()
    const lengths = ids.map((x) => x.length)
    const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b)
    const batches = lengthBatches(order, lengths, BATCH, MAX_TOKENS)
    let padded = 0
    const t0 = performance.now()
    for (const g of batches) {
      const rows = g.map((i) => ids[i])
      padded += rows.length * Math.max(...rows.map((r) => r.length))
      await s.run(feeds(rows))
    }
    const ms = performance.now() - t0
    return { requests: reqs.length, tokens: lengths.reduce((a, b) => a + b, 0), padded, ms }
  }
  if (system === 'naive') {
    // What a first script does: tokenise one input, run it alone, next.
    const enc = encoder()
    const s = await session()
    let tokens = 0
    const t0 = performance.now()
    for (const r of reqs) {
      const ids = enc.encode(r).ids
      tokens += ids.length
      await s.run(feeds([ids]))
    }
    return { requests: reqs.length, tokens, padded: tokens, ms: performance.now() - t0 }
  }
  if (system === 'rmbench') {
    // rmbench end to end: load the suite and data, template, tokenise, batch, score, record, metrics, reports.
    const runner = await createRunner(parseModelSpec(`onnx:${modelDir}?batch_size=${BATCH}${THREADS ? `&threads=${THREADS}` : ''}`), { warn: () => {}, cwd: process.cwd() })
    const t0 = performance.now()
    const outcome = await runSuite({ suite: loadSuite(suiteDir), runner, modelSpec: 'bench', outDir })
    const wall = performance.now() - t0
    const counts = (runner as unknown as { tokenCounts: { real: number; padded: number } }).tokenCounts
    const r = outcome.result!
    return { requests: r.counts.unique, cached: r.counts.cached, tokens: counts.real, padded: counts.padded, ms: r.provenance.scoringMs, wall }
  }
  throw new Error(`unknown system ${system}`)
}

const res = await main()
process.stdout.write(JSON.stringify({ system, ...res, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n')
