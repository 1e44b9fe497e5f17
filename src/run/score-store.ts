import { existsSync, readFileSync, truncateSync } from 'node:fs'
import { RmbenchError } from '../errors.ts'
import type { Scored } from '../runners/types.ts'
import { DurableAppends } from '../util/durable-appends.ts'
import { osReason } from '../util/regular-file.ts'
import { recordCheck, soundScore } from './record-check.ts'

/** One finished score: the unit of truth that makes runs resumable. */
export interface ScoreRecord { fp: string; key: string; value?: number; tokens?: number; error?: { code: string; message: string }; output?: string }

/** A record as a line of records.jsonl: the record and its integrity check (record-check.ts). */
const line = (r: ScoreRecord): string => JSON.stringify({ ...r, h: recordCheck(r.fp, r.key, r) })

/**
 * An append-only JSONL file of score records. Each batch is written before `append` returns and fsync'd off the main
 * thread (`flush` waits for the syncs), so a killed process loses at most the batch in flight and a power loss at most
 * the batches whose sync had not finished; a torn last line (a kill mid-write) is detected on open and cut off. Every line is checked when
 * read: a value that is not a finite number, an error that is not {code, message}, or a line whose integrity check
 * does not match is discarded (and counted), so its score is computed again rather than reused.
 */
export class ScoreStore {
  private readonly map = new Map<string, ScoreRecord>()
  private readonly syncs = new DurableAppends((e) => this.cannotWrite(e))
  /** Lines dropped on open because they were torn or corrupt. */
  readonly discarded: number

  constructor(readonly file: string) {
    this.discarded = 0
    if (!existsSync(file)) return
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      throw new RmbenchError('E_SCORE_STORE', `cannot read ${file} (${osReason(e)}).`, { file })
    }
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
        const r = JSON.parse(line) as ScoreRecord & { h?: unknown }
        if (typeof r.fp !== 'string' || typeof r.key !== 'string') throw new Error('not a record')
        const sound = soundScore(r.fp, r.key, r, r.h)
        if (!sound) throw new Error('not a sound record')
        this.map.set(`${r.fp}:${r.key}`, { fp: r.fp, key: r.key, ...sound })
        good = offset
      } catch {
        discarded++
      }
    }
    // Cut a torn tail so the next append starts on a clean line.
    try {
      if (good < Buffer.byteLength(text)) truncateSync(file, good)
    } catch (e) {
      throw new RmbenchError('E_SCORE_STORE', `cannot repair ${file} (${osReason(e)}): pass another --out.`, { file })
    }
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

  /** Appends a batch of results and starts its sync. */
  append(fp: string, keys: string[], results: Scored[]): void {
    if (!keys.length) return
    const lines: string[] = []
    keys.forEach((key, i) => {
      const s = results[i]
      const rec: ScoreRecord = 'error' in s ? { fp, key, error: s.error } : { fp, key, value: s.value, ...(s.tokens !== undefined ? { tokens: s.tokens } : {}) }
      if (s.output !== undefined) rec.output = s.output
      this.map.set(`${fp}:${key}`, rec)
      lines.push(line(rec))
    })
    try {
      this.syncs.append(this.file, lines.join('\n') + '\n')
    } catch (e) {
      throw e instanceof RmbenchError ? e : this.cannotWrite(e)
    }
  }

  /** Resolves when every appended batch is on disk; a failed sync is E_SCORE_STORE. */
  flush(): Promise<void> {
    return this.syncs.settled()
  }

  private cannotWrite(e: unknown): RmbenchError {
    return new RmbenchError('E_SCORE_STORE', `cannot write ${this.file} (${(e as NodeJS.ErrnoException).code === 'EROFS' ? 'a read-only file system' : osReason(e)}): the run's scores are kept there; pass another --out.`, { file: this.file })
  }
}
