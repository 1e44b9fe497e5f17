import { RmbenchError } from '../../errors.ts'
import { boolOption, choiceOption, intOption } from '../option-values.ts'
import { loadModelFolder, type ModelFolder } from '../onnx/model-folder.ts'
import { RequestEncoder } from '../onnx/request-encoder.ts'
import { TOKENIZATION_OPTION } from '../transformers5-tokenizer.ts'
import type { RunnerOptions } from '../types.ts'

/** Options that shape what a served model is sent (client-side templates). */
export const ENCODER_OPTIONS: Record<string, string> = {
  tokenizer: "the model's tokenizer folder (tokenizer.json + tokenizer_config.json): chat templates are rendered here, not by the server",
  template: "'chat' (the tokenizer's own), 'pair' (text pair), or a named template: raw, tulu, chatml, hh",
  inputs: "'tokens' (token ids: server and client tokenisation cannot drift; default) or 'text'",
  max_length: 'tokens kept per input (truncation drops from the left)',
  truncation_side: 'left | right',
  add_special_tokens: "true | false (default: false for 'chat', true otherwise)",
  tokenization: TOKENIZATION_OPTION,
}

/** How requests become inputs for a served model. */
export interface ServedEncoding {
  enc: RequestEncoder
  folder: ModelFolder
  template: string
  inputs: 'tokens' | 'text'
}

/** Loads the tokenizer folder and template a served runner renders with; `what` names the runner in errors. */
export function servedEncoding(dir: string | undefined, options: RunnerOptions, what: string, fallbackTemplate = 'raw'): ServedEncoding {
  if (!dir) throw new RmbenchError('E_MODEL_SPEC', `${what}: needs ?tokenizer=<folder with tokenizer.json> so chat templates are rendered client-side with the model's own tokenizer (the template hash is recorded).`, { option: 'tokenizer' })
  const folder = loadModelFolder(dir, { tokenizerOnly: true })
  const template = options.template !== undefined ? String(options.template) : folder.chatTemplate ? 'chat' : fallbackTemplate
  const maxLength = Number(folder.tokenizerConfig.model_max_length)
  const enc = new RequestEncoder(folder, {
    template,
    maxLength: intOption(options, 'max_length', Number.isInteger(maxLength) && maxLength > 0 && maxLength < 1e6 ? maxLength : 4096),
    truncationSide: choiceOption(options, 'truncation_side', ['left', 'right'] as const, 'left'),
    addSpecialTokens: boolOption(options, 'add_special_tokens', template !== 'chat')!,
    tokenization: choiceOption(options, 'tokenization', ['tokenizer.json', 'transformers5'] as const, 'tokenizer.json'),
  })
  return { enc, folder, template, inputs: choiceOption(options, 'inputs', ['tokens', 'text'] as const, 'tokens') }
}
