import { basename, resolve } from 'node:path'
import type { Tensor } from 'onnxruntime-node'
import { RmbenchError } from '../../errors.ts'
import { hashOf } from '../../util/hash.ts'
import { hashFile } from '../../util/hash-file.ts'
import { boolOption, choiceOption, intOption } from '../option-values.ts'
import { requestChars } from '../request-size.ts'
import type { RewardRequest, Runner, RunnerFactory, Scored } from '../types.ts'
import { buildFeeds, checkInputs, type PaddingSide } from './input-feeds.ts'
import { loadModelFolder, type ModelFolder } from './model-folder.ts'
import { DEVICES, openSession, ort, type OrtSession } from './ort-session.ts'
import { responseLogprobs } from './logprob-scoring.ts'
import { RequestEncoder, type Encoded } from './request-encoder.ts'
import { halfToFloat, rewardHead, type RewardHead } from './reward-head.ts'

/** max length when nothing declares one: long enough for chat RMs, bounded for memory. */
const FALLBACK_MAX_LENGTH = 4096

function tokenId(folder: ModelFolder, enc: RequestEncoder, key: string): number | undefined {
  const v = folder.tokenizerConfig[key]
  const text = typeof v === 'string' ? v : (v as { content?: string } | undefined)?.content
  return text === undefined ? undefined : enc.tokenizer.token_to_id(text)
}

/** The declared maximum: tokenizer's model_max_length when sane, else the position embeddings, else a fallback. */
function defaultMaxLength(folder: ModelFolder): number {
  const m = Number(folder.tokenizerConfig.model_max_length)
  if (Number.isInteger(m) && m > 0 && m < 1e6) return m
  const p = Number(folder.config.max_position_embeddings ?? folder.config.n_positions)
  return Number.isInteger(p) && p > 0 ? Math.min(p, FALLBACK_MAX_LENGTH) : FALLBACK_MAX_LENGTH
}

/** Splits requests, given in ascending length order, into batches under a count and a padded-token budget. */
export function lengthBatches(order: number[], lengths: number[], batchSize: number, maxTokens: number): number[][] {
  const out: number[][] = []
  let cur: number[] = []
  for (const i of order) {
    // Ascending order: the newcomer is the batch's longest row, so it sets the padded width.
    if (cur.length && (cur.length >= batchSize || lengths[i] * (cur.length + 1) > maxTokens)) {
      out.push(cur)
      cur = []
    }
    cur.push(i)
  }
  if (cur.length) out.push(cur)
  return out
}

class OnnxRunner implements Runner {
  /** Tokens fed to session.run: real ones and padding (for the padding-waste figure of `npm run bench`). */
  readonly tokenCounts = { real: 0, padded: 0 }
  readonly capabilities: Runner['capabilities']
  /** Set for sequence classifiers (logits [B, labels]). */
  readonly reward?: Runner['reward']
  /** Set for causal LMs (logits [B, T, vocab]). */
  readonly logprob?: Runner['logprob']
  constructor(
    readonly id: string,
    readonly fingerprint: string,
    readonly info: Runner['info'],
    readonly batchSize: number,
    private readonly s: OrtSession,
    private readonly folder: ModelFolder,
    private readonly enc: RequestEncoder,
    private readonly head: RewardHead | null,
    private readonly padId: number,
    private paddingSide: PaddingSide,
    private readonly maxTokens: number,
  ) {
    if (head) {
      this.capabilities = { reward: true }
      this.reward = (batch) => this.score(batch, this.batchSize)
    } else {
      this.capabilities = { logprob: true }
      this.logprob = (batch) => this.scoreLm(batch)
    }
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
      throw new RmbenchError('E_VOCAB_MISMATCH', `${this.folder.dir}: the tokenizer produced id ${bad} ('${this.enc.tokenizer.id_to_token(bad)}') but the model's vocabulary has ${v} entries. tokenizer.json does not belong to this model: use the tokenizer it was trained with.`, { dir: this.folder.dir })
  }

  /** Checks ids, sorts by length, runs length-homogeneous batches; `read` turns each batch's output into scores. */
  private async runBatches<E extends Encoded>(encoded: E[], batchSize: number, side: PaddingSide, read: (output: Tensor, rows: E[]) => Scored[]): Promise<Scored[]> {
    const ortLib = await ort()
    encoded.forEach((e) => this.checkVocab(e))
    const lengths = encoded.map((e) => e.ids.length)
    const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b)
    const out = new Array<Scored>(encoded.length)
    for (const group of lengthBatches(order, lengths, batchSize, this.maxTokens)) {
      const rows = group.map((i) => encoded[i])
      const width = Math.max(...rows.map((r) => r.ids.length))
      for (const r of rows) this.tokenCounts.real += r.ids.length
      this.tokenCounts.padded += width * rows.length
      const scores = read(await this.run(buildFeeds(ortLib.Tensor, this.s.inputs, rows, this.padId, side)), rows)
      group.forEach((idx, k) => (out[idx] = scores[k]))
    }
    return out
  }

  private score(batch: RewardRequest[], batchSize: number): Promise<Scored[]> {
    return this.runBatches(batch.map((r) => this.enc.encode(r)), batchSize, this.paddingSide, (t, rows) => {
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

  private async run(feeds: Record<string, Tensor>): Promise<Tensor> {
    const outName = this.s.outputs.find((o) => o.name === 'logits')?.name ?? this.s.outputs[0].name
    try {
      return (await this.s.session.run(feeds, [outName]))[outName]
    } catch (e) {
      const msg = (e as Error).message
      if (/out of range|out of bounds|indices element/i.test(msg))
        throw new RmbenchError('E_VOCAB_MISMATCH', `${this.folder.dir}: onnxruntime rejected a token id (${msg.split('\n')[0]}). tokenizer.json likely does not belong to this model.`)
      throw new RmbenchError('E_MODEL_LOAD', `${this.folder.modelFile}: inference failed (${msg.split('\n')[0]}).`)
    }
  }

  /** Causal-LM log-likelihoods of the responses, right-padded so no real token ever sees padding. */
  private scoreLm(batch: RewardRequest[]): Promise<Scored[]> {
    return this.runBatches(batch.map((r) => this.enc.encodeLm(r)), this.batchSize, 'right', (logits, rows) =>
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
    return (await this.score(reqs, reqs.length)).map((r) => ('value' in r ? r.value : NaN))
  }

  async dispose(): Promise<void> {
    await this.s.session.release()
  }
}

/** `onnx:<folder>`: a local exported reward model (model.onnx + tokenizer.json + configs). */
export const onnxRunner: RunnerFactory = {
  name: 'onnx',
  options: {
    template: "'chat' (the tokenizer's own), 'pair' (text pair), or a named template: raw, tulu, chatml, hh",
    max_length: 'tokens kept per input (truncation drops from the left)',
    truncation_side: 'left | right',
    padding_side: 'left | right (default: the tokenizer config, else right)',
    add_special_tokens: "true | false (default: false for 'chat', true otherwise)",
    label: 'reward column: index, label name, or <good>-<bad>',
    batch_size: 'sequences per session.run',
    max_batch_tokens: 'padded tokens per session.run',
    device: 'cpu | cuda',
    threads: 'intra-op threads',
    file: 'the .onnx file inside the folder',
  },
  async create(target, options, ctx) {
    if (!target) throw new RmbenchError('E_MODEL_SPEC', `onnx: needs a folder, e.g. onnx:./fixtures/quickstart-rm.`)
    const folder = loadModelFolder(resolve(ctx.cwd, target), { file: options.file === undefined ? undefined : String(options.file) })
    const device = choiceOption(options, 'device', DEVICES, 'cpu')
    const s = await openSession(folder.modelFile, device, options.threads === undefined ? undefined : intOption(options, 'threads', 1), ctx.warn)
    checkInputs(s.inputs, folder.modelFile)
    // Without a chat template, models that take token_type_ids were trained on text pairs (BERT/DeBERTa RMs).
    const chosenTemplate = options.template !== undefined ? String(options.template)
      : folder.chatTemplate ? 'chat' : s.inputs.some((i) => i.name === 'token_type_ids') ? 'pair' : 'raw'
    const tc = folder.tokenizerConfig
    const enc = new RequestEncoder(folder, {
      template: chosenTemplate,
      maxLength: intOption(options, 'max_length', defaultMaxLength(folder)),
      truncationSide: choiceOption(options, 'truncation_side', ['left', 'right'] as const, 'left'),
      addSpecialTokens: boolOption(options, 'add_special_tokens', chosenTemplate !== 'chat')!,
    })
    const paddingSide = choiceOption(options, 'padding_side', ['left', 'right'] as const, tc.padding_side === 'left' ? 'left' : 'right')
    const padId = tokenId(folder, enc, 'pad_token') ?? (Number.isInteger(folder.config.pad_token_id) ? Number(folder.config.pad_token_id) : undefined)
      ?? (folder.tokenizerJson.padding as { pad_id?: number } | null)?.pad_id ?? 0
    const out = s.outputs.find((o) => o.name === 'logits') ?? s.outputs[0]
    // Per-token logits [batch, seq, vocab] mean a causal LM: it scores log-likelihoods, not rewards.
    const lm = out.shape.length === 3
    const width = typeof out.shape[1] === 'number' ? out.shape[1] : Number(folder.config.num_labels ?? Object.keys((folder.config.id2label as object) ?? {}).length) || 1
    const head = lm ? null : rewardHead(width, (folder.config.id2label as Record<string, string>) ?? {}, options.label === undefined ? undefined : String(options.label))
    const vocab = typeof out.shape[2] === 'number' ? out.shape[2] : (folder.vocabSize ?? 32000)
    const weights = await Promise.all([folder.modelFile, ...folder.externalData].map(hashFile))
    const settings = { ...enc.settings, head: head?.describe ?? 'logprob', device: s.executionProvider }
    const info = {
      runner: 'onnx',
      modelFile: folder.modelFile,
      modelHash: weights[0].slice(0, 16),
      tokenizerHash: enc.tokenizerHash,
      template: chosenTemplate,
      templateHash: enc.templateHash,
      maxLength: enc.settings.maxLength,
      truncationSide: enc.settings.truncationSide,
      addSpecialTokens: enc.settings.addSpecialTokens,
      paddingSide: lm ? 'right' : paddingSide,
      reward: head?.describe ?? 'Σ log p(response tokens | prompt)',
      executionProvider: s.executionProvider,
    }
    const runner = new OnnxRunner(
      basename(folder.dir),
      hashOf({ runner: 'onnx', weights, tokenizer: enc.tokenizerHash, template: enc.templateHash, settings }),
      info,
      intOption(options, 'batch_size', 16),
      s, folder, enc, head, padId, paddingSide,
      // An LM's logits are batch × seq × vocab floats: keep one call's logits near 256 MB.
      intOption(options, 'max_batch_tokens', lm ? Math.max(64, Math.floor(2 ** 26 / vocab)) : 65536),
    )
    if (!lm) {
      const why = await runner.checkPadding(ctx.warn)
      Object.assign(info, { paddingSide: runner.currentPaddingSide, paddingCheck: why })
    }
    return runner
  },
}
