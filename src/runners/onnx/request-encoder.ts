import { readFileSync } from 'node:fs'
import type { Encoding, Tokenizer } from 'tokenizers'
import { RmbenchError } from '../../errors.ts'
import { sha256 } from '../../util/hash.ts'
import { loadTokenizer, type TokenizerSetup, type TruncationSide } from '../tokenizer-file.ts'
import { checkRebuilt, type Tokenization } from '../transformers5-tokenizer.ts'
import type { RewardRequest } from '../types.ts'
import { compileTemplate, namedTemplates, type ChatRenderer } from './chat-templates.ts'
import type { ModelFolder } from './model-folder.ts'
import { truncateOne } from './truncate.ts'

/** Token ids (and type ids) of one request, ready to batch. */
export interface Encoded { ids: number[]; typeIds: number[]; truncated: boolean }

/** A causal-LM input: ids and the index of the first response token. */
export interface EncodedLm extends Encoded { start: number }

/**
 * Index of the first response token: where the full text's ids leave the prompt's ids. A prompt token
 * that merged with the response's first characters ends past the prompt, so it counts as response.
 * Never 0: the first token has no context to be predicted from.
 */
export function responseStart(promptIds: number[], fullIds: number[]): number {
  let i = 0
  while (i < promptIds.length && i < fullIds.length && promptIds[i] === fullIds[i]) i++
  return Math.max(i, 1)
}

/** How (prompt, response) becomes model input. */
export interface EncoderSettings {
  /** 'chat' = the tokenizer's own template; 'pair' = text pair (prompt, response); else a named template. */
  template: string
  maxLength: number
  truncationSide: TruncationSide
  /** Whether the tokenizer's post-processor adds its special tokens (BOS, [CLS]/[SEP]). */
  addSpecialTokens: boolean
  /** tokenizer.json as written (default), or rebuilt as transformers 5 rebuilds Llama-family tokenizers. */
  tokenization?: Tokenization
}

/**
 * Turns requests into ids the way transformers does for the chosen template, with Rust `tokenizers` itself
 * (normalisation, pre-tokenisation, model, post-processor and `longest_first` truncation are the library's);
 * records hashes for provenance. Encoding is asynchronous: the library works on libuv's threads, so a chunk is
 * tokenised while the previous one runs in onnxruntime.
 */
export class RequestEncoder {
  /** sha256 (16 hex) of tokenizer.json's bytes: part of the fingerprint, known without parsing the file. */
  readonly tokenizerHash: string
  readonly templateHash: string
  private readonly renderer: ChatRenderer | null
  private cut: Tokenizer | null = null
  private whole: Tokenizer | null = null

  /** `tokenizerHash` may be given when the caller has it (remembered across runs); else the file is hashed here. */
  constructor(private readonly folder: ModelFolder, readonly settings: EncoderSettings, tokenizerHash?: string) {
    this.tokenizerHash = (tokenizerHash ?? sha256(readFileSync(folder.tokenizerFile))).slice(0, 16)
    const t = settings.template
    if (t === 'pair') {
      this.renderer = null
    } else if (t === 'chat') {
      if (!folder.chatTemplate)
        throw new RmbenchError('E_TEMPLATE', `${folder.dir}: the tokenizer has no chat template. Choose one with ?template=<${['pair', ...namedTemplates.names()].join('|')}>.`)
      this.renderer = compileTemplate(folder.chatTemplate, folder.tokenizerConfig, folder.chatTemplateFile ?? folder.dir)
    } else {
      this.renderer = compileTemplate(namedTemplates.get(t, 'model option template')(), folder.tokenizerConfig, `template '${t}'`)
    }
    this.templateHash = sha256(this.renderer ? this.renderer.source : 'pair').slice(0, 16)
    if (settings.tokenization === 'transformers5') checkRebuilt(folder.tokenizerConfig, folder.tokenizerFile)
  }

  private setup(truncation?: TokenizerSetup['truncation']): TokenizerSetup {
    return { truncation, rebuildWith: this.settings.tokenization === 'transformers5' ? this.folder.tokenizerConfig : undefined }
  }

  /**
   * The tokenizer (without truncation), built on first use: a run whose scores all come from the cache never
   * needs it.
   */
  get tokenizer(): Tokenizer {
    return (this.whole ??= loadTokenizer(this.folder.tokenizerFile, this.setup()))
  }

  /** The tokenizer that truncates to maxLength as transformers' `truncation=True` does. */
  private get truncating(): Tokenizer {
    return (this.cut ??= loadTokenizer(this.folder.tokenizerFile, this.setup({ maxLength: this.settings.maxLength, side: this.settings.truncationSide })))
  }

  /**
   * A token's id and an id's token, from whichever tokenizer is built already: truncation does not change the
   * vocabulary, and a reward run builds only the truncating one (a second build of Llama's tokenizer.json is ~90 ms).
   */
  tokenToId(token: string): number | undefined {
    return (this.cut ?? this.tokenizer).tokenToId(token) ?? undefined
  }

  /** See tokenToId. */
  idToToken(id: number): string | null {
    return (this.cut ?? this.tokenizer).idToToken(id)
  }

  /** Whether a tokenizer has been built yet. */
  get built(): boolean {
    return this.cut !== null || this.whole !== null
  }

  /** The text the template produces for a request (null for text pairs). */
  render(req: RewardRequest): string | null {
    return this.renderer ? this.renderer.render([...req.prompt, { role: 'assistant', content: req.response }]) : null
  }

  /**
   * Encodes a request for a log-likelihood: the prompt rendered with the generation prompt, the full text
   * rendered with the response as the assistant's turn (so end-of-turn tokens count, as TRL scores them).
   * The response starts at the first token where the full text's ids leave the prompt's ids: a token that
   * merges across the boundary belongs to the response, as offset-based rules say.
   */
  async encodeLm(req: RewardRequest): Promise<EncodedLm> {
    return this.encodeLmTexts(this.renderLm(req))
  }

  /** encodeLm's tokenising, for texts renderLm gave (a caller that also sends the text renders it once). */
  async encodeLmTexts({ promptText, full }: { promptText: string; full: string }): Promise<EncodedLm> {
    const [p, all] = (await encodeTexts(this.tokenizer, [promptText, full], this.settings.addSpecialTokens)).map((e) => e.getIds())
    return this.lmEncoded(p, all)
  }

  /** encodeLm for many requests, their prompts and full texts in one batch call of the library (see encodeMany). */
  async encodeManyLm(reqs: RewardRequest[]): Promise<EncodedLm[]> {
    const texts = reqs.flatMap((r) => { const { promptText, full } = this.renderLm(r); return [promptText, full] })
    const ids = (await encodeTexts(this.tokenizer, texts, this.settings.addSpecialTokens)).map((e) => e.getIds())
    return reqs.map((_, i) => this.lmEncoded(ids[2 * i], ids[2 * i + 1]))
  }

  private lmEncoded(p: number[], all: number[]): EncodedLm {
    const { maxLength, truncationSide } = this.settings
    const start = responseStart(p, all)
    const kept = truncateOne(all, maxLength, truncationSide)
    const dropped = all.length - kept.length
    const shift = truncationSide === 'left' ? dropped : 0
    return { ids: kept, typeIds: kept.map(() => 0), truncated: dropped > 0, start: Math.max(1, start - shift) }
  }

  /** The texts a log-likelihood reads: the prompt up to the response, and the whole conversation with it. */
  renderLm(req: RewardRequest): { promptText: string; full: string } {
    if (!this.renderer) throw new RmbenchError('E_TEMPLATE', `template 'pair' encodes two texts for a classifier; a language model needs a chat or named template.`)
    const role = req.turnRole ?? 'assistant'
    // Only an assistant turn is preceded by the generation prompt; a user follow-up starts a plain turn.
    const promptText = this.renderer.render(req.prompt, role === 'assistant')
    const rendered = this.renderer.render([...req.prompt, { role, content: req.response }])
    return { promptText, full: rendered.startsWith(promptText) ? rendered : promptText + req.response }
  }

  /**
   * Encodes one request as transformers' `tokenizer(text, truncation=True, max_length=N)` does: the rendered
   * template, or the text pair (prompt, response). An empty response makes the pair a single text, as the
   * unbatched `tokenizer(prompt, "")` of transformers 4 and 5 does (the way RM model cards score one pair).
   */
  async encode(req: RewardRequest): Promise<Encoded> {
    return this.encoded(await encodeText(this.truncating, ...this.inputOf(req), this.settings.addSpecialTokens))
  }

  /**
   * encode for many requests. Rendered texts go to the library in one batch call, which costs ~15% less tokenising
   * CPU than one call per text (2,000 bench texts: 307–335 CPU-ms against 368–449; on 2 cores that CPU is taken from
   * onnxruntime); text pairs, which the binding's batch call does not take, are encoded one by one.
   */
  async encodeMany(reqs: RewardRequest[]): Promise<Encoded[]> {
    if (!this.renderer) return Promise.all(reqs.map((r) => this.encode(r)))
    return (await encodeTexts(this.truncating, reqs.map((r) => this.render(r)!), this.settings.addSpecialTokens)).map((e) => this.encoded(e))
  }

  /** What the tokenizer is given for a request: the rendered template, or the text pair. */
  private inputOf(req: RewardRequest): [string, string | null] {
    const text = this.render(req)
    return text !== null ? [text, null] : pairTexts(req)
  }

  private encoded(e: Encoding): Encoded {
    const { maxLength } = this.settings
    const ids = e.getIds()
    // The library leaves a text whole when max_length cannot even hold the special tokens.
    if (ids.length > maxLength)
      throw new RmbenchError('E_MODEL_SPEC', `max_length=${maxLength} cannot hold this tokenizer's special tokens and any text: use a larger max_length.`, { option: 'max_length' })
    // Each getter copies a native array: only a text cut to exactly max_length can have overflowed, and type ids are
    // read only by graphs that take them (npm run bench: a third of the tiny model's tokenising time on the main thread).
    let typeIds: number[] | undefined
    return { ids, get typeIds() { return (typeIds ??= e.getTypeIds()) }, truncated: ids.length === maxLength && e.getOverflowing().length > 0 }
  }
}

/**
 * A request as a text pair: the prompt's turns joined by blank lines, and the response — none when it is empty, as
 * transformers' unbatched `tokenizer(prompt, "")` drops an empty second text (served TEI inputs follow the same rule).
 */
export function pairTexts(req: RewardRequest): [string, string | null] {
  return [req.prompt.map((m) => m.content).join('\n\n'), req.response === '' ? null : req.response]
}

/** Texts through the library in one batch call; a failure is the coded error of the first text that fails alone. */
async function encodeTexts(tok: Tokenizer, texts: string[], addSpecialTokens: boolean): Promise<Encoding[]> {
  try {
    return await tok.encodeBatch(texts, { addSpecialTokens })
  } catch (e) {
    for (const t of texts) await encodeText(tok, t, null, addSpecialTokens)
    throw new RmbenchError('E_TOKENIZER', `the tokenizer failed on a batch of ${texts.length} texts that it encodes one by one (${(e as Error).message}).`)
  }
}

/** One text or pair through the library; its failures become coded errors that quote the input's start. */
async function encodeText(tok: Tokenizer, a: string, b: string | null, addSpecialTokens: boolean): Promise<Encoding> {
  try {
    return await tok.encode(a, b, { addSpecialTokens })
  } catch (e) {
    throw new RmbenchError('E_TOKENIZER', `the tokenizer failed on ${JSON.stringify(a.slice(0, 60))} (${(e as Error).message}).`)
  }
}
