// Where the limit and rmbench differ, in one process (so process-level noise falls on both): the limit's
// session.run loop (wall and CPU ms), rmbench's ONNX runner on the same requests (prepared in blocks, asked in
// chunks, as the scoring loop does) and its session.run share, and the CPU the work left out of the limit costs:
// rendering the chat template and Rust tokenizers' one batch call. On the bench models and the whole-run suite
// (BENCH_RERUN_PAIRS pairs, default 1,000), written to a temporary folder. Not part of `npm run bench`; run by hand:
//   node --import tsx bench/cpu-budget.ts <big|tiny>
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeBenchSuite } from './bench-suite.ts'
import { limitFeeds as feeds } from './limit-feeds.ts'
import { BIG, TINY, writeBenchModel } from './make-bench-model.ts'
import * as ort from 'onnxruntime-node'
import { lengthBatches } from '../src/runners/onnx/length-batches.ts'
import { loadModelFolder } from '../src/runners/onnx/model-folder.ts'
import { RequestEncoder } from '../src/runners/onnx/request-encoder.ts'
import { createRunner, parseModelSpec } from '../src/runners/registry.ts'
import type { RewardRequest } from '../src/runners/types.ts'
import { chunkSize } from '../src/util/chunk-size.ts'

const shape = process.argv[2] === 'big' ? BIG : TINY
const work = mkdtempSync(join(tmpdir(), 'rmbench-cpu-budget-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
const modelDir = join(work, 'model')
const suiteDir = join(work, 'suite')
writeBenchModel(modelDir, shape)
writeBenchSuite(suiteDir, shape.vocab, Number(process.env.BENCH_RERUN_PAIRS ?? 1000))
const rows = readFileSync(join(suiteDir, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { prompt: string; chosen: string; rejected: string })
// The plan's order: by characters.
const reqs: RewardRequest[] = rows.flatMap((r) => [r.chosen, r.rejected].map((response) => ({ prompt: [{ role: 'user' as const, content: r.prompt }], response })))
reqs.sort((a, b) => a.prompt[0].content.length + a.response.length - (b.prompt[0].content.length + b.response.length))
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
const timed = async (f: () => Promise<unknown> | unknown) => { const c = cpuMs(); const t = performance.now(); await f(); return { ms: performance.now() - t, cpu: cpuMs() - c } }

const enc = new RequestEncoder(loadModelFolder(modelDir), { template: 'chat', maxLength: 1024, truncationSide: 'left', addSpecialTokens: false })
const ids = (await enc.encodeMany(reqs)).map((e) => e.ids)
const texts = reqs.map((r) => enc.render(r)!)
const session = await ort.InferenceSession.create(join(modelDir, 'model.onnx'), { graphOptimizationLevel: 'all', executionProviders: ['cpu'] })
const lengths = ids.map((x) => x.length)
const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b)
const batches = lengthBatches(order, lengths, 16, 1024)
const runner = await createRunner(parseModelSpec(`onnx:${modelDir}`), { warn: () => {}, cwd: process.cwd() })
const sessionMs = () => runner.timings!().sessionMs
const chunk = chunkSize(runner.batchSize)
console.log(`${reqs.length} requests, ${lengths.reduce((a, b) => a + b, 0)} tokens; limit: ${batches.length} batches`)
for (let round = 0; round < 3; round++) {
  const limit = await timed(async () => { for (const g of batches) await session.run(feeds(g.map((i) => ids[i]))) })
  const before = sessionMs()
  const rm = await timed(async () => {
    for (let c = 0; c < reqs.length; c += runner.lookahead!) runner.prepare!(reqs.slice(c, c + runner.lookahead!))
    for (let c = 0; c < reqs.length; c += chunk) await runner.reward!(reqs.slice(c, c + chunk))
  })
  const render = await timed(() => reqs.forEach((r) => enc.render(r)))
  const tokenize = await timed(async () => (await enc.tokenizer.encodeBatch(texts, { addSpecialTokens: false })).map((e) => e.getIds()))
  console.log(`limit ${limit.ms.toFixed(0)} ms (CPU ${limit.cpu.toFixed(0)}) | rmbench runner ${rm.ms.toFixed(0)} ms, of it session.run ${sessionMs() - before} | template ${render.ms.toFixed(0)} ms | tokenizer, one batch call: ${tokenize.ms.toFixed(0)} ms (CPU ${tokenize.cpu.toFixed(0)})`)
}
