#!/usr/bin/env node
// Runs the compiled CLI (dist/, from `npm run build`, which `npm install` runs in a clone and `npm pack` runs before
// packing). In a clone, while any file or folder under src/ is newer than the build, it runs the TypeScript sources
// through tsx (a dev dependency) instead, so an edit never runs stale code. An installed package has no src/.
import { existsSync, readdirSync, statSync } from 'node:fs'
import module from 'node:module'
import { fileURLToPath } from 'node:url'

// Node 22.1+ keeps V8's compiled code of ES modules on disk between runs; Node 20 has no such cache.
module.enableCompileCache?.()

const src = fileURLToPath(new URL('../src', import.meta.url))
const stamp = fileURLToPath(new URL('../dist/.built', import.meta.url))

// Whether anything under dir changed after `built`. Folders count too: adding, removing or renaming a file changes
// its folder's time.
function changedSince(dir, built) {
  if (statSync(dir).mtimeMs > built) return true
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${e.name}`
    if (e.isDirectory() ? changedSince(path, built) : statSync(path).mtimeMs > built) return true
  }
  return false
}

function buildIsCurrent() {
  if (process.env.RMBENCH_FROM_SOURCE === '1' && existsSync(src)) return false
  if (!existsSync(stamp)) return !existsSync(src)
  return !existsSync(src) || !changedSince(src, statSync(stamp).mtimeMs)
}

if (buildIsCurrent()) {
  const { runMain } = await import('../dist/cli/main.js')
  await runMain(process.argv.slice(2))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  const { runMain } = await import('../src/cli/main.ts')
  await runMain(process.argv.slice(2))
}
