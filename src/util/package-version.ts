import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/**
 * An installed dependency's version, read from its package.json without loading the package (found from its
 * resolved entry, since packages with an exports map, like vega, do not export package.json); 'unknown' if not found.
 */
export function packageVersion(name: string): string {
  try {
    for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
      const file = join(dir, 'package.json')
      if (!existsSync(file)) continue
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === name) return String(pkg.version)
    }
  } catch { /* not installed */ }
  return 'unknown'
}
