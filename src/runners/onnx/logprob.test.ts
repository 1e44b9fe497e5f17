import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import t from 'tap'
import { createRng } from '../../stats/rng.ts'
import { createRunner, parseModelSpec } from '../registry.ts'
import type { RewardRequest, Scored } from '../types.ts'

const { onnx } = onnxProto
const SHARED = '../shared/data'
const noShared = !existsSync(SHARED) && 'needs ../shared/data (absent)'
const ctx = { warn: () => {}, cwd: process.cwd() }
const req = (prompt: string, response: string): RewardRequest => ({ prompt: [{ role: 'user', content: prompt }], response })
const ok = (s: Scored[]) => s.map((x) => { if ('error' in x) throw new Error(x.error.message); return x })

/** A bigram causal LM over the quickstart vocabulary: logits[b, t] = W[ids[b, t]], W seeded. */
function bigramLm(): { dir: string; W: Float32Array; V: number } {
  const dir = mkdtempSync(join(tmpdir(), 'rmbench-lm-'))
  copyFileSync('fixtures/quickstart-rm/tokenizer.json', join(dir, 'tokenizer.json'))
  const V = Object.keys(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')).model.vocab).length
  const rng = createRng(7)
  const W = Float32Array.from({ length: V * V }, () => (rng.next() - 0.5) * 8)
  const F = onnx.TensorProto.DataType.FLOAT
  const I64 = onnx.TensorProto.DataType.INT64
  const io = (name: string, type: number, dims: object[]) => ({ name, type: { tensorType: { elemType: type, shape: { dim: dims } } } })
  const m = {
    irVersion: 7, opsetImport: [{ version: 13 }],
    graph: {
      name: 'bigram',
      input: [io('input_ids', I64, [{ dimParam: 'batch' }, { dimParam: 'seq' }]), io('attention_mask', I64, [{ dimParam: 'batch' }, { dimParam: 'seq' }])],
      output: [io('logits', F, [{ dimParam: 'batch' }, { dimParam: 'seq' }, { dimValue: V }])],
      initializer: [{ name: 'W', dims: [V, V], dataType: F, rawData: new Uint8Array(W.buffer) }],
      node: [
        { opType: 'Gather', input: ['W', 'input_ids'], output: ['g'] },
        // The mask is an input the graph must accept; multiply by 1 so it is used but changes nothing.
        { opType: 'Cast', input: ['attention_mask'], output: ['mf'], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: F }] },
        { opType: 'ReduceMax', input: ['mf'], output: ['one'], attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
        { opType: 'Mul', input: ['g', 'one'], output: ['logits'] },
      ],
    },
  }
  writeFileSync(join(dir, 'model.onnx'), onnx.ModelProto.encode(m).finish())
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ vocab_size: V }))
  return { dir, W, V }
}

const REQS = [req('Why is the sky blue?', 'Sunlight scatters off air molecules.'), req('Hi', 'Hello!'), req('What is 2 + 2?', 'The answer is 4.')]

t.test('fixture LM: log-probs equal an independent log-softmax of the raw session outputs', async (t) => {
  const { dir, V } = bigramLm()
  const r = await createRunner(parseModelSpec(`onnx:${dir}?template=hh`), ctx)
  t.same(r.capabilities, { logprob: true })
  t.notOk(r.reward, 'an LM is not a reward model')
  const got = ok(await r.logprob!(REQS))
  // Independent path: the same ids through a plain session, log-softmax by hand.
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'))
  const { loadTokenizer } = await import('../tokenizer-file.ts')
  const tok = loadTokenizer(join(dir, 'tokenizer.json'))
  for (const [k, q] of REQS.entries()) {
    const prompt = `Human: ${q.prompt[0].content}\n\nAssistant: `
    const full = `Human: ${q.prompt[0].content}\n\nAssistant: ${q.response}`
    const p = (await tok.encode(prompt, null, { addSpecialTokens: false })).getIds()
    const ids = (await tok.encode(full, null, { addSpecialTokens: false })).getIds()
    const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]), attention_mask: new ort.Tensor('int64', BigInt64Array.from(ids, () => 1n), [1, ids.length]) })
    const L = out.logits.data as Float32Array
    let want = 0
    for (let i = p.length; i < ids.length; i++) {
      const row = Array.from(L.subarray((i - 1) * V, i * V))
      const mx = Math.max(...row)
      want += row[ids[i]] - mx - Math.log(row.reduce((a, x) => a + Math.exp(x - mx), 0))
    }
    t.ok(Math.abs(got[k].value - want) < 1e-9, `request ${k}: ${got[k].value} vs ${want}`)
    t.equal(got[k].tokens, ids.length - p.length)
  }
})

t.test('fixture LM: batch size 1 and many agree; padding never reaches real tokens', async (t) => {
  const { dir } = bigramLm()
  const one = ok(await (await createRunner(parseModelSpec(`onnx:${dir}?template=hh&batch_size=1`), ctx)).logprob!(REQS))
  const many = ok(await (await createRunner(parseModelSpec(`onnx:${dir}?template=hh&batch_size=64&padding_side=left`), ctx)).logprob!(REQS))
  t.ok(one.every((x, i) => Math.abs(x.value - many[i].value) < 1e-9 && x.tokens === many[i].tokens))
})

t.test('boundary: a token that merges across the prompt/response boundary belongs to the response', async (t) => {
  const { responseStart } = await import('./request-encoder.ts')
  t.equal(responseStart([1, 2, 3], [1, 2, 3, 4, 5]), 3, 'clean boundary')
  t.equal(responseStart([1, 2, 3], [1, 2, 9, 5]), 2, "prompt's last token merged into 9: scored")
  t.equal(responseStart([], [7, 8]), 1, 'the first token is never scored')
  // On real data the rule matches transformers' offset-based boundary: see the llama-lm token counts below.
})

t.test('llama-lm reproduces transformers: Σ log p within 1e-3 and the same token counts', { skip: noShared }, async (t) => {
  const ref = JSON.parse(readFileSync(join(SHARED, 'reference-models/reference-scores.json'), 'utf8'))
  const pairs = ref.pairs.slice(0, 20) as { prompt: string; chosen: string; rejected: string }[]
  const reqs = pairs.flatMap((p) => [req(p.prompt, p.chosen), req(p.prompt, p.rejected)])
  const want = pairs.flatMap((_, i) => [ref.models['llama-lm'].chosen[i], ref.models['llama-lm'].rejected[i]]) as { logp: number; tokens: number }[]
  for (const o of ['batch_size=1', 'batch_size=64']) {
    const r = await createRunner(parseModelSpec(`onnx:${join(SHARED, 'reference-models/llama-lm')}?max_length=4096&${o}`), ctx)
    const got = ok(await r.logprob!(reqs))
    const err = Math.max(...got.map((g, i) => Math.abs(g.value - want[i].logp)))
    t.ok(err < 1e-3, `${o}: max |Δ log p| ${err.toExponential(2)}`)
    t.same(got.map((g) => g.tokens), want.map((w) => w.tokens), `${o}: token counts`)
  }
})

t.test('real GPT-2 export with past_* inputs: ids that fit score; ids beyond its 1000-word vocabulary are a clear error', { skip: noShared }, async (t) => {
  const r = await createRunner(parseModelSpec(`onnx:${join(SHARED, 'models/ort-genai-tiny-random-gpt2-fp32')}?template=raw`), ctx)
  // " of the" and "," are ids < 1000 in GPT-2's vocabulary.
  const [s] = ok(await r.logprob!([req('a', ' of the,')]))
  t.ok(Number.isFinite(s.value) && s.value < 0 && s.tokens! > 0, JSON.stringify(s))
  await t.rejects(r.logprob!([req('Hello', 'Tell me about Paris')]), { code: 'E_VOCAB_MISMATCH', message: /vocabulary has 1000 entries/ })
})

t.test('real Llama fp16 export with external data: finite log-probs', { skip: noShared }, async (t) => {
  const r = await createRunner(parseModelSpec(`onnx:${join(SHARED, 'models/ort-genai-tiny-random-llama-fp16')}?template=raw`), ctx)
  const s = ok(await r.logprob!([req('Hello', 'world'), req('Hi', 'there, friend')]))
  t.ok(s.every((x) => Number.isFinite(x.value) && x.value < 0))
})
