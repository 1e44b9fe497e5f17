import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { forward, load, logSoftmax, tokenTexts, type Loaded } from './fixture-models.ts'
import { TeiReject, teiError, teiInputs, teiTooLong } from './tei-rules.ts'
import { activate, activationApplies, NOT_FOUND, poolingTask, runningOffsets, version, vllmError, type Version } from './vllm-rules.ts'

/** Faults a replica can inject, each a real HTTP misbehaviour. */
export type FaultKind = '500' | '429' | 'slow' | 'malformed' | 'drop'

/** Fault injection: each request suffers one of `kinds` with probability `rate` (seeded, so runs repeat). */
export interface FaultPlan { rate: number; kinds: FaultKind[]; seed?: number; slowMs?: number; retryAfterS?: number; /** Only these paths fail (default: all). */ paths?: string[] }

/**
 * What the server serves: an ONNX reward model, an ONNX causal LM, or both, under one served name; which server
 * and version it speaks (vllm-rules.ts, tei-rules.ts): vLLM `version` (default 0.11.2) with a sequence-classifier
 * or reward-modeling `head`, or TEI; `noVersion` hides GET /version (a proxy); `twoLabels` serves the 1-logit
 * fixture as a two-label classifier [−x, x] whose label names sort against their ids.
 */
export interface ModelServerOptions {
  rm?: string; lm?: string; name?: string; flavor?: 'vllm' | 'tei'; faults?: FaultPlan; apiKey?: string; delayMs?: number
  version?: string; head?: 'classifier' | 'reward'; noVersion?: boolean; twoLabels?: boolean; maxInputLength?: number; maxModelLen?: number
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
  /** Every score row the server answered (after its activation rule), to check a run records exactly these. */
  readonly answered: number[][] = []
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
    if (this.o.flavor === 'tei') return this.tei(res, path, name, body)
    const v = version(this.o.version ?? '0.11.2')
    if (path === '/v1/models') return this.json(res, 200, { object: 'list', data: [{ id: name, object: 'model', root: `org/${name}`, max_model_len: this.o.maxModelLen ?? 512 }] })
    // api_server.py `show_version`; a proxy in front may not route it.
    if (path === '/version' && !this.o.noVersion) return this.json(res, 200, { version: this.o.version ?? '0.11.2' })
    if (path === '/pooling' && this.rm) {
      const task = poolingTask(v, body, this.o.head ?? 'classifier')
      if ('refuse' in task) return this.json(res, 400, vllmError(v, 400, task.refuse))
      return this.json(res, 200, { object: 'list', data: await this.pool(v, body, '/pooling', task.rows, (data, i) => ({ index: i, object: 'pooling', data })) })
    }
    // /classify: the classification API, here since 0.7 (sequence classifiers only).
    if (path === '/classify' && this.rm && (this.o.head ?? 'classifier') === 'classifier')
      return this.json(res, 200, { object: 'list', data: await this.pool(v, body, '/classify', 'sequence', (probs, i) => ({ index: i, label: 'LABEL_0', probs, num_classes: (probs as number[]).length })) })
    if (path === '/classify' && this.rm) return this.json(res, 400, vllmError(v, 400, 'Task classify is not supported by this model.'))
    if (path === '/v1/completions' && this.lm) {
      try {
        return this.json(res, 200, await this.completions(body))
      } catch (e) {
        if ((e as { status?: number }).status !== 400) throw e
        return this.json(res, 400, vllmError(v, 400, (e as Error).message))
      }
    }
    if (path === '/v1/chat/completions' && this.lm) return this.json(res, 200, await this.chat(body))
    this.json(res, 404, NOT_FOUND)
  }

  /** TEI's routes (tei-rules.ts): /info, /predict. */
  private async tei(res: ServerResponse, path: string, name: string, body: Record<string, unknown>): Promise<void> {
    const labels = this.labels()
    const max = this.o.maxInputLength ?? 512
    // lib.rs: more than one label is a Classifier, one a Reranker (both predict).
    const head = { id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])), label2id: Object.fromEntries(labels.map((l, i) => [l, i])) }
    if (path === '/info') return this.json(res, 200, { model_id: name, model_sha: 'fakesha', model_dtype: 'float32', model_type: labels.length > 1 ? { classifier: head } : { reranker: head }, max_concurrent_requests: 512, max_input_length: max, max_batch_tokens: 16384, max_client_batch_size: 32, auto_truncate: false, tokenization_workers: 1, version: '1.9.3' })
    if (path !== '/predict') return this.json(res, 404, teiError('Empty', `no route ${path}`).body)
    let parsed: ReturnType<typeof teiInputs>
    try {
      parsed = teiInputs(body.inputs)
    } catch (e) {
      if (!(e instanceof TeiReject)) throw e
      res.writeHead(422, { 'content-type': 'text/plain; charset=utf-8' })
      return void res.end(e.message)
    }
    if (parsed.sequences.length > 32) {
      const err = teiError('Validation', `batch size ${parsed.sequences.length} > maximum allowed batch size 32`)
      return this.json(res, err.status, err.body)
    }
    const out: object[][] = []
    for (const seq of parsed.sequences) {
      const enc = await (seq.length === 1 ? this.rm!.tok.encode(seq[0]) : this.rm!.tok.encode(seq[0], seq[1]))
      const ids = enc.getIds()
      if (ids.length > max && body.truncate !== true) {
        const err = teiTooLong(ids.length, max)
        return this.json(res, err.status, err.body) // server.rs: the first failing input fails the batch
      }
      const scores = this.headLogits(await this.rewardLogits(ids.slice(0, max), enc.getTypeIds().slice(0, max)))
      const shown = body.raw_scores === true ? scores : activate(scores)
      this.answered.push(shown)
      // server.rs `predict`: predictions sorted by score, highest first.
      out.push(shown.map((score, k) => ({ score, label: labels[k] })).sort((a, b) => b.score - a.score))
    }
    this.json(res, 200, parsed.batch ? out : out[0])
  }

  /** The served head's labels in id order. */
  private labels(): string[] {
    if (this.o.twoLabels) return ['zeta_worse', 'alpha_better']
    const id2label = this.rm?.id2label ?? {}
    return Object.keys(id2label).length ? Object.keys(id2label).sort((a, b) => Number(a) - Number(b)).map((k) => id2label[k]) : ['LABEL_0']
  }

  /** The fixture's one logit x, as a two-label head [−x, x] when asked. */
  private headLogits(logits: number[]): number[] {
    return this.o.twoLabels ? [-logits[0], logits[0]] : logits
  }

  private async ids(m: Loaded, x: number[] | string, special = true): Promise<number[]> {
    return typeof x === 'string' ? (await m.tok.encode(x, null, { addSpecialTokens: special })).getIds() : x
  }

  private async rewardLogits(ids: number[], typeIds?: number[]): Promise<number[]> {
    const t = await forward(this.rm!, ids, typeIds)
    return Array.from(t.data as Float32Array)
  }

  /**
   * Pooled outputs: the head's logits, activated unless this version's field says not (vllm-rules.ts); per-token
   * rows when the task is token-level (only the last token's row is modeled: earlier rows are left at 0).
   */
  private async pool(v: Version, body: { input: unknown; add_special_tokens?: boolean }, route: '/pooling' | '/classify', rows: 'sequence' | 'token', shape: (data: unknown, i: number) => object): Promise<object[]> {
    const inputs = (typeof body.input === 'string' || typeof (body.input as unknown[])[0] === 'number' ? [body.input] : body.input) as (number[] | string)[]
    const out: object[] = []
    for (const [i, x] of inputs.entries()) {
      const ids = await this.ids(this.rm!, x, body.add_special_tokens ?? true)
      const logits = this.headLogits(await this.rewardLogits(ids))
      const row = activationApplies(v, body as Record<string, unknown>, route) ? activate(logits) : logits
      this.answered.push(row)
      out.push(shape(rows === 'sequence' ? row : [...ids.slice(1).map(() => row.map(() => 0)), row], i))
    }
    return out
  }

  private async completions(body: { prompt: unknown; echo?: boolean; logprobs?: number; prompt_logprobs?: number; max_tokens?: number }): Promise<object> {
    const m = this.lm!
    const prompts = (typeof body.prompt === 'string' || typeof (body.prompt as unknown[])[0] === 'number' ? [body.prompt] : body.prompt) as (number[] | string)[]
    const choices: object[] = []
    let promptTokens = 0
    for (const [index, p] of prompts.entries()) {
      const ids = await this.ids(m, p)
      // The prompt and the tokens asked for must fit max_model_len (the message as vLLM words it: vllm#12886).
      const limit = this.o.maxModelLen ?? 512
      const asked = Number(body.max_tokens ?? 16)
      if (ids.length + asked > limit)
        throw Object.assign(new Error(`This model's maximum context length is ${limit} tokens. However, you requested ${ids.length + asked} tokens (${ids.length} in the messages, ${asked} in the completion). Please reduce the length of the messages or completion.`), { status: 400 })
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
      // Tokens as decoded one by one, and text_offset as their running sum (vllm-rules.ts `runningOffsets`, as
      // serving_completion.py computes it): not character positions of the prompt.
      const spelled = [...ids, next].map(tokenText)
      const choice: Record<string, unknown> = { index, text: (body.echo ? text : '') + tokenText(next), finish_reason: 'length' }
      if (body.echo && body.logprobs !== undefined)
        choice.logprobs = { tokens: spelled, token_logprobs: [...lps, last[next]], text_offset: runningOffsets(spelled), top_logprobs: null }
      if (body.prompt_logprobs !== undefined)
        choice.prompt_logprobs = [null, ...ids.slice(1).map((id, k) => ({ [String(id)]: { logprob: lps[k + 1], rank: 1, decoded_token: tokenText(id) } }))]
      choices.push(choice)
    }
    return { id: 'cmpl-fake', object: 'text_completion', model: this.o.name, choices, usage: { prompt_tokens: promptTokens, completion_tokens: prompts.length, total_tokens: promptTokens + prompts.length } }
  }

  private async chat(body: { messages: { role: string; content: string }[]; top_logprobs?: number; logprobs?: boolean; max_tokens?: number; temperature?: number }): Promise<object> {
    const m = this.lm!
    const text = m.template!.render({ messages: body.messages, add_generation_prompt: true, bos_token: '', eos_token: '' })
    const ids = (await m.tok.encode(text, null, { addSpecialTokens: false })).getIds()
    // More than one token: greedy decoding (temperature 0) up to max_tokens, as vLLM generates, with its usage block
    // (vllm/entrypoints/openai/protocol.py UsageInfo: prompt_tokens, completion_tokens, total_tokens).
    if ((body.max_tokens ?? 16) > 1 && !body.logprobs) {
      const out: number[] = []
      const eos = typeof m.config.eos_token_id === 'number' ? m.config.eos_token_id : -1
      while (out.length < (body.max_tokens ?? 16)) {
        const all = [...ids, ...out]
        const logits = await forward(m, all)
        const V = logits.dims[2] as number
        const row = (logits.data as Float32Array).subarray((all.length - 1) * V, all.length * V)
        let best = 0
        for (let v = 1; v < V; v++) if (row[v] > row[best]) best = v
        if (best === eos) break
        out.push(best)
      }
      const content = await m.tok.decode(out, true)
      return {
        id: 'chat-fake', object: 'chat.completion', model: this.o.name,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: out.length >= (body.max_tokens ?? 16) ? 'length' : 'stop', logprobs: null }],
        usage: { prompt_tokens: ids.length, completion_tokens: out.length, total_tokens: ids.length + out.length },
      }
    }
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
