import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadModelFolder } from './model-folder.ts'
import { RequestEncoder } from './request-encoder.ts'

t.test('a text the library cannot encode inside a batch is named by the coded error', async (t) => {
  // A word-level vocabulary whose unknown-token is missing: the Rust library fails on any word outside it.
  const dir = mkdtempSync(join(tmpdir(), 'rmbench-encoder-'))
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({ version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer: null, pre_tokenizer: { type: 'WhitespaceSplit' }, post_processor: null, decoder: null, model: { type: 'WordLevel', vocab: { hello: 0, there: 1 }, unk_token: '[UNK]' } }))
  writeFileSync(join(dir, 'tokenizer_config.json'), '{}')
  const enc = new RequestEncoder(loadModelFolder(dir, { tokenizerOnly: true }), { template: 'raw', maxLength: 64, truncationSide: 'left', addSpecialTokens: false })
  const req = (response: string) => ({ prompt: [], response })
  t.same((await enc.encodeMany([req('hello there'), req('there')])).map((e) => e.ids), [[0, 1], [1]])
  await t.rejects(enc.encodeMany([req('hello'), req('hello stranger'), req('there')]), { code: 'E_TOKENIZER', message: /"hello stranger".*Missing \[UNK\]/ })
  await t.rejects(enc.encodeManyLm([{ prompt: [{ role: 'user', content: 'hello' }], response: 'stranger' }]), { code: 'E_TOKENIZER' })
})
