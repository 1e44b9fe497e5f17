import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { join } from 'node:path'
import { Template } from '@huggingface/jinja'
import type { Tokenizer } from 'tokenizers'
import * as ort from 'onnxruntime-node'
import { loadTokenizer } from '../../src/runners/tokenizer-file.ts'

/** Faults a replica can inject, each a real HTTP misbehaviour. */
export type FaultKind = '500' | '429' | 'slow' | 'malformed' | 'drop'

/** Fault injection: each request suffers one of `kinds` with probability `rate` (seeded, so runs repeat). */
export interface FaultPlan { rate: number; kinds: FaultKind[]; seed?: number; slowMs?: number; retryAfterS?: number; /** Only these paths fail (default: all). */ paths?: string[] }

/** What the server serves: an ONNX reward model, an ONNX causal LM, or both, under one served name. */
export interface ModelServerOptions { rm?: string; lm?: string; name?: string; flavor?: 'vllm' | 'tei'; faults?: FaultPlan; apiKey?: string; delayMs?: number }

interface Loaded { session: ort.InferenceSession; tok: Tokenizer; template: Template | null; names: string[]; id2label: Record<string, string> }

async function load(dir: string): Promise<Loaded> {
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'))
  const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'))
  // vLLM (through transformers' fast tokenizers) and TEI both tokenise with Rust tokenizers.
  const tok = loadTokenizer(join(dir, 'tokenizer.json'))
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
  return { session, tok, template: typeof cfg.chat_template === 'string' ? new Template(cfg.chat_template) : null, names: [...session.inputNames], id2label: config.id2label ?? {} }
}

/** Each id's text alone, as the servers decode a single token. */
async function tokenTexts(tok: Tokenizer, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)]
  const texts = await tok.decodeBatch(unique.map((id) => [id]), false)
  return new Map(unique.map((id, i) => [id, texts[i]]))
}

const i64 = (a: number[]) => new ort.Tensor('int64', BigInt64Array.from(a, BigInt), [1, a.length])

/** Runs one unpadded sequence (batch 1), the way a server that schedules sequences independently would. */
async function forward(m: Loaded, ids: number[]): Promise<ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {}
  for (const n of m.names) {
    if (n === 'input_ids') feeds[n] = i64(ids)
    else if (n === 'attention_mask') feeds[n] = i64(ids.map(() => 1))
    else if (n === 'token_type_ids') feeds[n] = i64(ids.map(() => 0))
    else if (n === 'position_ids') feeds[n] = i64(ids.map((_, i) => i))
    else throw new Error(`fake server cannot feed ${n}`)
  }
  const out = await m.session.run(feeds)
  return out.logits ?? Object.values(out)[0]
}

function logSoftmax(row: Float32Array): Float64Array {
  let max = -Infinity
  for (const x of row) max = Math.max(max, x)
  let z = 0
  for (const x of row) z += Math.exp(x - max)
  const lz = Math.log(z) + max
  return Float64Array.from(row, (x) => x - lz)
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A local model server that speaks vLLM's HTTP API (`/pooling`, `/classify`, `/v1/completions` with echo or
 * prompt_logprobs, `/v1/chat/completions` with top logprobs, `/v1/models`, `/version`) or TEI's (`/predict`,
 * `/info`), computing real answers with onnxruntime on the fixture models — so a served run can be checked
 * against the local `onnx:` runner — and injecting real faults on request.
 */
export class ModelServer {
  url = ''
  /** Requests by path, and faults injected by kind. */
  readonly stats = { requests: 0, byPath: {} as Record<string, number>, faults: {} as Record<string, number> }
  /** Authorization headers seen (to check a key is sent). */
  readonly auth: (string | undefined)[] = []
  private server?: Server
  private readonly sockets = new Set<Socket>()
  private rm?: Loaded
  private lm?: Loaded
  private random: () => number
  private port = 0

  constructor(readonly o: ModelServerOptions) {
    this.random = rng(o.faults?.seed ?? 1)
  }

  /** Loads the models and listens on a free port (or the port it had, after stop()). */
  async start(): Promise<this> {
    if (this.o.rm && !this.rm) this.rm = await load(this.o.rm)
    if (this.o.lm && !this.lm) this.lm = await load(this.o.lm)
    this.server = createServer((req, res) => void this.handle(req, res).catch((e) => { if (!res.headersSent) this.json(res, 500, { error: String(e) }) }))
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r))
    this.port = (this.server.address() as AddressInfo).port
    this.url = `http://127.0.0.1:${this.port}`
    return this
  }

  /** Stops listening and cuts open connections: the replica is down (connections are refused). */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()))
  }

  setFaults(f: FaultPlan | undefined): void {
    this.o.faults = f
    this.random = rng(f?.seed ?? 1)
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
    res.end(text)
  }

  /** Applies a fault to this request, if one is drawn; true when the request was answered by it. */
  private async fault(res: ServerResponse, path: string): Promise<boolean> {
    const f = this.o.faults
    if (!f || (f.paths && !f.paths.includes(path)) || this.random() >= f.rate) return false
    const kind = f.kinds[Math.floor(this.random() * f.kinds.length)]
    this.stats.faults[kind] = (this.stats.faults[kind] ?? 0) + 1
    if (kind === '500') this.json(res, 500, { object: 'error', message: 'injected internal error' })
    else if (kind === '429') this.json(res, 429, { object: 'error', message: 'injected: too many requests' }, { 'retry-after': String(f.retryAfterS ?? 1) })
    else if (kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"object": "list", "data": [{"index": 0, "da')
    } else if (kind === 'drop') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4000' })
      res.write('{"object": "list", "data": [')
      await new Promise((r) => setTimeout(r, 5))
      res.socket?.destroy()
    } else if (kind === 'slow') {
      await new Promise((r) => setTimeout(r, f.slowMs ?? 3000))
      if (!res.socket?.destroyed) this.json(res, 503, { message: 'too late' })
    }
    return true
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url!, 'http://x').pathname
    this.stats.requests++
    this.stats.byPath[path] = (this.stats.byPath[path] ?? 0) + 1
    this.auth.push(req.headers.authorization)
    let raw = ''
    for await (const c of req) raw += c
    if (this.o.apiKey && req.headers.authorization !== `Bearer ${this.o.apiKey}`) return this.json(res, 401, { message: 'bad API key' })
    if (await this.fault(res, path)) return
    if (this.o.delayMs) await new Promise((r) => setTimeout(r, this.o.delayMs))
    const name = this.o.name ?? 'fixture-model'
    const body = raw ? JSON.parse(raw) : {}
    if (this.o.flavor === 'tei') {
      if (path === '/info') return this.json(res, 200, { model_id: name, model_sha: 'fakesha', version: '1.8.0-fake', max_input_length: 512 })
      if (path === '/predict') return this.json(res, 200, await this.predict(body))
    } else {
      if (path === '/v1/models') return this.json(res, 200, { object: 'list', data: [{ id: name, object: 'model', root: `org/${name}`, max_model_len: 512 }] })
      if (path === '/version') return this.json(res, 200, { version: '0.11.0-fake' })
      if (path === '/pooling') return this.json(res, 200, { object: 'list', data: await this.pool(body, (logits, i) => ({ index: i, object: 'pooling', data: logits })) })
      if (path === '/classify') return this.json(res, 200, { object: 'list', data: await this.pool(body, (logits, i) => ({ index: i, label: 'LABEL_0', probs: logits, num_classes: logits.length })) })
      if (path === '/v1/completions') return this.json(res, 200, await this.completions(body))
      if (path === '/v1/chat/completions') return this.json(res, 200, await this.chat(body))
    }
    this.json(res, 404, { message: `no route ${path}` })
  }

  private async ids(m: Loaded, x: number[] | string, special = true): Promise<number[]> {
    return typeof x === 'string' ? (await m.tok.encode(x, null, { addSpecialTokens: special })).getIds() : x
  }

  private async rewardLogits(ids: number[]): Promise<number[]> {
    const t = await forward(this.rm!, ids)
    return Array.from(t.data as Float32Array)
  }

  private async pool(body: { input: unknown; add_special_tokens?: boolean }, shape: (logits: number[], i: number) => object): Promise<object[]> {
    const inputs = (typeof body.input === 'string' || typeof (body.input as unknown[])[0] === 'number' ? [body.input] : body.input) as (number[] | string)[]
    const out: object[] = []
    for (const [i, x] of inputs.entries()) out.push(shape(await this.rewardLogits(await this.ids(this.rm!, x, body.add_special_tokens ?? true)), i))
    return out
  }

  private async predict(body: { inputs: unknown }): Promise<object[][]> {
    // A batch is always a list; a bare string is one input.
    const inputs = (typeof body.inputs === 'string' ? [body.inputs] : body.inputs) as (string | [string, string])[]
    const out: object[][] = []
    for (const x of inputs) {
      const ids = (await (typeof x === 'string' ? this.rm!.tok.encode(x) : this.rm!.tok.encode(x[0], x[1]))).getIds()
      const logits = await this.rewardLogits(ids)
      out.push(logits.map((score, k) => ({ label: this.rm!.id2label[String(k)] ?? `LABEL_${k}`, score })).sort((a, b) => b.score - a.score))
    }
    return out
  }

  private async completions(body: { prompt: unknown; echo?: boolean; logprobs?: number; prompt_logprobs?: number }): Promise<object> {
    const m = this.lm!
    const prompts = (typeof body.prompt === 'string' || typeof (body.prompt as unknown[])[0] === 'number' ? [body.prompt] : body.prompt) as (number[] | string)[]
    const choices: object[] = []
    let promptTokens = 0
    for (const [index, p] of prompts.entries()) {
      const ids = await this.ids(m, p)
      promptTokens += ids.length
      const logits = await forward(m, ids)
      const V = logits.dims[2] as number
      const data = logits.data as Float32Array
      const row = (t: number) => logSoftmax(data.subarray(t * V, (t + 1) * V))
      const lps: (number | null)[] = [null]
      for (let t = 1; t < ids.length; t++) lps.push(row(t - 1)[ids[t]])
      const last = row(ids.length - 1)
      const next = last.indexOf(Math.max(...last))
      const pieceOf = await tokenTexts(m.tok, [...ids, next])
      const tokenText = (id: number) => pieceOf.get(id)!
      const text = typeof p === 'string' ? p : await m.tok.decode(ids, false)
      // The fixtures' tokenizers are word-level over a Whitespace pre-tokenizer: one token per \w+ or punctuation run,
      // so the runs' positions are the tokens' offsets (as a real server reads them from its offset mapping).
      const pieces = [...text.matchAll(/\w+|[^\w\s]+/g)]
      const offsets = pieces.length === ids.length ? pieces.map((x) => x.index!) : ids.map(() => 0)
      const spelled = pieces.length === ids.length ? pieces.map((x) => x[0]) : ids.map(tokenText)
      const choice: Record<string, unknown> = { index, text: (body.echo ? text : '') + tokenText(next), finish_reason: 'length' }
      if (body.echo && body.logprobs !== undefined)
        choice.logprobs = { tokens: [...spelled, tokenText(next)], token_logprobs: [...lps, last[next]], text_offset: [...offsets, text.length], top_logprobs: null }
      if (body.prompt_logprobs !== undefined)
        choice.prompt_logprobs = [null, ...ids.slice(1).map((id, k) => ({ [String(id)]: { logprob: lps[k + 1], rank: 1, decoded_token: tokenText(id) } }))]
      choices.push(choice)
    }
    return { id: 'cmpl-fake', object: 'text_completion', model: this.o.name, choices, usage: { prompt_tokens: promptTokens, completion_tokens: prompts.length, total_tokens: promptTokens + prompts.length } }
  }

  private async chat(body: { messages: { role: string; content: string }[]; top_logprobs?: number; logprobs?: boolean }): Promise<object> {
    const m = this.lm!
    const text = m.template!.render({ messages: body.messages, add_generation_prompt: true, bos_token: '', eos_token: '' })
    const ids = (await m.tok.encode(text, null, { addSpecialTokens: false })).getIds()
    const logits = await forward(m, ids)
    const V = logits.dims[2] as number
    const last = logSoftmax((logits.data as Float32Array).subarray((ids.length - 1) * V, ids.length * V))
    const order = Array.from(last.keys()).sort((a, b) => last[b] - last[a])
    const pieceOf = await tokenTexts(m.tok, order.slice(0, Math.max(1, body.top_logprobs ?? 0)))
    const top = order.slice(0, body.top_logprobs ?? 0).map((id) => ({ token: pieceOf.get(id)!, logprob: last[id], bytes: null }))
    const content = pieceOf.get(order[0])!
    return {
      id: 'chat-fake', object: 'chat.completion', model: this.o.name,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'length', logprobs: body.logprobs ? { content: [{ token: content, logprob: last[order[0]], bytes: null, top_logprobs: top }] } : null }],
    }
  }
}
