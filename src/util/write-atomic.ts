import { renameSync, writeFileSync } from 'node:fs'

/** Writes a file by rename, so a reader never sees half of it. */
export function writeAtomic(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}
