// One system of `npm run bench`, in its own process so its peak RSS is its own: prints one JSON line.
//   node --import tsx bench/systems.ts <limit|rmbench|rmbench-thread|naive|peer|stream> <model dir> <suite dir> [out dir]
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { createRunner, parseModelSpec } from '../src/runners/registry.ts'
import { lengthBatches } from '../src/runners/onnx/length-batches.ts'
import { loadModelFolder } from '../src/runners/onnx/model-folder.ts'
import { DEFAULT_BATCH_TOKENS } from '../src/runners/onnx/onnx-runner.ts'
import { RequestEncoder } from '../src/runners/onnx/request-encoder.ts'
import type { RewardRequest } from '../src/runners/types.ts'
import { runSuite } from '../src/run/run-suite.ts'
import { limitFeeds as feeds } from './limit-feeds.ts'
import { loadSuite } from '../src/suite/load-suite.ts'

const [system, modelDir, suiteDir, outDir] = process.argv.slice(2)
const THREADS = Number(process.env.BENCH_THREADS ?? 0) || undefined
// rmbench's defaults on this device, so the limit runs the batches rmbench would.
const BATCH = 16
const MAX_TOKENS = DEFAULT_BATCH_TOKENS.cpu

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

async function session() {
  return ort.InferenceSession.create(join(modelDir, 'model.onnx'), { graphOptimizationLevel: 'all', executionProviders: ['cpu'], ...(THREADS ? { intraOpNumThreads: THREADS } : {}) })
}

async function streamed(): Promise<Record<string, number>> {
  // Memory flat in dataset size: a streamed pairwise run with the length baseline over the suite's data.
  const runner = await createRunner(parseModelSpec('baseline:length'), { warn: () => {}, cwd: process.cwd() })
  const t0 = performance.now()
  const outcome = await runSuite({ suite: loadSuite(suiteDir), runner, modelSpec: 'baseline:length', outDir, stream: true })
  const r = outcome.result!
  return { examples: r.counts.examples, requests: r.counts.requests, accuracy: r.metrics.accuracy.value, wall: performance.now() - t0 }
}

async function main(): Promise<Record<string, number | string>> {
  if (system === 'stream') return streamed()
  const reqs = requests()
  if (system === 'limit') {
    // The ceiling: ids computed beforehand (not timed), sorted by length, batched under the same budget.
    const enc = encoder()
    const ids = (await Promise.all(reqs.map((r) => enc.encode(r)))).map((e) => e.ids)
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
      const ids = (await enc.encode(r)).ids
      tokens += ids.length
      await s.run(feeds([ids]))
    }
    return { requests: reqs.length, tokens, padded: tokens, ms: performance.now() - t0 }
  }
  if (system === 'rmbench' || system === 'rmbench-thread') {
    // rmbench end to end, as `rmbench run` does it, without the score cache (the re-run section measures that
    // through the CLI): open the model, load the suite and data, template, tokenise, batch, score, record,
    // metrics, reports.
    const t0 = performance.now()
    const runner = await createRunner(parseModelSpec(`onnx:${modelDir}?batch_size=${BATCH}${system === 'rmbench-thread' ? '&tokenize_threads=1' : ''}${THREADS ? `&threads=${THREADS}` : ''}`), { warn: () => {}, cwd: process.cwd() })
    const outcome = await runSuite({ suite: loadSuite(suiteDir), runner, modelSpec: 'bench', outDir })
    const wall = performance.now() - t0
    const { tokenCounts: counts } = runner as unknown as { tokenCounts: { real: number; padded: number } }
    const r = outcome.result!
    return { requests: r.counts.unique, tokens: counts.real, padded: counts.padded, ms: r.provenance.scoringMs, wall }
  }
  if (system === 'peer') {
    // The JavaScript peer: @huggingface/transformers' text-classification pipeline on the same graph and
    // tokenizer, given the same templated texts in data order, 16 at a time (an array input is one padded batch).
    const peerDir = `${modelDir}-peer`
    if (!existsSync(peerDir)) {
      mkdirSync(join(peerDir, 'onnx'), { recursive: true })
      symlinkSync(join(modelDir, 'model.onnx'), join(peerDir, 'onnx', 'model.onnx'))
      for (const f of ['tokenizer.json', 'tokenizer_config.json']) symlinkSync(join(modelDir, f), join(peerDir, f))
      // A BERT-style sequence classifier to transformers.js (inputs: input_ids, attention_mask); sigmoid keeps the order of rewards.
      const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8'))
      writeFileSync(join(peerDir, 'config.json'), JSON.stringify({ ...config, model_type: 'bert', problem_type: 'multi_label_classification' }))
    }
    const tf = await import('@huggingface/transformers')
    tf.env.allowRemoteModels = false
    tf.env.localModelPath = join(peerDir, '..')
    const clf = await tf.pipeline('text-classification', peerDir.split('/').pop()!, { dtype: 'fp32', device: 'cpu', ...(THREADS ? { session_options: { intraOpNumThreads: THREADS } } : {}) })
    const enc = encoder()
    const texts = reqs.map((r) => enc.render(r)!)
    const tokens = (await Promise.all(reqs.map((r) => enc.encode(r)))).reduce((a, e) => a + e.ids.length, 0)
    const t0 = performance.now()
    const scores: number[] = []
    for (let i = 0; i < texts.length; i += BATCH) {
      const out = (await clf(texts.slice(i, i + BATCH), { top_k: 1 })) as unknown as { score: number }[] | { score: number }[][]
      for (const o of out) scores.push(Array.isArray(o) ? o[0].score : o.score)
    }
    const ms = performance.now() - t0
    // Same model, same answers: the pipeline's sigmoid against raw onnxruntime logits on the first rows.
    const s = await session()
    let maxDiff = 0
    for (let i = 0; i < Math.min(16, reqs.length); i++) {
      const logit = Number((await s.run(feeds([(await enc.encode(reqs[i])).ids]))).logits.data[0])
      maxDiff = Math.max(maxDiff, Math.abs(1 / (1 + Math.exp(-logit)) - scores[i]))
    }
    return { requests: reqs.length, tokens, padded: NaN, ms, maxDiffToOrt: maxDiff }
  }
  throw new Error(`unknown system ${system}`)
}

const res = await main()
process.stdout.write(JSON.stringify({ system, ...res, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n')
