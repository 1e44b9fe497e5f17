import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RmbenchError } from '../errors.ts'
import type { Runner } from '../runners/types.ts'
import { writeAtomic } from '../util/write-atomic.ts'
import type { Shard } from './plan.ts'

/** What a finished shard records beside its records.jsonl, so `rmbench merge` can check and rebuild the whole run. */
export interface ShardManifest {
  kind: 'rmbench-shard'
  schemaVersion: 1
  shard: Shard
  suite: { name: string; file: string; hash: string; judge: string | null }
  datasetHash: string
  limit: number | null
  model: { spec: string; id: string; fingerprint: string; info: Runner['info']; perExample: boolean; lms: string[]; capabilities: Runner['capabilities'] }
  counts: { requests: number; scored: number; failed: number }
  finishedAt: string
}

/** Parses `--shard i/N` (1 ≤ i ≤ N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = m ? Number(m[1]) : NaN
  const count = m ? Number(m[2]) : NaN
  if (!m || count < 1 || index < 1 || index > count) throw new RmbenchError('E_USAGE', `--shard ${text}: expected i/N with 1 ≤ i ≤ N, e.g. --shard 2/8 (Slurm: --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT).`)
  return { index, count }
}

/** Writes shard.json into a shard's output folder (last, atomically: its presence means the shard finished). */
export function writeShardManifest(outDir: string, m: ShardManifest): void {
  writeAtomic(join(outDir, 'shard.json'), JSON.stringify(m, null, 2) + '\n')
}

/** Reads a shard folder's manifest, with errors that say how to finish an unfinished shard. */
export function readShardManifest(dir: string): ShardManifest {
  const file = join(dir, 'shard.json')
  if (!existsSync(file)) {
    const hint = existsSync(join(dir, 'records.jsonl')) ? ' It has scores but did not finish: run the same `rmbench run … --shard i/N --out <it>` again to complete it.' : existsSync(join(dir, 'results.json')) ? ' It is a whole run, not a shard.' : ''
    throw new RmbenchError('E_MERGE', `${dir}: no shard.json, so not a finished shard.${hint}`, { dir })
  }
  let m: ShardManifest
  try {
    m = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new RmbenchError('E_MERGE', `${file}: not valid JSON (${(e as Error).message}).`, { file })
  }
  if (m.kind !== 'rmbench-shard' || m.schemaVersion !== 1 || !m.shard || !m.model?.fingerprint) throw new RmbenchError('E_MERGE', `${file}: not an rmbench shard manifest (schema 1).`, { file })
  return m
}
