// Tokeniser throughput and fidelity (issue 23: choose the implementation by fidelity first, speed second), run by
// `npm run bench` in a fresh process. Per tokenizer: Rust tokenizers (rmbench's, through its Node binding: a block's
// texts in one encode_batch call, as the ONNX runner does, and one awaited call at a time) against the pure-JS port
// @huggingface/tokenizers (what rmbench used before; still what transformers.js runs). Fidelity is the count of
// hard-corpus texts whose ids differ from the Rust reference (fixtures/tokenizer-reference/reference.json); speed is
// tokens/s over LLMBar's real prompts and answers, median of interleaved rounds.
//   node --import tsx bench/tokenizer-bench.ts
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Tokenizer as JsTokenizer } from '@huggingface/tokenizers'
import { loadTokenizer } from '../src/runners/tokenizer-file.ts'

const ROOT = join(import.meta.dirname, '..')
const SHARED = join(ROOT, '..', 'shared', 'data')
const ROUNDS = 5
const ref = JSON.parse(readFileSync(join(ROOT, 'fixtures/tokenizer-reference/reference.json'), 'utf8'))

const llmbar = join(SHARED, 'preference', 'llmbar')
const texts: string[] = existsSync(llmbar)
  ? readdirSync(llmbar).filter((f) => f.endsWith('.json')).flatMap((f) => (JSON.parse(readFileSync(join(llmbar, f), 'utf8')) as { input: string; output_1: string; output_2: string }[]).flatMap((r) => [r.input, r.output_1, r.output_2]))
  : (ref.texts as string[])

const folders: [string, string, string][] = [
  ['fixtures/quickstart-rm (word-level)', join(ROOT, 'fixtures/quickstart-rm'), 'fixtures/quickstart-rm'],
  ['llama-rm (Llama-2 BPE, 32k)', join(SHARED, 'reference-models/llama-rm'), 'reference-models/llama-rm'],
  ['deberta-rm (BERT WordPiece)', join(SHARED, 'reference-models/deberta-rm'), 'reference-models/deberta-rm'],
]

const rows: Record<string, string | number>[] = []
for (const [label, dir, refName] of folders) {
  if (!existsSync(join(dir, 'tokenizer.json'))) continue
  const file = join(dir, 'tokenizer.json')
  let config = {}
  try { config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) } catch { /* none */ }
  const js = new JsTokenizer(JSON.parse(readFileSync(file, 'utf8')), config)
  const rust = loadTokenizer(file)
  const impls: Record<string, { encode: (t: string[]) => Promise<number[][]> }> = {
    'Rust tokenizers, one batch call (rmbench)': { encode: async (t) => (await rust.encodeBatch(t, { addSpecialTokens: false })).map((e) => e.getIds()) },
    'Rust tokenizers, one call at a time': { encode: async (t) => { const out: number[][] = []; for (const x of t) out.push((await rust.encode(x, null, { addSpecialTokens: false })).getIds()); return out } },
    'pure-JS @huggingface/tokenizers': { encode: async (t) => t.map((x) => js.encode(x, { add_special_tokens: false }).ids) },
  }
  const ms: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]))
  let tokens = 0
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, impl] of Object.entries(impls)) {
      const t0 = performance.now()
      const ids = await impl.encode(texts)
      ms[name].push(performance.now() - t0)
      tokens = ids.reduce((a, x) => a + x.length, 0)
    }
  }
  const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor((x.length - 1) / 2)]
  const jsMs = med(ms['pure-JS @huggingface/tokenizers'])
  for (const [name, impl] of Object.entries(impls)) {
    let mismatches: number | string = '—'
    if (ref.tokenizers[refName]) {
      const got = await impl.encode(ref.texts)
      mismatches = got.filter((ids, i) => JSON.stringify(ids) !== JSON.stringify(ref.tokenizers[refName].plain[i])).length
    }
    rows.push({ tokenizer: label, implementation: name, corpusMismatches: mismatches, corpusTexts: ref.texts.length, texts: texts.length, tokens, ms: Math.round(med(ms[name])), tokensPerS: Math.round(tokens / (med(ms[name]) / 1000)), ratioToJs: Number((jsMs / med(ms[name])).toFixed(2)) })
  }
}
console.log(JSON.stringify({ rows }))
