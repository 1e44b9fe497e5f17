import { pathToFileURL } from 'node:url'
import type { Plugin } from 'esbuild'

/** Leaves every package import to Node except rmbench's own (its `rmbench/config` helper is bundled in). */
const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (a) => (a.path === 'rmbench' || a.path.startsWith('rmbench/') ? undefined : { external: true }))
  },
}

/**
 * Imports a bench.config file. TypeScript is bundled by esbuild (with the local files it imports) and imported
 * from memory, ~50 ms; a config that imports other packages (Node's built-ins aside) goes through tsx's loader instead (~150 ms), since
 * a module held in memory cannot resolve package names.
 */
export async function importConfig(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href
  if (!/\.[cm]?ts$/.test(file)) return import(url)
  const esbuild = await import('esbuild')
  const out = await esbuild.build({ entryPoints: [file], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', metafile: true, logLevel: 'silent', plugins: [packagesExternal] })
  const imports = Object.values(out.metafile.outputs).flatMap((o) => o.imports)
  if (imports.some((i) => i.external && !i.path.startsWith('node:'))) {
    const { tsImport } = await import('tsx/esm/api')
    return tsImport(url, import.meta.url)
  }
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].contents).toString('base64')}`)
}
