// Chat templates rendered by rmbench against apply_chat_template(tokenize=False) of transformers itself
// (fixtures/tokenizer-reference/transformers.json, written by make-transformers-reference.py): the templates in
// ../shared/data and the fixtures, the named templates and stress templates for Jinja2's semantics, over a
// conversation corpus, with the generation prompt and without.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Message } from '../../data/types.ts'
import { compileTemplate } from './chat-templates.ts'
import { loadModelFolder } from './model-folder.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const tf = JSON.parse(readFileSync(join(ROOT, 'fixtures/tokenizer-reference/transformers.json'), 'utf8'))
const folderOf = (name: string) => (name.startsWith('fixtures/') ? join(ROOT, name) : join(ROOT, '..', 'shared', 'data', name))
type Rendered = string | { error: string }

for (const [label, entry] of Object.entries<{ tokenizer: string; source: string; rendered: Rendered[][] }>(tf.templates)) {
  t.test(`${label}: rendered text equals transformers' apply_chat_template`, async (t) => {
    const folder = loadModelFolder(folderOf(entry.tokenizer), { tokenizerOnly: true })
    const renderer = compileTemplate(entry.source, folder.tokenizerConfig, label)
    const bad: string[] = []
    for (const [i, conv] of (tf.conversations as Message[][]).entries()) {
      for (const [g, gen] of [false, true].entries()) {
        const want = entry.rendered[i][g]
        let got: Rendered
        try {
          got = renderer.render(conv, gen)
        } catch (e) {
          got = { error: `${(e as { code?: string }).code}: ${(e as Error).message}` }
        }
        const same = typeof want === 'string' ? got === want : typeof got !== 'string' && got.error.startsWith(`E_TEMPLATE: ${label}:`)
        if (!same) bad.push(`conversation ${i}${gen ? ' + generation prompt' : ''}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`)
      }
    }
    t.same(bad, [], `${tf.conversations.length} conversations × 2`)
  })
}

t.test("a template that raises is E_TEMPLATE naming the template's file, with raise_exception's message", async (t) => {
  const { mkdtempSync, copyFileSync, writeFileSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { RequestEncoder } = await import('./request-encoder.ts')
  const dir = mkdtempSync(join(tmpdir(), 'rmbench-tpl-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  copyFileSync(join(folderOf('reference-models/llama-rm'), 'tokenizer.json'), join(dir, 'tokenizer.json'))
  writeFileSync(join(dir, 'tokenizer_config.json'), '{}')
  writeFileSync(join(dir, 'chat_template.jinja'), "{% if messages[0]['role'] != 'system' %}{{ raise_exception('a system message comes first') }}{% endif %}ok")
  const enc = new RequestEncoder(loadModelFolder(dir, { tokenizerOnly: true }), { template: 'chat', maxLength: 64, truncationSide: 'left', addSpecialTokens: false })
  t.throws(() => enc.render({ prompt: [{ role: 'user', content: 'hi' }], response: 'hello' }), { code: 'E_TEMPLATE', message: new RegExp(`^${join(dir, 'chat_template.jinja')}: chat template failed .*a system message comes first`) })
  t.equal(enc.render({ prompt: [{ role: 'system', content: 's' }, { role: 'user', content: 'hi' }], response: 'hello' }), 'ok')
  writeFileSync(join(dir, 'chat_template.jinja'), '{% for m in messages %}{{ m.content }')
  t.throws(() => new RequestEncoder(loadModelFolder(dir, { tokenizerOnly: true }), { template: 'chat', maxLength: 64, truncationSide: 'left', addSpecialTokens: false }), { code: 'E_TEMPLATE', message: /chat_template\.jinja: chat template does not parse/ })
})
