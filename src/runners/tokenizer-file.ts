import { readFileSync } from 'node:fs'
import { Tokenizer } from 'tokenizers'
import { RmbenchError } from '../errors.ts'
import { packageVersion } from '../util/package-version.ts'
import { transformers5Json } from './transformers5-tokenizer.ts'

/**
 * The tokenizer implementation, as provenance records it: Hugging Face's Rust `tokenizers` through its own Node
 * binding, the same library (and version) transformers' fast tokenizers run, chosen over the pure-JS port by the
 * hard-text corpus in fixtures/tokenizer-reference (0 mismatches against 44–111 of 248 texts; bench/README.md).
 */
export const TOKENIZER_LIBRARY = `tokenizers ${packageVersion('tokenizers')} (Rust)`

/** Which end loses tokens when a sequence is too long. Reward models keep the end (the response): 'left'. */
export type TruncationSide = 'left' | 'right'

/** How a tokenizer is built beyond its file: truncation, and transformers 5's rebuild (with the folder's tokenizer_config.json). */
export interface TokenizerSetup {
  truncation?: { maxLength: number; side: TruncationSide }
  rebuildWith?: Record<string, unknown>
}

/**
 * A tokenizer.json loaded by Rust `tokenizers`, with the file's own padding switched off (several reward models
 * ship `BatchLongest` padding, which would pad a lone text nowhere but changes nothing we want) and, when
 * `truncation` is given, `longest_first` truncation to that many tokens, special tokens included — what
 * transformers sets for `truncation=True, max_length=N`. With `rebuildWith` (tokenizer_config.json), the file is first
 * rebuilt as transformers 5 rebuilds Llama-family tokenizers (transformers5-tokenizer.ts).
 */
export function loadTokenizer(file: string, setup: TokenizerSetup = {}): Tokenizer {
  const { truncation, rebuildWith } = setup
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new RmbenchError('E_MODEL_NOT_FOUND', `${file}: cannot read the tokenizer (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, { file })
  }
  let tok: Tokenizer
  try {
    tok = Tokenizer.fromString(rebuildWith ? JSON.stringify(transformers5Json(JSON.parse(text), rebuildWith, file)) : text)
  } catch (e) {
    if (e instanceof RmbenchError) throw e
    try {
      JSON.parse(text)
    } catch (j) {
      throw new RmbenchError('E_MODEL_LOAD', `${file}: not valid JSON (${(j as Error).message}). Re-export or re-download the model folder.`, { file })
    }
    throw new RmbenchError('E_TOKENIZER', `${file}: cannot load tokenizer (${(e as Error).message}). It must be a tokenizer.json written by Hugging Face tokenizers.`, { file })
  }
  tok.disablePadding()
  if (truncation) tok.setTruncation(truncation.maxLength, { strategy: 'LongestFirst' as never, direction: truncation.side })
  else tok.disableTruncation()
  return tok
}
