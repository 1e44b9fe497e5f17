import { isAbsolute, relative } from 'node:path'

/** Where the CLI writes: stdout for results, stderr for progress, warnings and errors. Injectable for tests. */
export interface CliIO {
  out(text: string): void
  err(text: string): void
  isTTY: boolean
}

/** The process's own streams. */
export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
}

/** A path as a person reads it on the console: relative to the working folder when it lies inside it. */
export function shownPath(path: string, cwd = process.cwd()): string {
  const r = relative(cwd, path)
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : path
}
