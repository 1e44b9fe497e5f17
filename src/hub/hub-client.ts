import { createHash } from 'node:crypto'
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { RmbenchError, isRmbenchError } from '../errors.ts'
import { CacheLayout, safeSegments } from './cache-layout.ts'
import { hubHttpError, hubUnreachable, type HubTarget } from './hub-errors.ts'
import { formatLocation, type RepoRef } from './hub-uri.ts'
import type { HubSettings } from './settings.ts'

/** A file of a repository at a commit, as the tree API lists it. */
export interface HubFile {
  path: string
  size: number
  /** Git blob sha1 (regular files). */
  oid?: string
  /** LFS sha256 (large files). */
  lfsSha256?: string
}

/** Download progress of one file. */
export interface HubProgress { file: string; received: number; total: number; cached: boolean }

const SHA = /^[0-9a-f]{40}$/
const ATTEMPTS = 4

type HubLib = typeof import('@huggingface/hub')

/** Checksum the hub promises for a file: sha256 for LFS, git's blob sha1 otherwise. */
async function verify(file: string, entry: HubFile): Promise<string | undefined> {
  const h = createHash(entry.lfsSha256 ? 'sha256' : 'sha1')
  if (!entry.lfsSha256) h.update(`blob ${entry.size}\0`)
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer)
  const got = h.digest('hex')
  const want = entry.lfsSha256 ?? entry.oid
  return want && got !== want ? got : undefined
}

/**
 * The one door to the Hugging Face Hub: revisions resolved to commit shas, listings, and downloads into the
 * huggingface_hub cache layout (resumed, verified, renamed into place whole), or the cache alone when offline.
 */
export class Hub {
  readonly cache: CacheLayout
  private lib?: HubLib

  constructor(readonly settings: HubSettings, private readonly onProgress?: (p: HubProgress) => void) {
    this.cache = new CacheLayout(settings.cacheDir)
  }

  private async hub(): Promise<HubLib> {
    this.lib ??= await import('@huggingface/hub')
    return this.lib
  }

  /** The library's calls with our endpoint, token and a fetch that turns failures into coded errors. */
  private params(target: HubTarget) {
    const s = this.settings
    const guarded: typeof fetch = async (input, init) => {
      let res: Response
      try {
        res = await s.fetch(input, init)
      } catch (e) {
        throw hubUnreachable(e, target, s)
      }
      const err = hubHttpError(res, target, s)
      if (err) {
        await res.body?.cancel().catch(() => {})
        throw err
      }
      return res
    }
    if (s.token && !s.token.startsWith('hf_'))
      throw new RmbenchError('E_HUB_AUTH', `the token from ${s.tokenSource} is not a Hugging Face access token (they start with 'hf_'). Create one at <hub>/settings/tokens.`)
    return { hubUrl: s.endpoint, fetch: guarded, ...(s.token ? { accessToken: s.token } : {}) }
  }

  /** The error for something the cache lacks while offline. */
  offlineError(what: string): RmbenchError {
    return new RmbenchError('E_HUB_OFFLINE', `${what} is not in the hub cache (${this.settings.cacheDir}) and rmbench is offline (--offline or HF_HUB_OFFLINE=1). Run 'rmbench fetch <suite or model>' on a machine with network and copy the cache here, or run online.`)
  }

  /** The commit sha a revision names: from the hub (and recorded in refs/), or from the cache when offline. */
  async resolveRevision(repo: RepoRef, revision: string): Promise<string> {
    if (SHA.test(revision)) return revision
    const where = formatLocation({ repo, revision, path: '' })
    if (this.settings.offline) {
      const sha = this.cache.readRef(repo, revision)
      if (!sha) throw this.offlineError(`revision '${revision}' of ${where}`)
      return sha
    }
    const lib = await this.hub()
    const p = this.params({ what: `resolving ${where}`, repo: repo.name })
    const info = repo.type === 'dataset'
      ? await rethrow(() => lib.datasetInfo({ name: repo.name, revision, additionalFields: ['sha'], ...p }))
      : await rethrow(() => lib.modelInfo({ name: repo.name, revision, additionalFields: ['sha'], ...p }))
    const sha = (info as { sha?: string }).sha
    if (!sha || !SHA.test(sha)) throw new RmbenchError('E_HUB_HTTP', `resolving ${where}: the hub gave no commit sha for revision '${revision}'.`)
    this.cache.writeRef(repo, revision, sha)
    return sha
  }

  /** Files of a repository at a commit (under a folder when given), from the tree API or the cached snapshot when offline. */
  async listFiles(repo: RepoRef, sha: string, under = ''): Promise<HubFile[]> {
    // Offline: the list recorded when this was listed online, else what the snapshot holds (listingKnown says which).
    if (this.settings.offline) return this.cache.readListing(repo, sha, under) ?? this.cache.listSnapshot(repo, sha, under)
    const lib = await this.hub()
    const p = this.params({ what: `listing ${formatLocation({ repo, revision: sha, path: under })}`, repo: repo.name })
    const out: HubFile[] = []
    await rethrow(async () => {
      for await (const e of lib.listFiles({ repo: { type: repo.type, name: repo.name }, revision: sha, path: under || undefined, recursive: true, ...p }))
        if (e.type === 'file') {
          // A hostile or broken hub cannot name a path outside the snapshot.
          safeSegments(e.path, `the hub's listing of ${formatLocation({ repo, revision: sha, path: under })} names a file path`)
          out.push({ path: e.path, size: e.lfs?.size ?? e.size, oid: e.oid, lfsSha256: e.lfs?.oid })
        }
    })
    out.sort((a, b) => (a.path < b.path ? -1 : 1))
    this.cache.writeListing(repo, sha, under, out)
    return out
  }

  /** Offline: whether the whole list of a snapshot folder is known (recorded online), not just what the cache holds. */
  listingKnown(repo: RepoRef, sha: string, under = ''): boolean {
    return !this.settings.offline || this.cache.readListing(repo, sha, under) !== null
  }

  /** A local path for a file of a snapshot: the cache when it has it, else downloaded (resuming a partial blob) and verified. */
  async download(repo: RepoRef, sha: string, entry: HubFile): Promise<string> {
    const where = formatLocation({ repo, revision: sha, path: entry.path })
    if (this.cache.has(repo, sha, entry.path)) {
      this.onProgress?.({ file: where, received: entry.size, total: entry.size, cached: true })
      return this.cache.snapshotFile(repo, sha, entry.path)
    }
    if (this.settings.offline) throw this.offlineError(where)
    const etag = entry.lfsSha256 ?? entry.oid
    if (!etag) throw new RmbenchError('E_HUB_HTTP', `${where}: the hub listed no checksum for this file, so a download could not be verified.`)
    const blob = this.cache.blobFile(repo, etag)
    if (existsSync(blob) && statSync(blob).size === entry.size) return this.cache.link(repo, sha, entry.path, etag)
    mkdirSync(dirname(blob), { recursive: true })
    const partial = `${blob}.incomplete`
    let lastError: unknown
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await this.fetchInto(repo, sha, entry, partial, where)
        const bad = await verify(partial, entry)
        if (bad) {
          rmSync(partial, { force: true })
          lastError = new RmbenchError('E_HUB_CORRUPT', `${where}: downloaded bytes do not match the hub's checksum (expected ${entry.lfsSha256 ?? entry.oid}, got ${bad}); the partial file was discarded.`)
          continue
        }
        renameSync(partial, blob)
        return this.cache.link(repo, sha, entry.path, etag)
      } catch (e) {
        lastError = e
        // Not found, not authorised, offline: retrying cannot help.
        if (isRmbenchError(e) && e.code !== 'E_HUB_UNREACHABLE' && e.code !== 'E_HUB_HTTP') throw e
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt))
      }
    }
    if (isRmbenchError(lastError)) throw lastError
    throw new RmbenchError('E_HUB_HTTP', `${where}: download failed after ${ATTEMPTS} attempts (${(lastError as Error)?.message}). The partial download is kept and resumes on the next run.`)
  }

  /** Appends the missing bytes of a file to its partial blob (HTTP Range from where it stopped). */
  private async fetchInto(repo: RepoRef, sha: string, entry: HubFile, partial: string, where: string): Promise<void> {
    let have = existsSync(partial) ? statSync(partial).size : 0
    if (have > entry.size) {
      rmSync(partial)
      have = 0
    }
    if (have === entry.size) return
    const lib = await this.hub()
    const p = this.params({ what: `downloading ${where}`, repo: repo.name })
    const file = await rethrow(() => lib.downloadFile({ repo: { type: repo.type, name: repo.name }, path: entry.path, revision: sha, ...p }))
    if (!file) throw new RmbenchError('E_HUB_NOT_FOUND', `${where}: no such file at that revision.`)
    let received = have
    const body = Readable.fromWeb(file.slice(have).stream() as WebReadableStream)
    // Each chunk is written before the next is read, so the partial blob always holds exactly what arrived.
    const fd = openSync(partial, have ? 'a' : 'w')
    try {
      for await (const chunk of body) {
        writeSync(fd, chunk as Buffer)
        received += (chunk as Buffer).length
        this.onProgress?.({ file: where, received, total: entry.size, cached: false })
      }
    } catch (e) {
      throw isRmbenchError(e) ? e : hubUnreachable(e, { what: `downloading ${where}`, repo: repo.name }, this.settings)
    } finally {
      closeSync(fd)
    }
    const size = statSync(partial).size
    if (size < entry.size) throw hubUnreachable(new Error(`connection closed after ${size} of ${entry.size} bytes`), { what: `downloading ${where}`, repo: repo.name }, this.settings)
  }
}

/** Library errors that escaped the guarded fetch (format errors, token checks) as coded errors. */
async function rethrow<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f()
  } catch (e) {
    if (isRmbenchError(e)) throw e
    // The guarded fetch's coded error can arrive wrapped (streams abort with a message string).
    throw new RmbenchError('E_HUB_HTTP', `hub request failed: ${(e as Error)?.message ?? String(e)}`)
  }
}
