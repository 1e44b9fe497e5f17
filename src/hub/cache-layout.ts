import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { RmbenchError } from '../errors.ts'
import { walkFiles } from '../util/walk-files.ts'
import { writeAtomic } from '../util/write-atomic.ts'
import type { RepoRef } from './hub-uri.ts'

const SHA40 = /^[0-9a-f]{40}$/
const ETAG = /^([0-9a-f]{40}|[0-9a-f]{64})$/

/**
 * A repo path or revision as cache path segments, refused when it could leave its folder: an empty, `.` or `..`
 * segment, a leading `/`, a backslash or a NUL. Revisions and paths come from suites and from the hub's own answers
 * (tree listings); neither may make rmbench write or read outside the cache.
 */
export function safeSegments(value: string, what: string): string[] {
  const segs = value.split('/')
  if (!value || segs.some((x) => x === '' || x === '.' || x === '..') || /[\\\u0000]/.test(value))
    throw new RmbenchError('E_HUB_HTTP', `${what} '${value.slice(0, 120)}' is not a safe path (an empty, '.' or '..' segment, a leading '/', a backslash or a NUL); refusing to use it in the cache.`)
  return segs
}

/**
 * huggingface_hub's cache layout, so Python's cache and rmbench's are one:
 * `<cache>/<type>s--<org>--<name>/{blobs/<etag>, snapshots/<sha>/<path> → ../../blobs/<etag>, refs/<revision>}`.
 */
export class CacheLayout {
  constructor(readonly cacheDir: string) {}

  /** The folder of one repository. */
  repoDir(repo: RepoRef): string {
    return join(this.cacheDir, `${repo.type}s--${repo.name.split('/').join('--')}`)
  }

  /** The commit sha a branch or tag pointed at when it was last resolved online. */
  readRef(repo: RepoRef, revision: string): string | undefined {
    const f = join(this.repoDir(repo), 'refs', ...safeSegments(revision, 'revision'))
    if (!existsSync(f)) return undefined
    const sha = readFileSync(f, 'utf8').trim()
    return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined
  }

  /** Records a resolved revision (written whole, then renamed, so a reader never sees half a sha). */
  writeRef(repo: RepoRef, revision: string, sha: string): void {
    if (revision === sha) return
    const f = join(this.repoDir(repo), 'refs', ...safeSegments(revision, 'revision'))
    mkdirSync(dirname(f), { recursive: true })
    writeAtomic(f, sha)
  }

  /** Where a file of a snapshot lives. */
  snapshotFile(repo: RepoRef, sha: string, path: string): string {
    if (!SHA40.test(sha)) throw new RmbenchError('E_HUB_HTTP', `'${sha.slice(0, 60)}' is not a commit sha; refusing to use it in the cache.`)
    return join(this.repoDir(repo), 'snapshots', sha, ...(path === '' ? [] : safeSegments(path, 'file path')))
  }

  /** Where a blob lives (named by its etag: the LFS sha256 or the git blob sha1). */
  blobFile(repo: RepoRef, etag: string): string {
    if (!ETAG.test(etag)) throw new RmbenchError('E_HUB_HTTP', `the hub's checksum '${etag.slice(0, 80)}' is not a sha1 or sha256; refusing to use it as a cache file name.`)
    return join(this.repoDir(repo), 'blobs', etag)
  }

  /**
   * True when the snapshot file exists and resolves to a regular file inside the cache (a snapshot entry is a link to
   * a blob; one that points elsewhere, planted or copied in, is not the cache's and is not used).
   */
  has(repo: RepoRef, sha: string, path: string): boolean {
    const file = this.snapshotFile(repo, sha, path)
    try {
      if (!statSync(file).isFile()) return false
      const root = realpathSync(this.cacheDir)
      return realpathSync(file).startsWith(root + sep)
    } catch {
      return false
    }
  }

  /** Where the file list of a snapshot (under a folder) is kept, as the hub gave it online. */
  private listingFile(repo: RepoRef, sha: string, under: string): string {
    if (!SHA40.test(sha)) throw new RmbenchError('E_HUB_HTTP', `'${sha.slice(0, 60)}' is not a commit sha.`)
    return join(this.repoDir(repo), 'rmbench-listings', sha, `${createHash('sha256').update(under).digest('hex').slice(0, 16)}.json`)
  }

  /**
   * Records what a listing held online, so an offline run knows the whole list a glob or split resolved to and can
   * name what the cache lacks, instead of running over the files that happen to be cached.
   */
  writeListing(repo: RepoRef, sha: string, under: string, files: { path: string; size: number; oid?: string; lfsSha256?: string }[]): void {
    try {
      const f = this.listingFile(repo, sha, under)
      mkdirSync(dirname(f), { recursive: true })
      writeAtomic(f, JSON.stringify({ under, files }))
    } catch { /* a cache we cannot write: offline runs will say the list is unknown */ }
  }

  /** The listing recorded online for a snapshot (under a folder), or null when none was. */
  readListing(repo: RepoRef, sha: string, under: string): { path: string; size: number; oid?: string; lfsSha256?: string }[] | null {
    try {
      const v = JSON.parse(readFileSync(this.listingFile(repo, sha, under), 'utf8')) as { under?: unknown; files?: unknown }
      if (v.under !== under || !Array.isArray(v.files)) return null
      return v.files.filter((f) => f && typeof f.path === 'string' && typeof f.size === 'number')
    } catch {
      return null
    }
  }

  /** Points a snapshot path at a blob with a relative symlink, as huggingface_hub does (a copy where links are refused). */
  link(repo: RepoRef, sha: string, path: string, etag: string): string {
    const target = this.snapshotFile(repo, sha, path)
    const blob = this.blobFile(repo, etag)
    mkdirSync(dirname(target), { recursive: true })
    const tmp = `${target}.${process.pid}.tmp`
    rmSync(tmp, { force: true })
    try {
      symlinkSync(relative(dirname(target), blob), tmp)
    } catch {
      copyFileSync(blob, tmp)
    }
    renameSync(tmp, target)
    return target
  }

  /** Every file of a cached snapshot (under a folder, when given), as repo paths; half-made links are not files. */
  listSnapshot(repo: RepoRef, sha: string, under = ''): { path: string; size: number }[] {
    if (under) safeSegments(under, 'folder')
    return walkFiles(join(this.repoDir(repo), 'snapshots', sha), under).filter((f) => !f.path.endsWith('.tmp'))
  }
}
