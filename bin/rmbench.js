#!/usr/bin/env node
// Runs the bundled CLI (dist/cli/rmbench.cjs, built by `npm run build`, which `npm install` runs) when it is newer
// than every source file; otherwise the TypeScript sources through tsx's loader, so an edit never runs stale
// code. The bundle only saves start-up time (one file instead of a few hundred modules through a loader).
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import module, { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'

// Node 22+ keeps V8's compiled code of ES modules on disk (this file, and tsx's sources path); Node 20 lacks it.
module.enableCompileCache?.()

const src = fileURLToPath(new URL('../src', import.meta.url))
const bundle = fileURLToPath(new URL('../dist/cli/rmbench.cjs', import.meta.url))

// Whether anything under dir changed after `built`. Folders count too: adding, removing or renaming a file changes
// its folder's time. A walk by hand, with the entries' types from readdir, takes ~3 ms here against ~11 ms for
// readdirSync's recursive mode (which stats nothing but is slower in Node 20).
function changedSince(dir, built) {
  if (statSync(dir).mtimeMs > built) return true
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${e.name}`
    if (e.isDirectory() ? changedSince(path, built) : statSync(path).mtimeMs > built) return true
  }
  return false
}

function bundleIsCurrent() {
  if (process.env.RMBENCH_FROM_SOURCE === '1' || !existsSync(bundle)) return false
  return !changedSince(src, statSync(bundle).mtimeMs)
}

/**
 * Runs the bundle as a script compiled with V8's code cache, kept beside it: parsing and compiling the bundle's
 * functions is ~80 ms of a warm re-run, ~15 ms once restored. V8 checks the cache against its own version and
 * flags but knows the source only by its length, so the cache file starts with the bundle's sha256 and is used
 * only for that exact text. It is written after a run, so it holds the functions that run compiled; if it cannot
 * be written (a read-only install), nothing is lost but the time.
 */
async function runBundle(argv) {
  const code = readFileSync(bundle, 'utf8')
  const digest = Buffer.from(createHash('sha256').update(code).digest('hex'))
  const cacheFile = `${bundle}.v8-cache`
  let cachedData
  try {
    const kept = readFileSync(cacheFile)
    if (kept.subarray(0, digest.length).equals(digest)) cachedData = kept.subarray(digest.length)
  } catch {}
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __rmbenchHostImport) {${code}\n})`, { filename: bundle, cachedData })
  const cjs = { exports: {} }
  // The bundle's import()s of on-demand packages come here (see src/util/import-module.ts); they resolve from bin/
  // as from dist/cli/, in the same node_modules.
  script.runInThisContext()(cjs.exports, createRequire(bundle), cjs, bundle, dirname(bundle), (specifier) => import(specifier))
  await cjs.exports.runMain(argv)
  if (cachedData && !script.cachedDataRejected) return
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`
    writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]))
    renameSync(tmp, cacheFile)
  } catch {}
}

if (bundleIsCurrent()) await runBundle(process.argv.slice(2))
else {
  const { register } = await import('tsx/esm/api')
  register()
  const main = await import('../src/cli/main.ts')
  await main.runMain(process.argv.slice(2))
}
