import { createHash } from 'node:crypto'
import { createReadStream, realpathSync, statSync } from 'node:fs'
import { sha256 } from './hash.ts'
import type { Memo } from './memo.ts'

/** Hex sha256 of a file's bytes, streamed (model weights can be gigabytes). */
export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer)
  return h.digest('hex')
}

/**
 * hashFile, remembered by the file's identity (real path, size, mtime, inode) so an unchanged multi-gigabyte
 * model is read once, not on every run. Same rule as make and git's index: a rewrite changes mtime or size.
 */
export async function hashFileMemo(file: string, memo: Memo | undefined): Promise<string> {
  if (!memo) return hashFile(file)
  const st = statSync(file)
  const key = sha256(JSON.stringify([realpathSync(file), st.size, st.mtimeMs, st.ino]))
  const known = memo.recall<string>('file-hashes', key)
  if (known && /^[0-9a-f]{64}$/.test(known)) return known
  const digest = await hashFile(file)
  memo.remember('file-hashes', key, digest)
  return digest
}
