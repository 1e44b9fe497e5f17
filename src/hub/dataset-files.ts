import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { RmbenchError } from '../errors.ts'
import { globBase, globToRegExp, hasGlob } from './glob.ts'
import type { Hub, HubFile } from './hub-client.ts'
import { formatLocation, type HubLocation } from './hub-uri.ts'

/** A dataset file picked for a source: where it is in the repo and in the cache. */
export interface PickedFile { entry: HubFile; local: string }

/** What a hub source resolved to, for provenance. */
export interface HubResolution { repo: string; revision: string; commit: string; files: PickedFile[] }

interface ReadmeConfig { config_name?: string; data_files?: string | string[] | { split: string; path: string | string[] }[] }

/** The `configs:` a dataset card declares in its YAML front matter (how the hub maps configs and splits to files). */
function readmeConfigs(text: string): ReadmeConfig[] {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)
  if (!m) return []
  try {
    const meta = parseYaml(m[1]) as { configs?: ReadmeConfig[] }
    return Array.isArray(meta?.configs) ? meta.configs : []
  } catch {
    return [] // a broken card falls back to the file-name conventions
  }
}

/** Patterns for a split, from the card when it declares them, else the hub's naming conventions. */
function splitPatterns(split: string, config: string | undefined, declared: ReadmeConfig[]): string[][] {
  const wanted = declared.find((c) => (c.config_name ?? 'default') === (config ?? 'default')) ?? (config ? undefined : declared.length === 1 ? declared[0] : undefined)
  const out: string[][] = []
  if (wanted?.data_files && Array.isArray(wanted.data_files)) {
    for (const d of wanted.data_files) if (typeof d === 'object' && d.split === split) out.push(Array.isArray(d.path) ? d.path : [d.path])
  }
  const dirs = config ? [config, `data/${config}`] : ['data', '']
  for (const d of dirs) {
    const p = d ? d + '/' : ''
    out.push([`${p}${split}-*`], [`${p}${split}.*`], [`${p}${split}/**`])
  }
  return out
}

/** Lists the repository once, then picks the files a source names: a path, a glob, or a split (and config). */
export async function pickDatasetFiles(hub: Hub, loc: HubLocation, sha: string, opts: { split?: string; config?: string; extensions: string[] }): Promise<HubFile[]> {
  const where = formatLocation(loc)
  // Offline, the listing is the cached snapshot: "not found" there means "not fetched".
  const missing = (message: string) => (hub.settings.offline ? hub.offlineError(`${where} (${opts.split ? `split '${opts.split}'` : loc.path || 'its files'})`) : new RmbenchError('E_HUB_NOT_FOUND', message))
  const isData = (p: string) => opts.extensions.some((e) => p.toLowerCase().endsWith('.' + e))
  if (loc.path && !hasGlob(loc.path)) {
    const all = await hub.listFiles(loc.repo, sha, loc.path.includes('/') ? loc.path.slice(0, loc.path.lastIndexOf('/')) : '')
    const exact = all.filter((f) => f.path === loc.path)
    if (exact.length) return exact
    const inside = all.filter((f) => f.path.startsWith(loc.path + '/') && isData(f.path))
    if (inside.length) return inside
    throw missing(`${where}: no such file in ${loc.repo.name} at ${sha.slice(0, 12)}.${suggest(all.map((f) => f.path))}`)
  }
  // Offline, a glob or split is resolved from the list recorded online; without one, the cached files are only
  // the ones that happen to be there, and a run over them would silently drop data.
  const known = (under: string) => {
    if (!hub.listingKnown(loc.repo, sha, under))
      throw hub.offlineError(`the file list of ${where} (${opts.split ? `split '${opts.split}'` : loc.path})`)
  }
  if (loc.path) {
    known(globBase(loc.path))
    const all = await hub.listFiles(loc.repo, sha, globBase(loc.path))
    const re = globToRegExp(loc.path)
    const hits = all.filter((f) => re.test(f.path))
    if (!hits.length) throw missing(`${where}: the pattern matches no file.${suggest(all.map((f) => f.path).filter(isData))}`)
    return hits
  }
  if (opts.split) known('')
  const all = await hub.listFiles(loc.repo, sha)
  if (!opts.split)
    throw new RmbenchError('E_HUB_URI', `${where}: name a file (…/<path or glob>) or a split (split: <name>) of this dataset.${suggest(all.map((f) => f.path).filter(isData))}`)
  const readme = all.find((f) => f.path === 'README.md')
  const declared = readme ? readmeConfigs(readFileSync(await hub.download(loc.repo, sha, readme), 'utf8')) : []
  for (const group of splitPatterns(opts.split, opts.config, declared)) {
    const res = group.map(globToRegExp)
    const hits = all.filter((f) => isData(f.path) && res.some((r) => r.test(f.path)))
    if (hits.length) return hits
  }
  const cfg = opts.config ? ` of config '${opts.config}'` : ''
  throw missing(`${where}: no files for split '${opts.split}'${cfg}.${suggest(all.map((f) => f.path).filter(isData))}`)
}

function suggest(paths: string[]): string {
  if (!paths.length) return ''
  const shown = paths.slice(0, 8).join(', ')
  return ` The repository has: ${shown}${paths.length > 8 ? `, … (${paths.length} files)` : ''}.`
}
