import { readFileSync, statSync } from 'node:fs'
import { RmbenchError, type ErrorCode } from '../errors.ts'

/** What a path is when it is not a regular file, in words; null when it is one. */
function notAFile(path: string): string | null {
  const st = statSync(path)
  if (st.isFile()) return null
  if (st.isDirectory()) return 'is a folder, not a file'
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a file: reading it could wait forever'
  if (st.isSocket()) return 'is a socket, not a file'
  return 'is a device, not a regular file'
}

/** An OS error as a reason a person can act on. */
export function osReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return 'not found'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'is a folder, not a file'
  if (code === 'ELOOP') return 'a symbolic link loop'
  if (code === 'ENAMETOOLONG') return 'the path is too long'
  return code ?? (e as Error)?.message ?? String(e)
}

/**
 * Throws a coded error (`code`, naming `what` and the path) unless `path` is a regular file that exists: a folder, a
 * FIFO or a device where a file is expected is refused before anything reads it, so nothing blocks on a pipe.
 */
export function assertRegularFile(path: string, code: ErrorCode, what: string): void {
  let why: string | null
  try {
    why = notAFile(path)
  } catch (e) {
    why = osReason(e)
  }
  if (why) throw new RmbenchError(code, `${what} ${path}: ${why}.`, { file: path })
}

/** A regular file's text, or a coded error naming it and why it cannot be read. */
export function readTextFile(path: string, code: ErrorCode, what: string): string {
  assertRegularFile(path, code, what)
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new RmbenchError(code, `${what} ${path}: cannot be read (${osReason(e)}).`, { file: path })
  }
}
