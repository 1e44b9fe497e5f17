// The fixture models behind the fake servers: loaded with onnxruntime and Rust tokenizers (vLLM, through transformers'
// fast tokenizers, and TEI both tokenise with Rust tokenizers), run one sequence at a time.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Template } from '@huggingface/jinja'
import type { Tokenizer } from 'tokenizers'
import * as ort from 'onnxruntime-node'
import { loadTokenizer } from '../../src/runners/tokenizer-file.ts'

/** A fixture model as the fake server holds it. */
export interface Loaded { session: ort.InferenceSession; tok: Tokenizer; template: Template | null; names: string[]; id2label: Record<string, string>; config: Record<string, unknown> }

/** Loads a fixture folder: session, Rust tokenizer, chat template, labels. */
export async function load(dir: string): Promise<Loaded> {
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'))
  const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'))
  // vLLM (through transformers' fast tokenizers) and TEI both tokenise with Rust tokenizers.
  const tok = loadTokenizer(join(dir, 'tokenizer.json'))
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
  return { session, tok, template: typeof cfg.chat_template === 'string' ? new Template(cfg.chat_template) : null, names: [...session.inputNames], id2label: config.id2label ?? {}, config }
}

/** Each id's text alone, as the servers decode a single token. */
export async function tokenTexts(tok: Tokenizer, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)]
  const texts = await tok.decodeBatch(unique.map((id) => [id]), false)
  return new Map(unique.map((id, i) => [id, texts[i]]))
}

const i64 = (a: number[]) => new ort.Tensor('int64', BigInt64Array.from(a, BigInt), [1, a.length])

/**
 * Runs one unpadded sequence (batch 1), the way a server that schedules sequences independently would; `typeIds`
 * are the tokenizer's token types (a text pair's second text is 1), zeros when not given.
 */
export async function forward(m: Loaded, ids: number[], typeIds?: number[]): Promise<ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {}
  for (const n of m.names) {
    if (n === 'input_ids') feeds[n] = i64(ids)
    else if (n === 'attention_mask') feeds[n] = i64(ids.map(() => 1))
    else if (n === 'token_type_ids') feeds[n] = i64(typeIds ?? ids.map(() => 0))
    else if (n === 'position_ids') feeds[n] = i64(ids.map((_, i) => i))
    else throw new Error(`fake server cannot feed ${n}`)
  }
  const out = await m.session.run(feeds)
  return out.logits ?? Object.values(out)[0]
}

/** log-softmax in float64. */
export function logSoftmax(row: Float32Array): Float64Array {
  let max = -Infinity
  for (const x of row) max = Math.max(max, x)
  let z = 0
  for (const x of row) z += Math.exp(x - max)
  const lz = Math.log(z) + max
  return Float64Array.from(row, (x) => x - lz)
}
