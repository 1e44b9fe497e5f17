import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Plugin } from 'esbuild'
import { sha256 } from '../util/hash.ts'
import type { Memo } from '../util/memo.ts'
import { packageVersion } from '../util/package-version.ts'
import { importModule } from '../util/import-module.ts'

/** Leaves every package import to Node except rmbench's own (its `rmbench/config` helper is bundled in). */
const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (a) => (a.path === 'rmbench' || a.path.startsWith('rmbench/') ? undefined : { external: true }))
  },
}

/** A bundled TypeScript config as remembered: its code (null: it imports packages, so tsx loads it) and what it was built from. */
interface CompiledConfig { esbuild: string; inputs: [file: string, sha256: string][]; code: string | null }

const fileHash = (file: string): string | null => {
  try {
    return sha256(readFileSync(file))
  } catch {
    return null
  }
}

async function compile(file: string): Promise<CompiledConfig> {
  const esbuild = await importModule<typeof import('esbuild')>('esbuild')
  const out = await esbuild.build({ entryPoints: [file], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', metafile: true, logLevel: 'silent', plugins: [packagesExternal] })
  const inputs = Object.keys(out.metafile.inputs).map((f) => resolve(f)).map((f): [string, string] => [f, fileHash(f) ?? ''])
  const imports = Object.values(out.metafile.outputs).flatMap((o) => o.imports)
  const code = imports.some((i) => i.external && !i.path.startsWith('node:')) ? null : Buffer.from(out.outputFiles[0].contents).toString('utf8')
  return { esbuild: packageVersion('esbuild'), inputs, code }
}

/** Whether a remembered build still stands: same esbuild, and every file it read unchanged. */
const isCurrent = (c: CompiledConfig): boolean => c.esbuild === packageVersion('esbuild') && c.inputs.every(([f, h]) => fileHash(f) === h)

/**
 * Imports a bench.config file. TypeScript is bundled by esbuild (with the local files it imports) and imported
 * from memory; a config that imports other packages (Node's built-ins aside) goes through tsx's loader instead,
 * since a module held in memory cannot resolve package names. With a memo, the bundle is remembered with the
 * hashes of the files it was built from, so a config that did not change is not built again: esbuild's start
 * and build are ~70 ms of every run.
 */
export async function importConfig(file: string, memo?: Memo): Promise<unknown> {
  const url = pathToFileURL(file).href
  if (!/\.[cm]?ts$/.test(file)) return importModule(url)
  const key = sha256(file)
  const known = memo?.recall<CompiledConfig>('configs', key)
  let compiled = known && Array.isArray(known.inputs) && isCurrent(known) ? known : null
  if (!compiled) {
    compiled = await compile(file)
    memo?.remember('configs', key, compiled)
  }
  if (compiled.code === null) {
    const { tsImport } = await importModule<typeof import('tsx/esm/api')>('tsx/esm/api')
    return tsImport(url, import.meta.url)
  }
  return importModule(`data:text/javascript;base64,${Buffer.from(compiled.code).toString('base64')}`)
}
