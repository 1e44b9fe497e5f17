// The reference reward models score hard text as the Python stack does: fixtures/tokenizer-reference/hard-scores.json
// holds transformers' scores for llama-rm (the PyTorch module itself) and, for deberta-rm, the graph run on
// transformers' token ids (make-hard-scores.py says why). Pairs: Greek capital sigma, CJK Extension B, ZWJ emoji,
// BOM, control characters, special-token strings, an empty response, and pairs far past max_length on both sides.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { createRunner, parseModelSpec } from '../registry.ts'
import type { Scored } from '../types.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const SHARED = join(ROOT, '..', 'shared', 'data', 'reference-models')
const hard = JSON.parse(readFileSync(join(ROOT, 'fixtures/tokenizer-reference/hard-scores.json'), 'utf8')) as {
  pairs: { prompt: string; response: string }[]
  'llama-rm': number[]
  'deberta-rm': number[]
}
const ctx = { warn: () => {}, cwd: ROOT }
const values = (s: Scored[]) => s.map((x) => ('value' in x ? x.value : NaN))

// The bounds of the existing fidelity test (onnx-runner.test.ts): llama-rm absolute 1e-4, deberta-rm 1e-4 relative to
// max(1, |reference|), since DeBERTa's scores reach ±150 and onnxruntime and torch differ by ~2e-4 there.
for (const [name, relative] of [['llama-rm', false], ['deberta-rm', true]] as const) {
  t.test(`${name} scores ${hard.pairs.length} hard-text pairs as the Python stack does`, { skip: !existsSync(SHARED) && 'needs ../shared/data (absent)' }, async (t) => {
    const reqs = hard.pairs.map((p) => ({ prompt: [{ role: 'user' as const, content: p.prompt }], response: p.response }))
    for (const opts of ['batch_size=1', 'batch_size=16']) {
      const r = await createRunner(parseModelSpec(`onnx:${join(SHARED, name)}?max_length=512&${opts}`), ctx)
      const got = values(await r.reward!(reqs))
      const err = got.map((g, i) => Math.abs(g - hard[name][i]) / (relative ? Math.max(1, Math.abs(hard[name][i])) : 1))
      const worst = err.indexOf(Math.max(...err))
      t.ok(err[worst] <= 1e-4, `${opts}: max ${relative ? 'relative ' : ''}error ${err[worst].toExponential(2)} (pair ${worst}: ${JSON.stringify(hard.pairs[worst].prompt.slice(0, 20))})`)
    }
  })
}
