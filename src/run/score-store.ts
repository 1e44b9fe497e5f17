import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs'
import type { Scored } from '../runners/types.ts'

/** One finished score: the unit of truth that makes runs resumable. */
export interface ScoreRecord { fp: string; key: string; value?: number; tokens?: number; error?: { code: string; message: string } }

/**
 * An append-only JSONL file of score records. Appends are fsync'd per batch, so a crash loses at most the
 * batch in flight; a torn last line (a kill mid-write) is detected on open and cut off.
 */
export class ScoreStore {
  private readonly map = new Map<string, ScoreRecord>()
  /** Lines dropped on open because they were torn or corrupt. */
  readonly discarded: number

  constructor(readonly file: string) {
    this.discarded = 0
    if (!existsSync(file)) return
    const text = readFileSync(file, 'utf8')
    let good = 0 // byte length of the valid prefix
    let discarded = 0
    let offset = 0
    for (const line of text.split('\n')) {
      const bytes = Buffer.byteLength(line) + 1
      const complete = offset + bytes <= Buffer.byteLength(text)
      offset += bytes
      if (!line.trim()) continue
      try {
        if (!complete) throw new Error('torn')
        const r = JSON.parse(line) as ScoreRecord
        if (typeof r.fp !== 'string' || typeof r.key !== 'string') throw new Error('not a record')
        this.map.set(`${r.fp}:${r.key}`, r)
        good = offset
      } catch {
        discarded++
      }
    }
    // Cut a torn tail so the next append starts on a clean line.
    if (good < Buffer.byteLength(text)) truncateSync(file, good)
    this.discarded = discarded
  }

  /** A finished score for this model and request, if any (errors are not reused: they are retried). */
  get(fp: string, key: string): ScoreRecord | undefined {
    const r = this.map.get(`${fp}:${key}`)
    return r && r.error === undefined ? r : undefined
  }

  /** The latest record for this model and request, failed or not. */
  getAny(fp: string, key: string): ScoreRecord | undefined {
    return this.map.get(`${fp}:${key}`)
  }

  /** Every record held (the latest per model and request). */
  records(): ScoreRecord[] {
    return [...this.map.values()]
  }

  /** Appends and syncs a batch of results. */
  append(fp: string, keys: string[], results: Scored[]): void {
    if (!keys.length) return
    const lines: string[] = []
    keys.forEach((key, i) => {
      const s = results[i]
      const rec: ScoreRecord = 'error' in s ? { fp, key, error: s.error } : { fp, key, value: s.value, ...(s.tokens !== undefined ? { tokens: s.tokens } : {}) }
      this.map.set(`${fp}:${key}`, rec)
      lines.push(JSON.stringify(rec))
    })
    const fd = openSync(this.file, 'a')
    try {
      writeSync(fd, lines.join('\n') + '\n')
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }
}
