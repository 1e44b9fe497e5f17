#!/usr/bin/env node
// Runs the bundled CLI (dist/cli/rmbench.mjs, built by `npm run build`, which `npm install` runs) when it is newer
// than every source file; otherwise the TypeScript sources through tsx's loader, so an edit never runs stale
// code. The bundle only saves start-up time (one module instead of a few hundred through a loader).
import { existsSync, readdirSync, statSync } from 'node:fs'
import module from 'node:module'
import { fileURLToPath } from 'node:url'

// Node 22+ keeps V8's compiled code of the bundle on disk, so later starts skip parsing it; Node 20 lacks it.
module.enableCompileCache?.()

const src = fileURLToPath(new URL('../src', import.meta.url))
const bundle = fileURLToPath(new URL('../dist/cli/rmbench.mjs', import.meta.url))

function bundleIsCurrent() {
  if (process.env.RMBENCH_FROM_SOURCE === '1' || !existsSync(bundle)) return false
  const built = statSync(bundle).mtimeMs
  for (const f of readdirSync(src, { recursive: true })) if (statSync(`${src}/${f}`).mtimeMs > built) return false
  return true
}

let main
if (bundleIsCurrent()) main = await import('../dist/cli/rmbench.mjs')
else {
  const { register } = await import('tsx/esm/api')
  register()
  main = await import('../src/cli/main.ts')
}
await main.runMain(process.argv.slice(2))
