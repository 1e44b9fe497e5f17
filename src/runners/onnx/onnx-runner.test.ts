import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import onnxProto from 'onnx-proto'
import t from 'tap'
import { createRunner, parseModelSpec } from '../registry.ts'
import type { RewardRequest, Scored } from '../types.ts'

const { onnx } = onnxProto
const SHARED = '../shared/data'
const noShared = !existsSync(SHARED) && 'needs ../shared/data (absent)'
const warnings: string[] = []
const ctx = { warn: (m: string) => void warnings.push(m), cwd: process.cwd() }
const values = (s: Scored[]) => s.map((x) => ('value' in x ? x.value : NaN))
const req = (prompt: string, response: string): RewardRequest => ({ prompt: [{ role: 'user', content: prompt }], response })
const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])))

const REQS = [
  req('Why is the sky blue?', 'Sunlight scatters off air molecules, and blue light scatters the most.'),
  req('Why is the sky blue?', 'Nature.'),
  req('What is 2 + 2?', 'The answer is 4.'),
  req('Explain tides.', "I'm sorry, but I can't help with that request. Questions like this can be complicated."),
  req('Hi', 'Hello'),
]

t.test('fixture model: scores equal Σ weights of the rendered words, computed without onnxruntime', async (t) => {
  const dir = 'fixtures/quickstart-rm'
  const model = onnx.ModelProto.decode(readFileSync(join(dir, 'model.onnx')))
  const w = model.graph!.initializer!.find((i) => i.name === 'W')!
  const raw = w.rawData!
  const weights = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
  const vocab = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')).model.vocab as Record<string, number>
  const expected = REQS.map((r) => {
    const text = `User: ${r.prompt[0].content}\n\nAssistant: ${r.response}`
    return (text.toLowerCase().match(/\w+|[^\w\s]+/g) ?? []).reduce((s, tok) => s + weights[vocab[tok] ?? vocab['[UNK]']], 0)
  })
  const runner = await createRunner(parseModelSpec(`onnx:${dir}`), ctx)
  const got = values(await runner.reward!(REQS))
  t.ok(maxDiff(got, expected) < 1e-5, `max |diff| ${maxDiff(got, expected)}`)
  t.equal(runner.info.template, 'chat')
  t.equal(runner.info.executionProvider, 'cpu')
  t.equal(runner.info.maxLength, 512)
})

t.test('fixture model: batch size 1 and 64, either padding side, same scores', async (t) => {
  const specs = ['batch_size=1', 'batch_size=64', 'batch_size=64&padding_side=left', 'batch_size=3&padding_side=left']
  const runs = await Promise.all(specs.map(async (o) => values(await (await createRunner(parseModelSpec(`onnx:fixtures/quickstart-rm?${o}`), ctx)).reward!(REQS))))
  for (let i = 1; i < runs.length; i++) t.ok(maxDiff(runs[0], runs[i]) <= 1e-5, specs[i])
})

t.test('max_length truncates from the left and is recorded', async (t) => {
  const r = await createRunner(parseModelSpec('onnx:fixtures/quickstart-rm?max_length=4'), ctx)
  t.equal(r.info.maxLength, 4)
  const s = await r.reward!([req('a long question with many words', 'nature .')])
  t.equal((s[0] as { tokens: number }).tokens, 4)
  t.not(r.fingerprint, (await createRunner(parseModelSpec('onnx:fixtures/quickstart-rm'), ctx)).fingerprint, 'max length is part of the fingerprint')
})

t.test('model folder errors are coded and name the file', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'rmbench-m-'))
  await t.rejects(createRunner(parseModelSpec(`onnx:${empty}`), ctx), { code: 'E_MODEL_NOT_FOUND', message: /no model\.onnx/ })
  await t.rejects(createRunner(parseModelSpec('onnx:/nonexistent/model'), ctx), { code: 'E_MODEL_NOT_FOUND' })
  const noTok = mkdtempSync(join(tmpdir(), 'rmbench-m-'))
  copyFileSync('fixtures/quickstart-rm/model.onnx', join(noTok, 'model.onnx'))
  await t.rejects(createRunner(parseModelSpec(`onnx:${noTok}`), ctx), { code: 'E_MODEL_NOT_FOUND', message: /tokenizer\.json not found/ })
  const corrupt = mkdtempSync(join(tmpdir(), 'rmbench-m-'))
  writeFileSync(join(corrupt, 'model.onnx'), 'not a protobuf at all')
  copyFileSync('fixtures/quickstart-rm/tokenizer.json', join(corrupt, 'tokenizer.json'))
  await t.rejects(createRunner(parseModelSpec(`onnx:${corrupt}`), ctx), { code: 'E_MODEL_LOAD', message: /onnxruntime cannot load the model/ })
  await t.rejects(createRunner(parseModelSpec('onnx:fixtures/quickstart-rm?template=tulux'), ctx), { code: 'E_UNKNOWN_NAME', message: /Did you mean 'tulu'/ })
  await t.rejects(createRunner(parseModelSpec('onnx:fixtures/quickstart-rm?label=7'), ctx), { code: 'E_MODEL_SPEC', message: /not a label of this model/ })
})

t.test('graph inputs rmbench cannot fill are named', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rmbench-m-'))
  const I64 = onnx.TensorProto.DataType.INT64
  const io = (name: string) => ({ name, type: { tensorType: { elemType: I64, shape: { dim: [{ dimParam: 'b' }, { dimParam: 's' }] } } } })
  const m = { irVersion: 7, opsetImport: [{ version: 13 }], graph: { name: 'g', input: [io('input_ids'), io('pixel_values')], output: [io('out')], node: [{ opType: 'Add', input: ['input_ids', 'pixel_values'], output: ['out'] }] } }
  writeFileSync(join(d, 'model.onnx'), onnx.ModelProto.encode(m).finish())
  copyFileSync('fixtures/quickstart-rm/tokenizer.json', join(d, 'tokenizer.json'))
  await t.rejects(createRunner(parseModelSpec(`onnx:${d}`), ctx), { code: 'E_MODEL_INPUTS', message: /pixel_values are not ones rmbench can fill/ })
})

t.test('cuda falls back to cpu with a warning and records the EP', async (t) => {
  warnings.length = 0
  const r = await createRunner(parseModelSpec('onnx:fixtures/quickstart-rm?device=cuda'), ctx)
  // On a machine with CUDA binaries installed the session opens on cuda; here (CPU-only build) it falls back.
  if (r.info.executionProvider === 'cpu') t.match(warnings.join('\n'), /CUDA execution provider unavailable.*falling back to cpu/)
  else t.equal(r.info.executionProvider, 'cuda')
})

t.test('real DistilBERT classifier with the BERT tokenizer: 2-label head as a log-odds reward', { skip: noShared }, async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rmbench-distil-'))
  for (const f of ['model.onnx', 'config.json']) copyFileSync(join(SHARED, 'models/optimum-tiny-distilbert-sst2', f), join(d, f))
  copyFileSync(join(SHARED, 'tokenizers/bert-base-uncased/tokenizer.json'), join(d, 'tokenizer.json'))
  const one = await createRunner(parseModelSpec(`onnx:${d}?batch_size=1&template=raw`), ctx)
  t.equal(one.info.reward, 'logits[POSITIVE] - logits[NEGATIVE]')
  t.equal(one.info.addSpecialTokens, true, '[CLS] … [SEP] added for a named template')
  const a = values(await one.reward!(REQS))
  const b = values(await (await createRunner(parseModelSpec(`onnx:${d}?batch_size=64&template=raw&padding_side=left`), ctx)).reward!(REQS))
  t.ok(a.every(Number.isFinite))
  t.ok(maxDiff(a, b) <= 1e-5, `batch 1 vs 64 left-padded: ${maxDiff(a, b)}`)
  const neg = values(await (await createRunner(parseModelSpec(`onnx:${d}?template=raw&label=NEGATIVE`), ctx)).reward!(REQS.slice(0, 1)))
  t.ok(Number.isFinite(neg[0]))
})

t.test('GPT-2 export (vocabulary 1000, tokenizer 50257): a causal LM, and a clear error for ids it cannot embed', { skip: noShared }, async (t) => {
  const dir = join(SHARED, 'models/ort-genai-tiny-random-gpt2-fp32')
  const r = await createRunner(parseModelSpec(`onnx:${dir}?template=raw`), ctx)
  t.same(r.capabilities, { logprob: true }, 'per-token logits: log-likelihoods, not rewards')
  t.notOk(r.reward)
  await t.rejects(r.logprob!([req('Hello', 'Tell me about the weather in Paris')]), { code: 'E_VOCAB_MISMATCH', message: /produced id \d+ .* vocabulary has 1000 entries.*use the tokenizer it was trained with/ })
  // Without genai_config.json the vocabulary is unknown (past.onnx is the folder's only graph): onnxruntime's
  // own index error is turned into the same coded error instead of a crash.
  const d = mkdtempSync(join(tmpdir(), 'rmbench-gpt2-'))
  for (const f of ['past.onnx', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(dir, f), join(d, f))
  const blind = await createRunner(parseModelSpec(`onnx:${d}?template=raw`), ctx)
  await t.rejects(blind.logprob!([req('Hello', 'Tell me about the weather in Paris')]), { code: 'E_VOCAB_MISMATCH', message: /onnxruntime rejected a token id/ })
})

t.test('Llama fp16 export with external data and past inputs loads as a causal LM', { skip: noShared }, async (t) => {
  const r = await createRunner(parseModelSpec(`onnx:${join(SHARED, 'models/ort-genai-tiny-random-llama-fp16')}?template=raw`), ctx)
  t.same(r.capabilities, { logprob: true })
  t.equal(r.info.reward, 'Σ log p(response tokens | prompt)')
})

const ref = existsSync(join(SHARED, 'reference-models/reference-scores.json'))
  ? (JSON.parse(readFileSync(join(SHARED, 'reference-models/reference-scores.json'), 'utf8')) as {
    pairs: { prompt: string; chosen: string; rejected: string }[]
    models: Record<string, { chosen: number[]; rejected: number[] }>
  })
  : null

for (const [name, tol, why] of [
  ['llama-rm', 1e-4, 'absolute'],
  // DeBERTa's scores reach ±150; onnxruntime and torch differ by up to ~2e-4 there (the export check in
  // shared/data says so), so its tolerance is 1e-4 relative to max(1, |reference|).
  ['deberta-rm', 1e-4, 'relative'],
] as const) {
  t.test(`fidelity: ${name} reproduces transformers' reference scores (${why} 1e-4)`, { skip: !ref && 'needs ../shared/data (absent)' }, async (t) => {
    const reqs = ref!.pairs.flatMap((p) => [req(p.prompt, p.chosen), req(p.prompt, p.rejected)])
    const want = ref!.pairs.flatMap((_, i) => [ref!.models[name].chosen[i], ref!.models[name].rejected[i]])
    for (const opts of ['batch_size=1', 'batch_size=64', 'batch_size=64&padding_side=left', 'batch_size=64&padding_side=right']) {
      const r = await createRunner(parseModelSpec(`onnx:${join(SHARED, 'reference-models', name)}?max_length=512&${opts}`), ctx)
      const got = values(await r.reward!(reqs))
      const err = Math.max(...got.map((g, i) => Math.abs(g - want[i]) / (why === 'relative' ? Math.max(1, Math.abs(want[i])) : 1)))
      t.ok(err <= tol, `${opts}: max ${why} error ${err.toExponential(2)} (template ${r.info.template}, padding ${r.info.paddingSide})`)
    }
  })
}

t.test('tokenize_threads: overlapped and one-chunk-at-a-time runs give identical scores; only 0 and 1 are taken', async (t) => {
  const reqs = Array.from({ length: 300 }, (_, i) => req(`Question ${i}: what is ${i} plus ${i}?`, `It is ${2 * i}.${' Really.'.repeat(i % 7)}`))
  const scores: number[][] = []
  for (const threads of ['0', '1']) {
    const r = await createRunner(parseModelSpec(`onnx:fixtures/quickstart-rm?batch_size=2&tokenize_threads=${threads}`), ctx)
    t.equal(r.parallel, threads === '1' ? 2 : 1, `tokenize_threads=${threads}: ${r.parallel} chunk(s) in flight`)
    // Two chunks at once, as the run's scheduler sends them when parallel is 2.
    const halves = await Promise.all([r.reward!(reqs.slice(0, 150)), r.reward!(reqs.slice(150))])
    scores.push(values(halves.flat()))
    await r.dispose?.()
  }
  t.same(scores[0], scores[1])
  await t.rejects(createRunner(parseModelSpec('onnx:fixtures/quickstart-rm?tokenize_threads=4'), ctx), { code: 'E_MODEL_SPEC', message: /tokenize_threads=4: expected one of 0, 1/ })
})

t.test('prepared requests score as unprepared ones; a text that cannot be tokenised fails its own chunk only', async (t) => {
  const plain = await createRunner(parseModelSpec('onnx:fixtures/quickstart-rm'), ctx)
  const prepared = await createRunner(parseModelSpec('onnx:fixtures/quickstart-rm'), ctx)
  prepared.prepare!(REQS)
  const waiting = (prepared as unknown as { prepared: Map<unknown, unknown> }).prepared
  t.equal(waiting.size, REQS.length)
  t.same(values(await prepared.reward!(REQS.slice(0, 3))), values(await plain.reward!(REQS.slice(0, 3))))
  t.same(values(await prepared.reward!(REQS.slice(3))), values(await plain.reward!(REQS.slice(3))))
  t.equal(waiting.size, 0, 'each prepared encoding was taken by the chunk that asked for it')
  t.same(values(await prepared.reward!(REQS.slice(1, 4))), values(await plain.reward!(REQS.slice(1, 4))), 'asked again, unprepared')

  // The same model with a vocabulary that has no unknown-token: the library fails on any word outside it.
  const dir = mkdtempSync(join(tmpdir(), 'rmbench-nounk-'))
  for (const f of ['model.onnx', 'config.json', 'tokenizer_config.json']) copyFileSync(join('fixtures/quickstart-rm', f), join(dir, f))
  const tok = JSON.parse(readFileSync('fixtures/quickstart-rm/tokenizer.json', 'utf8'))
  // The padding probe's words are given the unknown word's id, so the runner opens.
  for (const w of ['describe', 'cycle', 'few', 'sentences', 'evaporates', 'condenses', 'clouds', 'falls', 'again', 'rain', 'snow', 'flows', 'back', 'sea']) tok.model.vocab[w] ??= tok.model.vocab['[UNK]']
  tok.model.unk_token = '[NONE]'
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok))
  const strict = await createRunner(parseModelSpec(`onnx:${dir}`), ctx)
  const good = [req('Why is the sky blue?', 'Nature.'), req('What is 2 + 2?', 'The answer is 4.')]
  const bad = req('Why is the sky blue?', 'Xylophonic zebra')
  strict.prepare!([...good, bad, ...good.map((r) => ({ ...r }))])
  t.same(values(await strict.reward!(good)), values(await plain.reward!(good)), 'a chunk without the bad text scores')
  await t.rejects(strict.reward!([good[0], bad]), { code: 'E_TOKENIZER', message: /Xylophonic zebra/ })
})
