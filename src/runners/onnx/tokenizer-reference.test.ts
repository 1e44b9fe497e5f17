// rmbench's token ids against the reference stack itself, on the hard-text corpus of fixtures/tokenizer-reference:
// reference.json holds Rust tokenizers' ids (make-reference.py), transformers.json what transformers does with
// truncation and empty pair texts (make-transformers-reference.py). Both files are the reference's output, never
// rmbench's.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { loadTokenizer, TOKENIZER_LIBRARY } from '../tokenizer-file.ts'
import { loadModelFolder } from './model-folder.ts'
import { RequestEncoder, type EncoderSettings } from './request-encoder.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const REF_DIR = join(ROOT, 'fixtures/tokenizer-reference')
const ref = JSON.parse(readFileSync(join(REF_DIR, 'reference.json'), 'utf8'))
const tf = JSON.parse(readFileSync(join(REF_DIR, 'transformers.json'), 'utf8'))
const folderOf = (name: string) => (name.startsWith('fixtures/') ? join(ROOT, name) : join(ROOT, '..', 'shared', 'data', name))
const user = (content: string) => [{ role: 'user' as const, content }]

function encoder(name: string, settings: Partial<EncoderSettings>): RequestEncoder {
  const folder = loadModelFolder(folderOf(name), { tokenizerOnly: true })
  return new RequestEncoder(folder, { template: 'pair', maxLength: 1 << 20, truncationSide: 'left', addSpecialTokens: true, ...settings })
}

t.test('the reference was made with the tokenizers version rmbench runs', async (t) => {
  t.equal(`tokenizers ${ref.tokenizers_version} (Rust)`, TOKENIZER_LIBRARY)
  t.equal(`tokenizers ${tf.tokenizers_version} (Rust)`, TOKENIZER_LIBRARY)
})

for (const [name, exp] of Object.entries<{ plain: number[][]; special: number[][]; pairs: number[][] }>(ref.tokenizers)) {
  t.test(`${name}: every corpus text and pair gets the Rust tokenizer's ids`, async (t) => {
    const tok = loadTokenizer(join(folderOf(name), 'tokenizer.json'))
    const bad = { plain: [] as string[], special: [] as string[], pairs: [] as string[] }
    for (const [i, text] of (ref.texts as string[]).entries()) {
      if (JSON.stringify((await tok.encode(text, null, { addSpecialTokens: false })).getIds()) !== JSON.stringify(exp.plain[i])) bad.plain.push(text)
      if (JSON.stringify((await tok.encode(text, null, { addSpecialTokens: true })).getIds()) !== JSON.stringify(exp.special[i])) bad.special.push(text)
    }
    // Pairs through rmbench's own encoder (template 'pair'); an empty second text follows transformers' rule, below.
    const enc = encoder(name, {})
    for (const [i, [a, b]] of (ref.pairs as [string, string][]).entries()) {
      if (b === '') continue
      const got = await enc.encode({ prompt: user(a), response: b })
      if (JSON.stringify(got.ids) !== JSON.stringify(exp.pairs[i])) bad.pairs.push(`${a.slice(0, 20)} | ${b.slice(0, 20)}`)
    }
    t.same(bad, { plain: [], special: [], pairs: [] }, `${ref.texts.length} texts, ${ref.pairs.length} pairs`)
  })
}

for (const [name, sides] of Object.entries<Record<'left' | 'right', { pairs: number[][][]; singles: number[][][] }>>(tf.truncation.tokenizers)) {
  t.test(`${name}: truncation to max_length equals transformers' (longest_first for pairs), both sides`, async (t) => {
    let checked = 0
    const bad: string[] = []
    for (const side of ['left', 'right'] as const) {
      for (const [k, max] of (tf.truncation.maxLengths as number[]).entries()) {
        const pairEnc = encoder(name, { maxLength: max, truncationSide: side })
        // A single text is what the raw template renders for a lone assistant turn.
        const oneEnc = encoder(name, { template: 'raw', maxLength: max, truncationSide: side })
        for (const [i, [a, b]] of (tf.truncation.pairs as [string, string][]).entries()) {
          const got = await pairEnc.encode({ prompt: user(a), response: b })
          checked++
          if (JSON.stringify(got.ids) !== JSON.stringify(sides[side].pairs[i][k])) bad.push(`${side} ${max} pair ${i}`)
        }
        for (const [i, text] of (tf.truncation.singles as string[]).entries()) {
          const got = await oneEnc.encode({ prompt: [], response: text })
          checked++
          if (JSON.stringify(got.ids) !== JSON.stringify(sides[side].singles[i][k])) bad.push(`${side} ${max} single ${i}`)
        }
        // The runners' path: every single text of a chunk in one batch call of the library.
        const many = await oneEnc.encodeMany((tf.truncation.singles as string[]).map((text) => ({ prompt: [], response: text })))
        for (const [i, got] of many.entries()) {
          checked++
          if (JSON.stringify(got.ids) !== JSON.stringify(sides[side].singles[i][k])) bad.push(`${side} ${max} single ${i}, batched`)
        }
      }
    }
    t.same(bad, [], `${checked} truncated encodings`)
  })
}

t.test('an empty text in a pair is encoded as the unbatched tokenizer(prompt, response) of transformers does', async (t) => {
  for (const [name, exp] of Object.entries<{ promptOnly: number[]; responseOnly: number[]; both: number[] }>(tf.emptyPair)) {
    const enc = encoder(name, {})
    t.same((await enc.encode({ prompt: user('What is the capital of France?'), response: '' })).ids, exp.promptOnly, `${name}: (prompt, "") is one text`)
    t.same((await enc.encode({ prompt: user(''), response: 'Paris.' })).ids, exp.responseOnly, `${name}: ("", response) stays a pair`)
    t.same((await enc.encode({ prompt: user(''), response: '' })).ids, exp.both, `${name}: ("", "")`)
  }
})

t.test('truncated is set exactly when tokens were dropped; a max_length below the special tokens is refused', async (t) => {
  const enc = encoder('reference-models/deberta-rm', { maxLength: 6 })
  t.equal((await enc.encode({ prompt: user('one two'), response: 'three' })).truncated, false)
  t.equal((await enc.encode({ prompt: user('one two three'), response: 'four five' })).truncated, true)
  const tiny = encoder('reference-models/deberta-rm', { maxLength: 2 })
  await t.rejects(tiny.encode({ prompt: user('one'), response: 'two' }), { code: 'E_MODEL_SPEC', message: /max_length=2 cannot hold/ })
})

for (const [variant, exp] of Object.entries<{ config: Record<string, unknown>; plain: number[][]; special: number[][]; pairs: number[][] }>(tf.transformers5)) {
  t.test(`tokenization=transformers5 equals transformers 5's AutoTokenizer on phi-3-mini (${variant}: ${JSON.stringify(exp.config)})`, async (t) => {
    const { mkdtempSync, copyFileSync, writeFileSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'rmbench-t5-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const base = folderOf('tokenizers/phi-3-mini')
    copyFileSync(join(base, 'tokenizer.json'), join(dir, 'tokenizer.json'))
    const cfg = JSON.parse(readFileSync(join(base, 'tokenizer_config.json'), 'utf8'))
    for (const [k, v] of Object.entries(exp.config)) if (v === null) delete cfg[k]; else cfg[k] = v
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(cfg))
    const folder = loadModelFolder(dir, { tokenizerOnly: true })
    const enc = new RequestEncoder(folder, { template: 'pair', maxLength: 1 << 20, truncationSide: 'left', addSpecialTokens: true, tokenization: 'transformers5' })
    const tok = enc.tokenizer
    const bad = { plain: 0, special: 0, pairs: 0 }
    for (const [i, text] of (ref.texts as string[]).entries()) {
      if (JSON.stringify((await tok.encode(text, null, { addSpecialTokens: false })).getIds()) !== JSON.stringify(exp.plain[i])) bad.plain++
      if (JSON.stringify((await tok.encode(text, null, { addSpecialTokens: true })).getIds()) !== JSON.stringify(exp.special[i])) bad.special++
    }
    const pairs = (ref.pairs as [string, string][]).filter(([, b]) => b !== '')
    for (const [i, [a, b]] of pairs.entries()) if (JSON.stringify((await enc.encode({ prompt: user(a), response: b })).ids) !== JSON.stringify(exp.pairs[i])) bad.pairs++
    t.same(bad, { plain: 0, special: 0, pairs: 0 }, `${ref.texts.length} texts, ${pairs.length} pairs`)
  })
}

t.test("a batch of log-likelihood encodings is the requests' own encodings, response starts and truncation included", async (t) => {
  const folder = loadModelFolder(folderOf('reference-models/llama-rm'), { tokenizerOnly: true })
  const texts = (ref.texts as string[]).slice(0, 60)
  const reqs = texts.map((text, i) => ({ prompt: user(texts[(i + 7) % texts.length]), response: text }))
  for (const maxLength of [1 << 20, 24]) {
    const enc = new RequestEncoder(folder, { template: 'chat', maxLength, truncationSide: 'left', addSpecialTokens: false })
    const one = await Promise.all(reqs.map((r) => enc.encodeLm(r)))
    const many = await enc.encodeManyLm(reqs)
    t.same(many.map(({ ids, start, truncated }) => ({ ids, start, truncated })), one.map(({ ids, start, truncated }) => ({ ids, start, truncated })), `max_length ${maxLength}`)
    if (maxLength === 24) t.ok(many.some((e) => e.truncated), 'some were cut')
  }
})

t.test('tokenization=transformers5 is refused for a tokenizer transformers 5 reads as written', async (t) => {
  const folder = loadModelFolder(folderOf('reference-models/llama-rm'), { tokenizerOnly: true })
  t.throws(() => new RequestEncoder(folder, { template: 'chat', maxLength: 512, truncationSide: 'left', addSpecialTokens: false, tokenization: 'transformers5' }), { code: 'E_MODEL_SPEC', message: /TokenizersBackend/ })
})
