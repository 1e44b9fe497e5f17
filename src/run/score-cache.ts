import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { homedir, hostname } from 'node:os'
import { join } from 'node:path'
import { RmbenchError } from '../errors.ts'
import type { RunnerInfo } from '../runners/types.ts'
import { DurableAppends } from '../util/durable-appends.ts'
import type { Memo } from '../util/memo.ts'
import { writeAtomic } from '../util/write-atomic.ts'
import { recordCheck, soundScore, type StoredScore } from './record-check.ts'

/**
 * A cached score: the model's value for one request. Failures are not cached, but for a judge's unreadable verdict
 * (E_VERDICT, with the text it wrote): an answer, the same when asked again at temperature 0, and paid for once.
 */
export type CachedScore = { value: number; tokens?: number; output?: string } | { error: { code: 'E_VERDICT'; message: string }; output?: string }

/** Whether a result may enter the shared cache: a score, or a judge's unreadable verdict. */
export function cacheableResult(s: { value?: number; error?: { code: string } }): boolean {
  return s.error === undefined || s.error.code === 'E_VERDICT'
}

/** What `rmbench cache stats` tells about one model in the cache. */
export interface CachedModel { fingerprint: string; id: string | null; records: number; bytes: number; segments: number; lastWrite: string | null }

const FP = /^[0-9a-f]{16}$/
/** Folders of memos (derived facts) kept beside the scores. */
const MEMO_KINDS = ['file-hashes', 'onnx-sessions', 'charts', 'configs', 'cis', 'datasets']

/**
 * The score cache shared by every run and suite on this machine: content-addressed by model fingerprint
 * (folder) and request hash (record key), under $RMBENCH_CACHE_DIR, else $XDG_CACHE_HOME/rmbench, else
 * ~/.cache/rmbench. Each process appends (fsync'd off the main thread; `flush` waits) to a segment file of its own, so concurrent runs and
 * shards never interleave a line; a segment torn by a crash loses only its last line, which readers skip.
 */
export class ScoreCache implements Memo {
  private readonly loaded = new Map<string, Map<string, CachedScore>>()
  /** Complete lines skipped per model when its scores were read: not JSON, or failing their check. */
  private readonly unsound = new Map<string, number>()
  private readonly syncs = new DurableAppends((e) => this.cannotWrite(e))
  private readonly segment = `${hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`

  constructor(readonly root: string) {}

  /** The cache the environment asks for, or null when RMBENCH_NO_CACHE is set. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, dir?: string): ScoreCache | null {
    if (env.RMBENCH_NO_CACHE && env.RMBENCH_NO_CACHE !== '0') return null
    return new ScoreCache(dir ?? env.RMBENCH_CACHE_DIR ?? join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rmbench'))
  }

  private modelDir(fp: string): string {
    if (!FP.test(fp)) throw new Error(`not a model fingerprint: ${fp}`)
    return join(this.root, 'scores', fp)
  }

  /** Every cached score of one model (read once per process, then kept up to date by append). */
  scores(fp: string): Map<string, CachedScore> {
    let m = this.loaded.get(fp)
    if (m) return m
    m = new Map()
    const dir = this.modelDir(fp)
    for (const name of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort() : []) {
      const lines = readFileSync(join(dir, name), 'utf8').split('\n')
      // The text after the last newline is a line another process may still be writing: not read, not counted.
      lines.pop()
      for (const line of lines) {
        if (!line) continue
        // A complete line that is not a finite score with a matching check (record-check.ts) is skipped, and
        // counted; a segment is never truncated, since another process may still be appending to it.
        // Lines without a check were written by an rmbench before checks existed: not reused, and not worth a
        // warning on every run (their scores are simply computed again, once).
        let sound: StoredScore | null = null
        let legacy = false
        try {
          const r = JSON.parse(line) as { k?: unknown; v?: unknown; t?: unknown; o?: unknown; e?: unknown; h?: unknown }
          legacy = r.h === undefined && typeof r.k === 'string' && typeof r.v === 'number'
          const output = r.o !== undefined ? { output: r.o as string } : {}
          if (typeof r.k === 'string' && r.v !== undefined) sound = soundScore(fp, r.k, { value: r.v as number, tokens: r.t as number | undefined, ...output }, r.h)
          else if (typeof r.k === 'string' && r.e !== undefined) {
            sound = soundScore(fp, r.k, { error: r.e as { code: string; message: string }, ...output }, r.h)
            if (sound && !cacheableResult(sound)) sound = null
          }
          if (sound) m.set(r.k as string, sound as CachedScore)
        } catch { /* not JSON: a line torn by a crash, or damaged */ }
        if (!sound && !legacy) this.unsound.set(fp, (this.unsound.get(fp) ?? 0) + 1)
      }
    }
    this.loaded.set(fp, m)
    return m
  }

  /** How many complete lines of this model's cached scores were skipped as unsound when they were read. */
  skipped(fp: string): number {
    return this.unsound.get(fp) ?? 0
  }

  /** Adds finished scores of one model to this process's segment and starts its sync. */
  append(fp: string, entries: [key: string, score: CachedScore][], about?: { id: string; info: RunnerInfo }): void {
    if (!entries.length) return
    const dir = this.modelDir(fp)
    try {
      mkdirSync(dir, { recursive: true })
      if (about && !existsSync(join(dir, 'model.json'))) writeAtomic(join(dir, 'model.json'), JSON.stringify({ fingerprint: fp, ...about }, null, 2) + '\n')
      this.syncs.append(join(dir, this.segment), entries.map(([k, s]) => JSON.stringify({ k, ...('error' in s ? { e: s.error } : { v: s.value, ...(s.tokens !== undefined ? { t: s.tokens } : {}) }), ...(s.output !== undefined ? { o: s.output } : {}), h: recordCheck(fp, k, s) })).join('\n') + '\n')
    } catch (e) {
      throw e instanceof RmbenchError ? e : this.cannotWrite(e)
    }
    const m = this.loaded.get(fp)
    if (m) for (const [k, s] of entries) m.set(k, s)
  }

  /** Resolves when every appended score is on disk; a failed sync is E_SCORE_STORE. */
  flush(): Promise<void> {
    return this.syncs.settled()
  }

  private cannotWrite(e: unknown): RmbenchError {
    return new RmbenchError('E_SCORE_STORE', `cannot write the score cache at ${this.root} (${(e as Error).message}). Point RMBENCH_CACHE_DIR at a writable folder, or pass --no-cache.`)
  }

  recall<T>(kind: string, key: string): T | null {
    try {
      return JSON.parse(readFileSync(this.memoFile(kind, key), 'utf8')) as T
    } catch {
      return null
    }
  }

  remember(kind: string, key: string, value: unknown): void {
    try {
      mkdirSync(join(this.root, kind), { recursive: true })
      writeAtomic(this.memoFile(kind, key), JSON.stringify(value))
    } catch { /* a memo only saves time */ }
  }

  private memoFile(kind: string, key: string): string {
    if (!MEMO_KINDS.includes(kind) || !/^[0-9a-f]{16,64}$/.test(key)) throw new Error(`bad memo key ${kind}/${key}`)
    return join(this.root, kind, `${key}.json`)
  }

  /** The models held, newest write first. */
  stats(): CachedModel[] {
    const base = join(this.root, 'scores')
    if (!existsSync(base)) return []
    const out: CachedModel[] = []
    for (const fp of readdirSync(base).filter((n) => FP.test(n))) {
      const dir = join(base, fp)
      let bytes = 0
      let last = 0
      const segments = readdirSync(dir).filter((n) => n.endsWith('.jsonl'))
      for (const n of segments) {
        const st = statSync(join(dir, n))
        bytes += st.size
        last = Math.max(last, st.mtimeMs)
      }
      let id: string | null = null
      try {
        id = String((JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { id?: unknown }).id ?? '') || null
      } catch { /* written by an older or interrupted run */ }
      out.push({ fingerprint: fp, id, records: this.scores(fp).size, bytes, segments: segments.length, lastWrite: last ? new Date(last).toISOString() : null })
    }
    return out.sort((a, b) => (b.lastWrite ?? '').localeCompare(a.lastWrite ?? ''))
  }

  /** Removes the cached scores of the models whose fingerprint starts with `prefix` (all when absent); returns how many. */
  clear(prefix?: string): number {
    const gone = this.stats().filter((m) => !prefix || m.fingerprint.startsWith(prefix))
    for (const m of gone) {
      rmSync(this.modelDir(m.fingerprint), { recursive: true, force: true })
      this.loaded.delete(m.fingerprint)
    }
    // Memos are keyed by content, not by model: they go only when everything goes.
    if (!prefix) for (const kind of MEMO_KINDS) rmSync(join(this.root, kind), { recursive: true, force: true })
    return gone.length
  }
}
