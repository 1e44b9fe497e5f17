// Set by bin/rmbench.js around the bundled CLI, absent when running from the sources.
declare const __rmbenchHostImport: ((specifier: string) => Promise<unknown>) | undefined

/**
 * import() of what loads on demand (vega, onnxruntime-node, the hub client, a user's config file). The bundled CLI
 * runs as a script restored from V8's code cache (bin/rmbench.js), and in Node 20 a dynamic import() inside code
 * restored from that cache has no loader to call ("A dynamic import callback was not specified"); so there the bin
 * hands in its own import, and this is the bundle's only import() (scripts/build.mjs checks it). From the sources
 * it is the language's own.
 */
export function importModule<T>(specifier: string): Promise<T> {
  return (typeof __rmbenchHostImport === 'function' ? __rmbenchHostImport(specifier) : import(specifier)) as Promise<T>
}
