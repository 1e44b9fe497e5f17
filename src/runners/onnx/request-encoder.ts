import { readFileSync } from 'node:fs'
import { Tokenizer } from '@huggingface/tokenizers'
import { RmbenchError } from '../../errors.ts'
import { sha256 } from '../../util/hash.ts'
import type { RewardRequest } from '../types.ts'
import { compileTemplate, namedTemplates, type ChatRenderer } from './chat-templates.ts'
import type { ModelFolder } from './model-folder.ts'
import { postProcessorFrom, type PostProcessor } from './post-processor.ts'
import { truncateOne, truncatePair, type TruncationSide } from './truncate.ts'

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
}

/** Turns requests into ids the way transformers does for the chosen template; records hashes for provenance. */
export class RequestEncoder {
  /** sha256 (16 hex) of tokenizer.json's bytes: part of the fingerprint, known without parsing the file. */
  readonly tokenizerHash: string
  readonly templateHash: string
  private readonly renderer: ChatRenderer | null
  private parts: { tokenizer: Tokenizer; post: PostProcessor; unkId: number | undefined } | null = null

  /** `tokenizerHash` may be given when the caller has it (remembered across runs); else the file is hashed here. */
  constructor(private readonly folder: ModelFolder, readonly settings: EncoderSettings, tokenizerHash?: string) {
    this.tokenizerHash = (tokenizerHash ?? sha256(readFileSync(folder.tokenizerFile))).slice(0, 16)
    const t = settings.template
    if (t === 'pair') {
      this.renderer = null
    } else if (t === 'chat') {
      if (!folder.chatTemplate)
        throw new RmbenchError('E_TEMPLATE', `${folder.dir}: the tokenizer has no chat template. Choose one with ?template=<${['pair', ...namedTemplates.names()].join('|')}>.`)
      this.renderer = compileTemplate(folder.chatTemplate, folder.tokenizerConfig, folder.dir)
    } else {
      this.renderer = compileTemplate(namedTemplates.get(t, 'model option template'), folder.tokenizerConfig, `template '${t}'`)
    }
    this.templateHash = sha256(this.renderer ? this.renderer.source : 'pair').slice(0, 16)
  }

  /**
   * The tokenizer, built on first use: a real one takes ~250 ms to parse and build (Llama's 3.6 MB
   * tokenizer.json), which a run whose scores all come from the cache never needs.
   */
  get tokenizer(): Tokenizer {
    return this.loaded().tokenizer
  }

  /** Whether the tokenizer has been built yet. */
  get built(): boolean {
    return this.parts !== null
  }

  private loaded(): NonNullable<RequestEncoder['parts']> {
    if (this.parts) return this.parts
    const { folder } = this
    let tokenizer: Tokenizer
    try {
      tokenizer = new Tokenizer(folder.tokenizerJson, folder.tokenizerConfig)
    } catch (e) {
      if (e instanceof RmbenchError) throw e
      throw new RmbenchError('E_TOKENIZER', `${folder.tokenizerFile}: cannot load tokenizer (${(e as Error).message}).`, { file: folder.tokenizerFile })
    }
    const unk = (folder.tokenizerJson.model as { unk_token?: string } | undefined)?.unk_token
    const post = postProcessorFrom(folder.tokenizerJson.post_processor, folder.tokenizerFile)
    return (this.parts = { tokenizer, post, unkId: unk === undefined ? undefined : tokenizer.token_to_id(unk) })
  }

  private get post(): PostProcessor {
    return this.loaded().post
  }

  /** Ids of a text, without special tokens. */
  ids(text: string): number[] {
    const ids = this.tokenizer.encode(text, { add_special_tokens: false }).ids
    // tokenizers.js leaves a word-level miss undefined when tokenizer_config.json names no unk_token: use the model's.
    if (!ids.includes(undefined as unknown as number)) return ids
    const { unkId } = this.loaded()
    if (unkId === undefined) throw new RmbenchError('E_TOKENIZER', `the tokenizer has no id for a piece of the input and no unk_token to fall back on: ${JSON.stringify(text.slice(0, 60))}.`)
    return ids.map((id: number | undefined) => id ?? unkId)
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
  encodeLm(req: RewardRequest): EncodedLm {
    const { promptText, full } = this.renderLm(req)
    const { maxLength, truncationSide, addSpecialTokens } = this.settings
    const withSpecials = (ids: number[]) => (addSpecialTokens ? this.post.apply(ids).ids : ids)
    const p = withSpecials(this.ids(promptText))
    const all = withSpecials(this.ids(full))
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

  /** Encodes one request: template, tokenise, truncate to maxLength (special tokens included), add specials. */
  encode(req: RewardRequest): Encoded {
    const { maxLength, truncationSide, addSpecialTokens } = this.settings
    const text = this.render(req)
    if (text !== null) {
      const budget = maxLength - (addSpecialTokens ? this.post.added(false) : 0)
      const raw = this.ids(text)
      const kept = truncateOne(raw, budget, truncationSide)
      const out = addSpecialTokens ? this.post.apply(kept) : { ids: kept, typeIds: kept.map(() => 0) }
      return { ...out, truncated: kept.length < raw.length }
    }
    const prompt = req.prompt.map((m) => m.content).join('\n\n')
    const a = this.ids(prompt)
    const b = this.ids(req.response)
    const budget = maxLength - (addSpecialTokens ? this.post.added(true) : 0)
    const [ta, tb] = truncatePair(a, b, budget, truncationSide)
    const out = addSpecialTokens ? this.post.apply(ta, tb) : { ids: [...ta, ...tb], typeIds: [...ta.map(() => 0), ...tb.map(() => 1)] }
    return { ...out, truncated: ta.length + tb.length < a.length + b.length }
  }
}
