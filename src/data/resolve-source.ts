import { existsSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { RmbenchError } from '../errors.ts'
import { assertRegularFile } from '../util/regular-file.ts'
import { pickDatasetFiles } from '../hub/dataset-files.ts'
import { globBase, globToRegExp, hasGlob } from '../hub/glob.ts'
import type { Hub } from '../hub/hub-client.ts'
import { formatLocation, isHubSource, parseHubSource } from '../hub/hub-uri.ts'
import type { SourceSpec } from '../suite/types.ts'
import { hashFile, hashFileMemo } from '../util/hash-file.ts'
import type { Memo } from '../util/memo.ts'
import { walkFiles } from '../util/walk-files.ts'
import { formats } from './formats/registry.ts'

/** One file of a source, ready to read. */
export interface SourceFile {
  /** Where it is on disk. */
  local: string
  /** How messages name it (cwd-relative path, or the hf:// location). */
  shown: string
  /** The key a sha256 pin uses: the repo path for hub files, the suite-relative path for local ones. */
  key: string
  sha256: string
  size: number
}

/** Where a source's bytes came from: recorded in results.json. */
export interface SourceProvenance {
  source: string
  repo?: string
  revision?: string
  commit?: string
  files: { path: string; sha256: string; size: number }[]
  rowsSha256?: string
}

function shownPath(file: string): string {
  const rel = relative(process.cwd(), file)
  return rel.startsWith('..') ? file : rel
}

function localFiles(src: SourceSpec, baseDir: string): string[] {
  if (!hasGlob(src.source)) {
    const file = resolve(baseDir, src.source)
    if (!existsSync(file)) throw new RmbenchError('E_DATA_NOT_FOUND', `data file ${shownPath(file)} not found (data.source '${src.source}' is resolved against the suite's folder).`, { file })
    assertRegularFile(file, 'E_DATA_NOT_FOUND', 'data source')
    return [file]
  }
  const re = globToRegExp(src.source.replace(/^\.\//, ''))
  const out = walkFiles(baseDir, globBase(src.source)).filter((f) => re.test(f.path)).map((f) => join(baseDir, f.path))
  if (!out.length) throw new RmbenchError('E_DATA_NOT_FOUND', `data.source '${src.source}' matches no file (relative to ${shownPath(baseDir) || '.'}).`, { source: src.source })
  for (const f of out) assertRegularFile(f, 'E_DATA_NOT_FOUND', `data.source '${src.source}' matches`)
  return out
}

/** Checks a source's file pins: a single hash for a single file, or a map that names every file. */
function checkPins(src: SourceSpec, files: SourceFile[], suiteFile: string): void {
  if (src.sha256 === undefined) return
  const pins = typeof src.sha256 === 'string' ? null : src.sha256
  if (!pins) {
    if (files.length !== 1) throw new RmbenchError('E_DATA_HASH', `${suiteFile}: data source '${src.source}' has ${files.length} files but one sha256; pin each as sha256: { <path>: <hash> } (rmbench fetch prints them).`)
    if (files[0].sha256 !== src.sha256) throw new RmbenchError('E_DATA_HASH', `${files[0].shown}: sha256 mismatch — the suite pins ${src.sha256}, the file has ${files[0].sha256}. The data changed; re-pin deliberately (rmbench fetch --pin) or restore the pinned bytes.`, { expected: src.sha256, actual: files[0].sha256 })
    return
  }
  for (const f of files) {
    const want = pins[f.key]
    if (!want) throw new RmbenchError('E_DATA_HASH', `${f.shown}: not pinned — the suite's sha256 map for '${src.source}' has no entry '${f.key}' (sha256 ${f.sha256}). Add it, or narrow the source.`, { actual: f.sha256 })
    if (want !== f.sha256) throw new RmbenchError('E_DATA_HASH', `${f.shown}: sha256 mismatch — the suite pins ${want}, the file has ${f.sha256}. The data changed; re-pin deliberately (rmbench fetch --pin) or restore the pinned bytes.`, { expected: want, actual: f.sha256 })
  }
  for (const key of Object.keys(pins))
    if (!files.some((f) => f.key === key)) throw new RmbenchError('E_DATA_HASH', `${suiteFile}: sha256 pin '${key}' names no file of data source '${src.source}' (it has ${files.map((f) => f.key).join(', ')}).`)
}

/**
 * Resolves a source to local files (downloading hub files into the shared cache) and checks its pins. With a memo,
 * a local file's hash is remembered by its identity (as the model's weights are).
 */
export async function resolveSource(src: SourceSpec, baseDir: string, suiteFile: string, hub: () => Hub, memo?: Memo): Promise<{ files: SourceFile[]; provenance: SourceProvenance }> {
  const files: SourceFile[] = []
  let prov: SourceProvenance
  if (isHubSource(src.source)) {
    const loc = parseHubSource(src.source)
    const h = hub()
    const commit = await h.resolveRevision(loc.repo, loc.revision)
    const extensions = src.format ? formats.get(src.format).extensions : formats.names().flatMap((n) => formats.get(n).extensions)
    const picked = await pickDatasetFiles(h, loc, commit, { split: src.split, config: src.config, extensions })
    if (h.settings.offline) {
      const absent = picked.filter((e) => !h.cache.has(loc.repo, commit, e.path))
      if (absent.length) throw h.offlineError(`${absent.length} of the ${picked.length} files of ${formatLocation({ ...loc, revision: commit.slice(0, 12), path: loc.path })} (${absent.slice(0, 6).map((e) => e.path).join(', ')}${absent.length > 6 ? ', …' : ''})`)
    }
    for (const entry of picked) {
      const local = await h.download(loc.repo, commit, entry)
      // Hashed from the cached bytes, not taken from the listing, so a pin also catches a damaged cache.
      files.push({ local, shown: formatLocation({ ...loc, revision: commit.slice(0, 12), path: entry.path }), key: entry.path, sha256: await hashFile(local), size: entry.size })
    }
    prov = { source: src.source, repo: `${loc.repo.type}s/${loc.repo.name}`, revision: loc.revision, commit, files: [] }
  } else {
    if (src.split || src.config) throw new RmbenchError('E_SUITE_SCHEMA', `${suiteFile}: data source '${src.source}': split and config apply to hf:// sources only.`)
    for (const local of localFiles(src, baseDir))
      files.push({ local, shown: shownPath(local), key: relative(baseDir, local).split(/[\\/]/).join('/'), sha256: await hashFileMemo(local, memo), size: statSync(local).size })
    prov = { source: src.source, files: [] }
  }
  checkPins(src, files, suiteFile)
  prov.files = files.map((f) => ({ path: f.key, sha256: f.sha256, size: f.size }))
  return { files, provenance: prov }
}
