import { readdirSync, statSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { rmbenchVersion } from '../run/provenance.ts'

/** The newest modification time of a folder, anything under it, and its subfolders (a deletion changes a folder's time). */
export function newestMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${e.name}`
    newest = Math.max(newest, e.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/**
 * Which code is running, for memos of derived facts (intervals, dataset hashes): rmbench's version and when its
 * code last changed: the newest file under the code's folder (src/ from the sources, dist/ when compiled), so an
 * edited loader or bootstrap never reads a fact its old code derived. `file` is a module directly in a folder of
 * that tree (util/).
 */
export function codeStampOf(file: string): string {
  return `${rmbenchVersion()}:${newestMtime(fileURLToPath(new URL('..', pathToFileURL(file))))}`
}

let stamp: string | undefined
/** codeStampOf the code running now, worked out once per process. */
export function codeStamp(): string {
  return (stamp ??= codeStampOf(fileURLToPath(import.meta.url)))
}
