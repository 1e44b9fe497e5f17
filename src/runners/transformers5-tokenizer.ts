import { RmbenchError } from '../errors.ts'

/** Tokenizer classes transformers 5 rebuilds from their config instead of reading tokenizer.json as written. */
const REBUILT = new Set(['LlamaTokenizer', 'LlamaTokenizerFast'])

/** How the tokenizer is built: tokenizer.json as written (transformers 4, vLLM, TEI), or as transformers 5 rebuilds it. */
export type Tokenization = 'tokenizer.json' | 'transformers5'

/** The `tokenization` runner option, as --help lists it. */
export const TOKENIZATION_OPTION = "'tokenizer.json' (as written: transformers 4, vLLM, TEI; default) or 'transformers5' (as transformers 5 rebuilds LlamaTokenizer folders from tokenizer_config.json)"

/** Refuses tokenization=transformers5 for a tokenizer that transformers 5 does not rebuild. */
export function checkRebuilt(config: Record<string, unknown>, file: string): void {
  const cls = String(config.tokenizer_class ?? '')
  if (!REBUILT.has(cls))
    throw new RmbenchError('E_MODEL_SPEC', `${file}: tokenization=transformers5 applies to tokenizers transformers 5 rebuilds from their config (tokenizer_class ${[...REBUILT].join(' or ')}); this one is '${cls || 'not named'}', which transformers 5 reads from tokenizer.json as written: drop the option.`, { option: 'tokenization' })
}

/**
 * tokenizer.json as transformers 5's LlamaTokenizer rebuilds it (transformers/models/llama/tokenization_llama.py,
 * 5.x): the same vocabulary, merges, added tokens and post-processor, but no normalizer, a Metaspace
 * pre-tokenizer whose prepend scheme comes from tokenizer_config.json (`add_prefix_space`, default true; `legacy`,
 * default false: 'first' unless legacy, then 'always'; 'never' without a prefix space), and a BPE model with
 * fuse_unk, byte_fallback and no unk token. Checked against AutoTokenizer of transformers 5.18 on the hard-text
 * corpus for five tokenizer_config variants (fixtures/tokenizer-reference/transformers.json).
 */
export function transformers5Json(json: Record<string, unknown>, config: Record<string, unknown>, file: string): Record<string, unknown> {
  checkRebuilt(config, file)
  const prefixSpace = config.add_prefix_space ?? true
  const legacy = config.legacy ?? false
  const scheme = prefixSpace ? (legacy ? 'always' : 'first') : 'never'
  const model = json.model as Record<string, unknown>
  return {
    ...json,
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: scheme, split: false },
    model: { ...model, type: 'BPE', dropout: null, unk_token: null, fuse_unk: true, byte_fallback: true, ignore_merges: false },
  }
}
