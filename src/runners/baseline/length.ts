import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { RmbenchError } from '../../errors.ts'
import { charCount } from '../../util/char-count.ts'
import { hashOf, sha256 } from '../../util/hash.ts'
import { choiceOption, intOption } from '../option-values.ts'
import { loadTokenizer, TOKENIZER_LIBRARY } from '../tokenizer-file.ts'
import type { Runner, RunnerFactory } from '../types.ts'

/** `baseline:length`: reward = response length (characters, words, or tokens of a given tokenizer). "Pick the longer answer." */
export const lengthBaseline: RunnerFactory = {
  name: 'baseline:length',
  usage: 'baseline:length  reward = response length (?unit=chars|words|tokens)',
  options: { unit: 'chars | words | tokens (default chars)', tokenizer: 'folder with tokenizer.json (unit=tokens)', batch_size: 'requests per call' },
  async create(target, options, ctx) {
    if (target) throw new RmbenchError('E_MODEL_SPEC', `baseline:length takes no target, got '${target}'. Options go after '?': baseline:length?unit=tokens&tokenizer=./tok.`)
    const unit = choiceOption(options, 'unit', ['chars', 'words', 'tokens'] as const, 'chars')
    let count: (s: string) => number | Promise<number>
    let tokHash: string | null = null
    if (unit === 'tokens') {
      if (!options.tokenizer) throw new RmbenchError('E_MODEL_SPEC', `baseline:length?unit=tokens needs a tokenizer: add &tokenizer=<folder with tokenizer.json>.`)
      const dir = resolve(ctx.cwd, String(options.tokenizer))
      let text: string
      try { text = readFileSync(join(dir, 'tokenizer.json'), 'utf8') } catch {
        throw new RmbenchError('E_MODEL_NOT_FOUND', `${join(dir, 'tokenizer.json')} not found (baseline:length tokenizer option).`)
      }
      tokHash = sha256(text).slice(0, 16)
      const tok = loadTokenizer(join(dir, 'tokenizer.json'))
      count = async (s) => (await tok.encode(s, null, { addSpecialTokens: false })).getLength()
    } else if (unit === 'words') {
      count = (s) => (s.match(/\S+/g) ?? []).length
    } else {
      count = charCount // code points, so an emoji counts once
    }
    const runner: Runner = {
      id: `baseline-length-${unit}`,
      fingerprint: hashOf({ runner: 'baseline:length', unit, tokHash, ...(unit === 'tokens' ? { tokenizerLibrary: TOKENIZER_LIBRARY } : {}) }),
      cheap: true,
      capabilities: { reward: true },
      info: { runner: 'baseline:length', unit, tokenizerHash: tokHash, ...(unit === 'tokens' ? { tokenizerLibrary: TOKENIZER_LIBRARY } : {}) },
      batchSize: intOption(options, 'batch_size', 1024),
      async reward(batch) {
        return Promise.all(batch.map(async (r) => ({ value: await count(r.response) })))
      },
    }
    return runner
  },
}
