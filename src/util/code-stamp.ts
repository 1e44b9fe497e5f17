import { readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
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
 * code last changed. The bundled CLI is one file, rebuilt with every change, so its own time says it. From the
 * sources (a developer's edit, tests), any file under src/ may have changed: the newest of them says it, so an
 * edited loader or bootstrap never reads a fact its old code derived.
 */
export function codeStampOf(file: string): string {
  const changed = file.endsWith('.ts') ? newestMtime(fileURLToPath(new URL('..', `file://${file}`))) : statSync(file).mtimeMs
  return `${rmbenchVersion()}:${changed}`
}

let stamp: string | undefined
/** codeStampOf the code running now, worked out once per process. */
export function codeStamp(): string {
  return (stamp ??= codeStampOf(fileURLToPath(import.meta.url)))
}
