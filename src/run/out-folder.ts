import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { RmbenchError } from '../errors.ts'
import { osReason } from '../util/regular-file.ts'
import { writeAtomic } from '../util/write-atomic.ts'

/** Whose run a folder holds: the suite by name and the model by fingerprint (its spec, for messages). */
export interface OutOwner { suite: string; fingerprint: string; model: string }

const LOCK = '.rmbench.lock'
const OWNER = 'run.json'

/** The folder's error for an OS failure: where it cannot be made or written, and what to do. */
function storeError(dir: string, e: unknown): RmbenchError {
  const code = (e as NodeJS.ErrnoException)?.code
  if (code === 'ENOTDIR' || code === 'EEXIST') return new RmbenchError('E_USAGE', `--out ${dir}: a file is in the way (the path or one of its parents is a file, not a folder); choose another --out.`, { dir })
  return new RmbenchError('E_SCORE_STORE', `cannot write the run folder ${dir} (${code === 'EROFS' ? 'a read-only file system' : osReason(e)}); pass another --out.`, { dir })
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the folder's lock file, or says who holds it; a lock left by a process that is gone is taken over. */
function lock(dir: string): () => void {
  const file = join(dir, LOCK)
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }) + '\n')
      closeSync(fd)
      return () => rmSync(file, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw storeError(dir, e)
    }
    let held: { pid?: unknown; host?: unknown } = {}
    try {
      held = JSON.parse(readFileSync(file, 'utf8'))
    } catch { /* a lock torn by a crash: stale */ }
    const here = held.host === hostname()
    if (typeof held.pid === 'number' && (!here || alive(held.pid)))
      throw new RmbenchError('E_OUT_IN_USE', `${dir} is being written by another rmbench (pid ${held.pid}${here ? '' : ` on ${String(held.host)}`}); wait for it to finish, or choose another --out. If no such process runs, delete ${file}.`, { dir })
    unlinkSync(file)
  }
}

/** What run a folder holds, from its run.json, or from what older versions left there (results.json, records.jsonl). */
function heldRun(dir: string): { suite?: string; fingerprints: string[]; model?: string } | null {
  const read = (name: string): Record<string, unknown> | null => {
    try {
      return JSON.parse(readFileSync(join(dir, name), 'utf8'))
    } catch {
      return null
    }
  }
  const owner = read(OWNER) as OutOwner | null
  if (owner) return { suite: owner.suite, fingerprints: [owner.fingerprint], model: owner.model }
  const results = read('results.json') as { suite?: { name?: string }; model?: { fingerprint?: string; spec?: string } } | null
  // A results.json that names no suite or model is still someone's: "?" never equals this run's.
  if (results) return { suite: results.suite?.name ?? '?', fingerprints: [results.model?.fingerprint ?? '?'], model: results.model?.spec }
  if (existsSync(join(dir, 'results.json'))) return { suite: '?', fingerprints: ['?'], model: 'an unreadable results.json' }
  if (!existsSync(join(dir, 'records.jsonl'))) return null
  const fps = new Set<string>()
  for (const line of readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n')) {
    const m = /^\{"fp":"([^"]+)"/.exec(line)
    if (m) fps.add(m[1])
  }
  return { fingerprints: [...fps] }
}

/**
 * Claims a run folder for one run: made if missing, locked against a second process (E_OUT_IN_USE), and refused
 * when it holds a finished or unfinished run of another suite or model (E_OUT_IN_USE naming what is there), unless
 * `force`, which empties it first. The same suite and model again is a resume. Returns the release of the lock.
 */
export function claimOutDir(dir: string, owner: OutOwner, opts: { force?: boolean } = {}): () => void {
  try {
    mkdirSync(dir, { recursive: true })
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
  } catch (e) {
    throw storeError(dir, e)
  }
  const release = lock(dir)
  try {
    const held = heldRun(dir)
    const other = held && ((held.suite !== undefined && held.suite !== owner.suite) || held.fingerprints.some((f) => f !== owner.fingerprint))
    if (other && !opts.force) {
      const what = `a run of suite '${held.suite ?? '?'}' with ${held.model ?? `model ${held.fingerprints.join(', ')}`}`
      // The same names can hide another model: the fingerprint (weights, tokenizer, template, options) is what differs.
      const sameNames = held.suite === owner.suite && held.model === owner.model
      const why = sameNames ? `, scored by another model under the same name (fingerprint ${held.fingerprints.join(', ')}, not ${owner.fingerprint}: other weights, tokenizer, template or options)` : `, not of '${owner.suite}' with ${owner.model}`
      throw new RmbenchError('E_OUT_IN_USE', `${dir} holds ${what}${why}; choose another --out, or pass --force to replace it.`, { dir })
    }
    if (other) for (const name of readdirSync(dir)) if (name !== LOCK) rmSync(join(dir, name), { recursive: true, force: true })
    writeAtomic(join(dir, OWNER), JSON.stringify(owner, null, 2) + '\n')
    return release
  } catch (e) {
    release()
    if (e instanceof RmbenchError) throw e
    throw storeError(dir, e)
  }
}
