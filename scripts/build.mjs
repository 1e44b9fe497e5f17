// Bundles the CLI (`npm run build`, run by `npm install` through `prepare`). Start-up time is the point: Node
// loads one file instead of a few hundred modules through a loader, and the small pure-JavaScript packages every
// run needs are inlined, so resolving and compiling them does not happen package by package. Packages with
// native parts, and the big ones only some commands load on demand (vega, the hub client), stay external.
//
// The bundle is CommonJS so that bin/rmbench.js can run it as a vm.Script with V8's code cache: Node 20 has no
// compile cache for ES modules, and compiling the bundle's code is a third of a warm re-run's time.
import { readFileSync, rmSync } from 'node:fs'
import { relative } from 'node:path'
import { build } from 'esbuild'

const INLINE = new Set(['commander', 'yaml', 'csv-parse', '@huggingface/tokenizers', '@huggingface/jinja', 'ajv'])
const deps = Object.keys(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).dependencies)
const external = deps.filter((d) => !INLINE.has(d)).flatMap((d) => [d, `${d}/*`])
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', minifyWhitespace: true, minifySyntax: true }
const HOST_IMPORT = 'src/util/import-module.ts'

rmSync('dist/cli', { recursive: true, force: true })
const cli = await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/rmbench.cjs',
  format: 'cjs',
  external,
  metafile: true,
  // The sources are ES modules: import.meta.url becomes the bundle's own URL, which is where they expect to be.
  define: { 'import.meta.url': '__rmbenchUrl' },
  banner: { js: "'use strict'; const __rmbenchUrl = require('node:url').pathToFileURL(__filename).href;" },
})
// Code restored from V8's cache cannot run import() in Node 20: every one must go through importModule, which
// uses the bin's own import there.
// The metafile names literal ones; the text count catches the rest (importModule's own is the one expected).
const stray = Object.entries(cli.metafile.inputs).flatMap(([file, input]) =>
  input.imports.filter((i) => i.kind === 'dynamic-import' && relative('.', file) !== HOST_IMPORT).map((i) => `${file}: import('${i.path}')`))
const calls = readFileSync('dist/cli/rmbench.cjs', 'utf8').match(/(?<![\w$.])import\(/g)?.length ?? 0
if (calls !== 1) stray.push(`dist/cli/rmbench.cjs has ${calls} import( calls, where importModule's is the only one expected`)
if (stray.length) {
  console.error(`build: dynamic import() outside ${HOST_IMPORT}; use importModule instead:\n  ${stray.join('\n  ')}`)
  process.exit(1)
}
// The tokenizer thread's code: a worker cannot use tsx's loader, so it gets one self-contained CommonJS file.
await build({ ...common, entryPoints: ['src/runners/onnx/encode-worker.ts'], outfile: 'dist/cli/encode-worker.cjs', format: 'cjs' })
