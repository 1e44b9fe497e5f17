import type { Tensor } from 'onnxruntime-node'
import { RmbenchError } from '../../errors.ts'
import { requestChars } from '../request-size.ts'
import type { RewardRequest, Runner, Scored } from '../types.ts'
import { buildFeeds, type PaddingSide } from './input-feeds.ts'
import { lengthBatches } from './length-batches.ts'
import type { ModelFolder } from './model-folder.ts'
import { ort, type OrtSession, type SessionFacts } from './ort-session.ts'
import { responseLogprobs } from './logprob-scoring.ts'
import type { Encoded, EncodedLm, RequestEncoder } from './request-encoder.ts'
import { halfToFloat, type RewardHead } from './reward-head.ts'
import { coveredMs, uncoveredMs } from '../../util/intervals.ts'

/**
 * A local ONNX model as a runner. The session opens on the first batch, not before: a run whose scores all
 * come from the score cache never loads the weights.
 */
export class OnnxRunner implements Runner {
  /** Tokens fed to session.run: real ones and padding (for the padding-waste figure of `npm run bench`). */
  readonly tokenCounts = { real: 0, padded: 0 }
  /**
   * When each chunk was being tokenised and each batch ran in the session ([start, end] ms): the two overlap (a chunk
   * is tokenised while the previous one runs), so tokenising's share of the time is what the session did not cover.
   */
  private readonly spans = { tokenize: [] as [number, number][], session: [] as [number, number][] }
  /** Local weights: a score is a pure function of the fingerprint and the text. */
  readonly cacheable = true
  capabilities: Runner['capabilities']
  /** Set for sequence classifiers (logits [B, labels]). */
  readonly reward?: Runner['reward']
  /** Set for causal LMs (logits [B, T, vocab]). */
  readonly logprob?: Runner['logprob']
  /**
   * Two chunks in flight (tokenize_threads=1): a chunk whose requests were not prepared is tokenised, by the Rust
   * tokenizer on its own threads, while the other runs in the session; one chunk at a time otherwise.
   */
  readonly parallel: number
  /** A causal LM asked as an LLM judge (onnx:…?judge=true): reward suites run in their judge form. */
  markJudge(): void {
    this.capabilities = { logprob: true, judge: true }
  }

  constructor(
    readonly id: string,
    readonly fingerprint: string,
    readonly info: Runner['info'],
    readonly batchSize: number,
    private readonly facts: SessionFacts,
    private readonly open: () => Promise<OrtSession>,
    private readonly folder: ModelFolder,
    private readonly enc: RequestEncoder,
    private readonly head: RewardHead | null,
    private readonly padIdOf: () => number,
    private paddingSide: PaddingSide,
    private readonly maxTokens: number,
    private readonly tokenizeThreads: number,
  ) {
    if (head) {
      this.capabilities = { reward: true }
      this.reward = async (batch) => this.score(await this.encodeAll(batch, 'reward'), this.batchSize)
    } else {
      this.capabilities = { logprob: true }
      this.logprob = async (batch) => this.scoreLm(await this.encodeAll(batch, 'lm'))
    }
    this.parallel = tokenizeThreads > 0 ? 2 : 1
  }

  /** The session's queue: chunks run whole and in the order they finished tokenising. */
  private turn: Promise<unknown> = Promise.resolve()

  /**
   * Requests per prepare() call. A run's texts are tokenised in blocks this large, ahead of the model, not a chunk at a
   * time beside it: a tokenizer running beside session.run competes with onnxruntime's threads for the cores, and each
   * call of the library has its cost (tiny bench model, 1,000 pairs, 2 cores, with background fsyncs: scoring 944–987
   * ms against 1,083–1,161, session.run 632–650 against 805–835; the big model unchanged within noise). On CUDA the
   * model leaves the cores free, so each chunk is prepared alone, as it starts, and is tokenised while the other
   * chunk in flight runs on the GPU, as before blocks (not measured here: no GPU).
   */
  get lookahead(): number {
    return this.facts.executionProvider === 'cpu' ? 1024 : 1
  }
  /** Encodings under way for requests the run said it will ask (prepare), by request. */
  private readonly prepared = new Map<RewardRequest, { block: Promise<Encoded[]>; index: number }>()

  /** Tokenises the requests the run will ask next in one call of the library; their chunks then find them ready. */
  prepare(batch: RewardRequest[]): void {
    if (!batch.length) return
    const block = this.tokenized(batch, this.head ? 'reward' : 'lm')
    // A failure is reported by the chunk that asks for the failing text: it encodes itself again, and names it.
    block.catch(() => {})
    batch.forEach((r, index) => this.prepared.set(r, { block, index }))
  }

  /** A chunk's encodings: the prepared ones when every request was prepared, else tokenised now, in one call. */
  private async encodeAll(batch: RewardRequest[], kind: 'reward'): Promise<Encoded[]>
  private async encodeAll(batch: RewardRequest[], kind: 'lm'): Promise<EncodedLm[]>
  private async encodeAll(batch: RewardRequest[], kind: 'reward' | 'lm'): Promise<Encoded[]> {
    const ready = batch.map((r) => this.prepared.get(r))
    for (const r of batch) this.prepared.delete(r)
    if (ready.every((x) => x !== undefined)) {
      try {
        return await Promise.all(ready.map(async ({ block, index }) => (await block)[index]))
      } catch {
        // Tokenised again below, this chunk alone: a failing text then fails with its own coded error.
      }
    }
    return this.tokenized(batch, kind)
  }

  private async tokenized(batch: RewardRequest[], kind: 'reward' | 'lm'): Promise<Encoded[]> {
    const t0 = performance.now()
    try {
      return await (kind === 'lm' ? this.enc.encodeManyLm(batch) : this.enc.encodeMany(batch))
    } finally {
      this.spans.tokenize.push([t0, performance.now()])
    }
  }

  private opening: Promise<OrtSession> | null = null

  /** The session, opened on first use. */
  private session(): Promise<OrtSession> {
    this.opening ??= this.open()
    return this.opening
  }

  /** Whether the weights were loaded in this process (false when every score came from the cache). */
  get opened(): boolean {
    return this.opening !== null
  }

  /** Whether the tokenizer was built in this process (false when every score came from the cache). */
  get tokenizerBuilt(): boolean {
    return this.enc.built
  }

  /** Uses a padding side found earlier (by checkPadding in another run of the same model and settings). */
  usePaddingSide(side: PaddingSide): void {
    this.paddingSide = side
  }

  /** The padding side in use after the probe. */
  get currentPaddingSide(): PaddingSide {
    return this.paddingSide
  }

  sizeOf(req: RewardRequest): number {
    return requestChars(req)
  }

  private checkVocab(e: Encoded): void {
    const v = this.folder.vocabSize
    if (v === null) return
    const bad = e.ids.find((id) => id >= v || id < 0)
    if (bad !== undefined)
      throw new RmbenchError('E_VOCAB_MISMATCH', `${this.folder.dir}: the tokenizer produced id ${bad} ('${this.enc.idToToken(bad)}') but the model's vocabulary has ${v} entries. tokenizer.json does not belong to this model: use the tokenizer it was trained with.`, { dir: this.folder.dir })
  }

  /** Checks ids, sorts by length, runs length-homogeneous batches; `read` turns each batch's output into scores. */
  private runBatches<E extends Encoded>(encoded: E[], batchSize: number, side: PaddingSide, read: (output: Tensor, rows: E[]) => Scored[]): Promise<Scored[]> {
    const mine = this.turn.then(() => this.runNow(encoded, batchSize, side, read))
    this.turn = mine.catch(() => {})
    return mine
  }

  private async runNow<E extends Encoded>(encoded: E[], batchSize: number, side: PaddingSide, read: (output: Tensor, rows: E[]) => Scored[]): Promise<Scored[]> {
    const ortLib = await ort()
    const s = await this.session()
    encoded.forEach((e) => this.checkVocab(e))
    const lengths = encoded.map((e) => e.ids.length)
    const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b)
    const out = new Array<Scored>(encoded.length)
    for (const group of lengthBatches(order, lengths, batchSize, this.maxTokens)) {
      const rows = group.map((i) => encoded[i])
      const width = Math.max(...rows.map((r) => r.ids.length))
      for (const r of rows) this.tokenCounts.real += r.ids.length
      this.tokenCounts.padded += width * rows.length
      const scores = read(await this.run(s, buildFeeds(ortLib.Tensor, this.facts.inputs, rows, this.padIdOf(), side)), rows)
      group.forEach((idx, k) => (out[idx] = scores[k]))
    }
    return out
  }

  private score(encoded: Encoded[], batchSize: number): Promise<Scored[]> {
    return this.runBatches(encoded, batchSize, this.paddingSide, (t, rows) => {
      const dims = t.dims.map(Number)
      if (dims.length > 2)
        throw new RmbenchError('E_MODEL_OUTPUT', `${this.folder.modelFile}: output has shape [${dims}] (a language model's per-token logits); a reward model outputs [batch, labels].`)
      const width = dims.length === 2 ? dims[1] : 1
      const raw = t.type === 'float16' ? Float32Array.from(t.data as Uint16Array, halfToFloat) : (t.data as Float32Array)
      return rows.map((e, r) => {
        const value = this.head!.read(raw, r, width)
        return Number.isFinite(value) ? { value, tokens: e.ids.length } : { error: { code: 'E_NONFINITE', message: `model returned ${value}` } }
      })
    })
  }

  /**
   * Where scoring time went so far: session.run, and tokenising while no batch was running (tokenising that overlaps
   * a running batch costs the run no time); the rest is the run's own bookkeeping.
   */
  timings(): { tokenizeMs: number; sessionMs: number } {
    return { tokenizeMs: Math.round(uncoveredMs(this.spans.tokenize, this.spans.session)), sessionMs: Math.round(coveredMs(this.spans.session)) }
  }

  private async run(s: OrtSession, feeds: Record<string, Tensor>): Promise<Tensor> {
    const outName = s.outputs.find((o) => o.name === 'logits')?.name ?? s.outputs[0].name
    const t0 = performance.now()
    try {
      return (await s.session.run(feeds, [outName]))[outName]
    } catch (e) {
      const msg = (e as Error).message
      if (/out of range|out of bounds|indices element/i.test(msg))
        throw new RmbenchError('E_VOCAB_MISMATCH', `${this.folder.dir}: onnxruntime rejected a token id (${msg.split('\n')[0]}). tokenizer.json likely does not belong to this model.`)
      throw new RmbenchError('E_MODEL_LOAD', `${this.folder.modelFile}: inference failed (${msg.split('\n')[0]}).`)
    } finally {
      this.spans.session.push([t0, performance.now()])
    }
  }

  /** Causal-LM log-likelihoods of the responses, right-padded so no real token ever sees padding. */
  private scoreLm(encoded: EncodedLm[]): Promise<Scored[]> {
    return this.runBatches(encoded, this.batchSize, 'right', (logits, rows) =>
      responseLogprobs(logits, rows).map((r): Scored => (Number.isFinite(r.value) ? r : { error: { code: 'E_NONFINITE', message: `log-probability is ${r.value}` } })))
  }

  /**
   * Graphs without position_ids (DeBERTa, BERT) shift absolute positions under left padding, and some
   * pooling code breaks under right padding. Score a short probe alone and padded beside a long one; if
   * padding changes it, switch side (or say scores depend on batching). Returns the side kept and why.
   */
  async checkPadding(warn: (m: string) => void): Promise<string> {
    const short = { prompt: [{ role: 'user', content: 'Say hello.' }], response: 'Hello!' }
    const long = { prompt: [{ role: 'user', content: 'Describe the water cycle in a few sentences, please.' }], response: 'Water evaporates, condenses into clouds and falls again as rain or snow, then flows back to the sea.' }
    const solo = await this.probe([short])
    const sides: PaddingSide[] = this.paddingSide === 'left' ? ['left', 'right'] : ['right', 'left']
    for (const side of sides) {
      this.paddingSide = side
      const padded = (await this.probe([short, long]))[0]
      if (Math.abs(padded - solo[0]) <= 1e-4 * Math.max(1, Math.abs(solo[0]))) {
        if (side !== sides[0]) warn(`${this.folder.dir}: ${sides[0]} padding changes this model's scores (the graph has no position_ids to follow it); padding on the ${side} instead.`)
        return side === sides[0] ? 'as configured' : `${sides[0]} padding changed scores`
      }
    }
    this.paddingSide = sides[0]
    warn(`${this.folder.dir}: padding changes this model's scores on either side; use batch_size=1 for exact per-example scores.`)
    return 'padding-sensitive on both sides'
  }

  private async probe(reqs: RewardRequest[]): Promise<number[]> {
    return (await this.score(await Promise.all(reqs.map((r) => this.enc.encode(r))), reqs.length)).map((r) => ('value' in r ? r.value : NaN))
  }

  async dispose(): Promise<void> {
    if (this.opening) await (await this.opening).session.release()
  }
}
