import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Message } from '../../data/types.ts'
import { RmbenchError } from '../../errors.ts'
import { Registry } from '../../util/registry.ts'
import { Jinja2Template } from './jinja2-template.ts'

/** Where the named templates live (templates/<name>.jinja beside this module, in src/ and in dist/). */
const TEMPLATE_DIR = fileURLToPath(new URL('./templates/', import.meta.url))

/**
 * Named templates for models whose tokenizer has no chat template, as Jinja files so they render through the
 * same path as a tokenizer's own template (and so the reference script renders the same bytes with transformers):
 * raw — text only, turns separated by blank lines (classifiers trained on plain text); tulu — FastChat's
 * `<|user|>\n…\n<|assistant|>\n…\n`, RewardBench's default for models without a template; chatml; hh —
 * "Human: …\n\nAssistant: …", Anthropic HH style.
 */
export const namedTemplates = new Registry<() => string>('template')
// Read on use, not on import: a config bundled by esbuild (load-config) imports this module from elsewhere.
for (const name of ['raw', 'tulu', 'chatml', 'hh']) namedTemplates.register(name, () => readFileSync(join(TEMPLATE_DIR, `${name}.jinja`), 'utf8'))

/** A compiled chat template with the tokenizer's special tokens bound. */
/** A compiled chat template; `addGenerationPrompt` ends the text where the assistant's answer starts. */
export interface ChatRenderer { render(messages: Message[], addGenerationPrompt?: boolean): string; source: string }

function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content
  return undefined
}

/** Compiles a Jinja chat template the way transformers renders it (special tokens bound; jinja provides raise_exception). */
export function compileTemplate(source: string, tokenizerConfig: Record<string, unknown>, where: string): ChatRenderer {
  let tpl: Jinja2Template
  try {
    tpl = new Jinja2Template(source)
  } catch (e) {
    throw new RmbenchError('E_TEMPLATE', `${where}: chat template does not parse (${(e as Error).message}).`)
  }
  const specials: Record<string, string> = {}
  for (const k of ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token']) {
    const t = tokenText(tokenizerConfig[k])
    if (t !== undefined) specials[k] = t
  }
  return {
    source,
    render(messages, addGenerationPrompt = false) {
      try {
        // transformers passes tools and documents as None when none are given: `tools is defined` holds there too.
        return tpl.render({ messages, tools: null, documents: null, add_generation_prompt: addGenerationPrompt, ...specials })
      } catch (e) {
        throw new RmbenchError('E_TEMPLATE', `${where}: chat template failed on a conversation with roles [${messages.map((m) => m.role).join(', ')}]: ${(e as Error).message}`)
      }
    },
  }
}
