// `npm run build` (run by `npm install` in a clone through `prepare`, and before `npm pack`): compiles src/ to
// dist/ as ES modules with .d.ts files, with TypeScript itself. One output serves the CLI (bin/rmbench.js) and the
// library (package.json exports). A plain multi-file build was measured against a single-file bundle run with V8's
// code cache: 85 ms slower on a warm re-run and 80 ms on --help (bench/README.md), too little to keep the machinery.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'

rmSync('dist', { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
if (r.status !== 0) process.exit(r.status ?? 1)

// The schema validators are generated JavaScript (npm run schemas), not compiled: copied as they are.
for (const f of ['schema-validators.generated.js', 'schema-validators.generated.d.ts']) copyFileSync(join('src/suite', f), join('dist/suite', f))
// The explorer page's script is browser JavaScript read as text at run time (its hash goes into the page's CSP).
for (const f of ['explorer-diff.js', 'explorer-filters.js', 'explorer-view.js']) copyFileSync(join('src/report/explorer', f), join('dist/report/explorer', f))
// The named chat templates are Jinja files (the reference script renders the same bytes with transformers).
mkdirSync('dist/runners/onnx/templates', { recursive: true })
for (const f of readdirSync('src/runners/onnx/templates')) copyFileSync(join('src/runners/onnx/templates', f), join('dist/runners/onnx/templates', f))
// So are the bundled judge prompts (src/judges/templates/*.txt), whose bytes the prompt hash covers.
mkdirSync('dist/judges/templates', { recursive: true })
for (const f of readdirSync('src/judges/templates')) copyFileSync(join('src/judges/templates', f), join('dist/judges/templates', f))

// tsc rewrites the sources' `./x.ts` imports to `./x.js` in JavaScript but keeps them in declarations, which a
// consumer's TypeScript (without allowImportingTsExtensions) rejects: rewrite those too.
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
for (const file of walk('dist').filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8')
  const fixed = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1$2.js$3')
  if (fixed !== text) writeFileSync(file, fixed)
}
// Written last: bin/rmbench.js runs dist/ only while nothing under src/ is newer than this.
writeFileSync('dist/.built', `${new Date().toISOString()}\n`)
