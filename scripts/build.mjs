// Bundles the CLI (`npm run build`, run by `npm install` through `prepare`). Start-up time is the point: Node
// loads one file instead of a few hundred modules through a loader, and the small pure-JavaScript packages every
// run needs are inlined, so resolving and compiling them does not happen package by package. Packages with
// native parts, and the big ones only some commands load on demand (vega, the hub client), stay external.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

const INLINE = new Set(['commander', 'yaml', 'csv-parse', '@huggingface/tokenizers', '@huggingface/jinja', 'ajv'])
const deps = Object.keys(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).dependencies)
const external = deps.filter((d) => !INLINE.has(d)).flatMap((d) => [d, `${d}/*`])
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', minifyWhitespace: true, minifySyntax: true }

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/rmbench.mjs',
  format: 'esm',
  external,
  // Inlined CommonJS packages call require(), which an ES module lacks.
  banner: { js: "import { createRequire as __rmbenchRequire } from 'node:module'; const require = __rmbenchRequire(import.meta.url);" },
})
// The tokenizer thread's code: a worker cannot use tsx's loader, so it gets one self-contained CommonJS file.
await build({ ...common, entryPoints: ['src/runners/onnx/encode-worker.ts'], outfile: 'dist/cli/encode-worker.cjs', format: 'cjs' })
