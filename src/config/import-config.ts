import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Plugin } from 'esbuild'
import { RmbenchError } from '../errors.ts'
import { sha256 } from '../util/hash.ts'
import type { Memo } from '../util/memo.ts'
import { packageVersion } from '../util/package-version.ts'

/** Leaves every package import to Node except rmbench's own (its `rmbench/config` helper is bundled in). */
const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (a) => (a.path === 'rmbench' || a.path.startsWith('rmbench/') ? undefined : { external: true }))
  },
}

/** A bundled TypeScript config as remembered: its code, whether it imports packages, and what it was built from. */
interface CompiledConfig { esbuild: string; inputs: [file: string, sha256: string][]; code: string; external: boolean }

const fileHash = (file: string): string | null => {
  try {
    return sha256(readFileSync(file))
  } catch {
    return null
  }
}

async function compile(file: string): Promise<CompiledConfig> {
  const esbuild = await import('esbuild')
  const out = await esbuild.build({ entryPoints: [file], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', metafile: true, logLevel: 'silent', plugins: [packagesExternal] })
  const inputs = Object.keys(out.metafile.inputs).map((f) => resolve(f)).map((f): [string, string] => [f, fileHash(f) ?? ''])
  const imports = Object.values(out.metafile.outputs).flatMap((o) => o.imports)
  const external = imports.some((i) => i.external && !i.path.startsWith('node:'))
  return { esbuild: packageVersion('esbuild'), inputs, code: Buffer.from(out.outputFiles[0].contents).toString('utf8'), external }
}

/** Whether a remembered build still stands: same esbuild, and every file it read unchanged. */
const isCurrent = (c: CompiledConfig): boolean => c.esbuild === packageVersion('esbuild') && c.inputs.every(([f, h]) => fileHash(f) === h)

/**
 * Imports a module held in memory. One that imports packages (Node's built-ins aside) must resolve them from the
 * config's folder, which a data: URL cannot: it is written beside the config for the import and removed at once,
 * as Vite does with its own TypeScript config.
 */
async function importCode(file: string, code: string, external: boolean): Promise<unknown> {
  if (!external) return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)
  const tmp = `${file}.timestamp-${Date.now()}-${process.pid}.mjs`
  try {
    writeFileSync(tmp, code)
  } catch (e) {
    throw new RmbenchError('E_CONFIG', `${file}: imports packages, so it is loaded from a compiled copy beside it, which could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); make the folder writable or write the config as bench.config.mjs.`)
  }
  try {
    return await import(pathToFileURL(tmp).href)
  } finally {
    rmSync(tmp, { force: true })
  }
}

/**
 * Imports a bench.config file. TypeScript is bundled by esbuild (with the local files it imports; packages stay
 * imports) and imported from memory. With a memo, the bundle is remembered with the hashes of the files it was
 * built from, so a config that did not change is not built again: esbuild's start and build are ~70 ms of every
 * run. esbuild is loaded only here, for a TypeScript config.
 */
export async function importConfig(file: string, memo?: Memo): Promise<unknown> {
  const url = pathToFileURL(file).href
  if (!/\.[cm]?ts$/.test(file)) return import(url)
  const key = sha256(file)
  const known = memo?.recall<CompiledConfig>('configs', key)
  let compiled = known && Array.isArray(known.inputs) && typeof known.code === 'string' && typeof known.external === 'boolean' && isCurrent(known) ? known : null
  if (!compiled) {
    compiled = await compile(file)
    memo?.remember('configs', key, compiled)
  }
  return importCode(file, compiled.code, compiled.external)
}
