// Development tool (issue 23): how far rmbench's tokenisation (the pure-JS @huggingface/tokenizers plus rmbench's
// post-processor) is from Rust tokenizers on the hard-text corpus of fixtures/tokenizer-reference/reference.json.
// Prints, per tokenizer, the texts (plain, with special tokens) and pairs whose ids differ.
//   npx tsx scripts/compare-tokenizers.ts [reference.json]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Tokenizer } from '@huggingface/tokenizers'
import { postProcessorFrom } from '../src/runners/onnx/post-processor.ts'
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ref = JSON.parse(readFileSync(process.argv[2] ?? join(ROOT, 'fixtures/tokenizer-reference/reference.json'), 'utf8'))
const base = (name: string) => (name.startsWith('fixtures/') ? join(ROOT, name) : join(ROOT, '..', 'shared', 'data', name))
for (const [name, exp] of Object.entries<any>(ref.tokenizers)) {
  const dir = base(name)
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'))
  let cfg = {}
  try { cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) } catch {}
  const tok = new Tokenizer(json, cfg)
  const post = postProcessorFrom(json.post_processor, join(dir, 'tokenizer.json'))
  const ids = (t: string) => tok.encode(t, { add_special_tokens: false }).ids
  const bad = { plain: [] as number[], special: [] as number[], pairs: [] as number[] }
  const t0 = performance.now()
  ref.texts.forEach((t: string, i: number) => {
    let a: number[]
    try { a = ids(t) } catch { a = [-1] }
    if (JSON.stringify(a) !== JSON.stringify(exp.plain[i])) bad.plain.push(i)
    const s = (() => { try { return post.apply(a).ids } catch { return [-1] } })()
    if (JSON.stringify(s) !== JSON.stringify(exp.special[i])) bad.special.push(i)
  })
  ref.pairs.forEach(([x, y]: [string, string], i: number) => {
    let p: number[]
    try { p = post.apply(ids(x), ids(y)).ids } catch { p = [-1] }
    if (JSON.stringify(p) !== JSON.stringify(exp.pairs[i])) bad.pairs.push(i)
  })
  console.log(name.padEnd(30), `plain ${bad.plain.length}/${ref.texts.length}`, `special ${bad.special.length}`, `pairs ${bad.pairs.length}/${ref.pairs.length}`, `e.g. ${bad.plain.slice(0, 6).map((i) => JSON.stringify(ref.texts[i].slice(0, 14))).join(' ')}`, `${(performance.now() - t0).toFixed(0)} ms`)
}
