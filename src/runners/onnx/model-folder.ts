import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { RmbenchError } from '../../errors.ts'
import { assertRegularFile, readTextFile } from '../../util/regular-file.ts'

/** The files of an exported model folder (transformers/optimum layout), parsed. */
export interface ModelFolder {
  dir: string
  modelFile: string
  /** Files the graph's external data may live in (model.onnx.data, model.onnx_data). */
  externalData: string[]
  tokenizerFile: string
  /** tokenizer.json parsed on first use: a run whose scores all come from the cache never reads it (Llama's is 3.6 MB). */
  readonly tokenizerJson: Record<string, unknown>
  tokenizerConfig: Record<string, unknown>
  /** chat_template.jinja (preferred, as transformers does) or tokenizer_config.chat_template. */
  chatTemplate: string | null
  /** Where the chat template came from (named in E_TEMPLATE errors): the .jinja file, or tokenizer_config.json's field. */
  chatTemplateFile: string | null
  config: Record<string, unknown>
  /** The model's vocabulary size, from config.json or genai_config.json, when declared. */
  vocabSize: number | null
}

/** A JSON object file of the model folder; anything else (not JSON, null, a list, a folder, a FIFO) blames that file. */
function readJson(file: string): Record<string, unknown> {
  const text = readTextFile(file, 'E_MODEL_LOAD', 'model file')
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    throw new RmbenchError('E_MODEL_LOAD', `${file}: not valid JSON (${(e as Error).message}). Re-export or re-download the model folder.`, { file })
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new RmbenchError('E_MODEL_LOAD', `${file}: expected a JSON object, got ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}. Re-export or re-download the model folder.`, { file })
  return v as Record<string, unknown>
}

function optionalJson(...files: string[]): Record<string, unknown> {
  for (const f of files) if (existsSync(f)) return readJson(f)
  return {}
}

/** Finds the graph: an explicit file, model.onnx, onnx/model.onnx, genai_config's filename, or the only *.onnx. */
function findModelFile(dir: string, file: string | undefined): string {
  if (file) {
    const p = resolve(dir, file)
    if (!existsSync(p)) throw new RmbenchError('E_MODEL_NOT_FOUND', `${p} not found (model option file=${file}).`, { file: p })
    return p
  }
  for (const c of ['model.onnx', join('onnx', 'model.onnx')]) if (existsSync(join(dir, c))) return join(dir, c)
  const genai = join(dir, 'genai_config.json')
  if (existsSync(genai)) {
    const name = (readJson(genai) as { model?: { decoder?: { filename?: string } } }).model?.decoder?.filename
    if (name && existsSync(join(dir, name))) return join(dir, name)
  }
  const onnxFiles = readdirSync(dir).filter((f) => f.endsWith('.onnx'))
  if (onnxFiles.length === 1) return join(dir, onnxFiles[0])
  const hint = onnxFiles.length ? ` It has ${onnxFiles.join(', ')}: pick one with ?file=<name>.` : ' Export the model to ONNX first (e.g. optimum-cli export onnx).'
  throw new RmbenchError('E_MODEL_NOT_FOUND', `${dir}: no model.onnx (nor onnx/model.onnx).${hint}`, { dir })
}

/** Reads a model folder: graph, tokenizer, tokenizer config, chat template, config. */
export function loadModelFolder(dirArg: string, opts: { file?: string; tokenizerOnly?: boolean } = {}): ModelFolder {
  const dir = resolve(dirArg)
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new RmbenchError('E_MODEL_NOT_FOUND', opts.tokenizerOnly ? `tokenizer folder ${dirArg} not found: it should hold tokenizer.json and tokenizer_config.json.` : `model folder ${dirArg} not found. An onnx: model is a folder with model.onnx and tokenizer.json.`, { dir })
  // A served model's tokenizer folder has no graph: the server holds the weights.
  const modelFile = opts.tokenizerOnly ? join(dir, 'model.onnx') : findModelFile(dir, opts.file)
  // onnx/model.onnx layouts keep the tokenizer and configs one level up.
  const roots = [...new Set([dirname(modelFile), dir])]
  const find = (name: string) => roots.map((r) => join(r, name)).find((p) => existsSync(p))
  const tokenizerFile = find('tokenizer.json')
  if (!tokenizerFile) throw new RmbenchError('E_MODEL_NOT_FOUND', `${dir}: tokenizer.json not found. Save the tokenizer next to the model (tokenizer.save_pretrained(dir)).`, { dir })
  assertRegularFile(tokenizerFile, 'E_MODEL_LOAD', 'tokenizer')
  if (!opts.tokenizerOnly) assertRegularFile(modelFile, 'E_MODEL_LOAD', 'ONNX graph')
  const tokenizerConfig = optionalJson(...roots.map((r) => join(r, 'tokenizer_config.json')))
  const config = optionalJson(...roots.map((r) => join(r, 'config.json')))
  const genai = optionalJson(join(dir, 'genai_config.json')) as { model?: { vocab_size?: number } }
  const jinja = find('chat_template.jinja')
  const tplField = tokenizerConfig.chat_template
  const fromConfig = typeof tplField === 'string' ? tplField
    : Array.isArray(tplField) ? ((tplField as { name: string; template: string }[]).find((t) => t.name === 'default')?.template ?? null) : null
  const vocab = Number(config.vocab_size ?? genai.model?.vocab_size)
  let tokenizerJson: Record<string, unknown> | undefined
  return {
    dir,
    modelFile,
    externalData: opts.tokenizerOnly ? [] : [modelFile + '.data', modelFile + '_data', join(dirname(modelFile), 'model.onnx_data')].filter((f, i, a) => existsSync(f) && a.indexOf(f) === i),
    tokenizerFile,
    get tokenizerJson() {
      return (tokenizerJson ??= readJson(tokenizerFile))
    },
    tokenizerConfig,
    chatTemplate: jinja ? readTextFile(jinja, 'E_TEMPLATE', 'chat template') : fromConfig,
    chatTemplateFile: jinja ?? (fromConfig !== null ? `${find('tokenizer_config.json')} (chat_template)` : null),
    config,
    vocabSize: Number.isInteger(vocab) && vocab > 0 ? vocab : null,
  }
}
