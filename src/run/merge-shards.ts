import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { RmbenchError } from '../errors.ts'
import type { Runner, Scored } from '../runners/types.ts'
import { loadSuite } from '../suite/load-suite.ts'
import { withJudge } from '../tasks/self-preference/self-preference-task.ts'
import { runSuite, type RunOutcome } from './run-suite.ts'
import { ScoreStore } from './score-store.ts'
import { readShardManifest, type ShardManifest } from './shard-manifest.ts'

/** Inputs of `rmbench merge`. */
export interface MergeOptions { dirs: string[]; outDir: string; suiteFile?: string; cwd: string; warn?: (m: string) => void; png?: boolean }

/** A runner that only has what the shards recorded: anything else is a missing score, never a made-up one. */
function replayRunner(m: ShardManifest['model']): Runner {
  const missing = async (batch: unknown[]): Promise<Scored[]> => batch.map(() => ({ error: { code: 'E_MISSING', message: 'no shard recorded this score' } }))
  const lm = (name: string): Runner => ({ id: name, fingerprint: m.fingerprint, capabilities: { logprob: true }, info: {}, batchSize: 64, logprob: missing })
  return {
    id: m.id,
    fingerprint: m.fingerprint,
    info: m.info,
    capabilities: m.capabilities,
    batchSize: 64,
    batchInvariant: true,
    perExample: m.perExample,
    ...(m.capabilities.reward ? { reward: missing } : {}),
    ...(m.capabilities.logprob ? { logprob: missing } : {}),
    ...(m.lms.length ? { lms: Object.fromEntries(m.lms.map((n) => [n, lm(n)])) } : {}),
  }
}

/** Checks that the shards belong together and cover 1..N once each; returns the manifests in shard order. */
export function checkShards(dirs: string[]): ShardManifest[] {
  if (!dirs.length) throw new RmbenchError('E_USAGE', 'rmbench merge needs the shard folders, e.g. rmbench merge runs/shard-* --out runs/merged.')
  const ms = dirs.map((d) => ({ d, m: readShardManifest(d) }))
  const first = ms[0].m
  for (const { d, m } of ms) {
    const differs = m.suite.hash !== first.suite.hash ? `suite hash ${m.suite.hash} ≠ ${first.suite.hash}`
      : m.datasetHash !== first.datasetHash ? `dataset hash ${m.datasetHash} ≠ ${first.datasetHash}`
      : m.model.fingerprint !== first.model.fingerprint ? `model fingerprint ${m.model.fingerprint} ≠ ${first.model.fingerprint} (another model, tokenizer, template or option)`
      : m.shard.count !== first.shard.count ? `it is shard ${m.shard.index}/${m.shard.count}, the first is ${first.shard.index}/${first.shard.count}`
      : m.limit !== first.limit ? `--limit ${m.limit} ≠ ${first.limit}`
      : m.suite.judge !== first.suite.judge ? `--judge ${m.suite.judge} ≠ ${first.suite.judge}` : null
    if (differs) throw new RmbenchError('E_MERGE', `${d} does not belong with ${ms[0].d}: ${differs}.`, { dir: d })
  }
  const seen = new Map<number, string>()
  for (const { d, m } of ms) {
    if (seen.has(m.shard.index)) throw new RmbenchError('E_MERGE', `shard ${m.shard.index}/${m.shard.count} given twice: ${seen.get(m.shard.index)} and ${d}.`)
    seen.set(m.shard.index, d)
  }
  const absent = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i))
  if (absent.length) throw new RmbenchError('E_MERGE', `shard(s) ${absent.map((i) => `${i}/${first.shard.count}`).join(', ')} missing: run them (rmbench run … --shard i/${first.shard.count}) and merge all ${first.shard.count}.`)
  return ms.sort((a, b) => a.m.shard.index - b.m.shard.index).map((x) => x.m)
}

/**
 * Combines finished shards into one run: their score records into one store, then the ordinary run over the
 * suite with nothing left to score, so metrics, CIs, charts and results.json are computed exactly as an
 * unsharded run computes them.
 */
export async function mergeShards(o: MergeOptions): Promise<RunOutcome> {
  const manifests = checkShards(o.dirs)
  const m = manifests[0]
  const outDir = resolve(o.outDir)
  if (existsSync(join(outDir, 'results.json')) || existsSync(join(outDir, 'records.jsonl'))) throw new RmbenchError('E_USAGE', `${o.outDir} already holds a run; merge into a new folder.`)
  const loaded = loadSuite(o.suiteFile ?? m.suite.file, o.cwd)
  if (loaded.hash !== m.suite.hash) throw new RmbenchError('E_MERGE', `${loaded.file} hashes to ${loaded.hash}, but the shards ran suite ${m.suite.hash}: it changed since. Merge with the suite file they ran (--suite).`)
  mkdirSync(outDir, { recursive: true })
  const store = new ScoreStore(join(outDir, 'records.jsonl'))
  for (const dir of o.dirs) {
    const shardStore = new ScoreStore(join(dir, 'records.jsonl'))
    const recs = shardStore.records().filter((r) => r.fp === m.model.fingerprint)
    store.append(m.model.fingerprint, recs.map((r) => r.key), recs.map((r) => ({ ...(r.error ? { error: r.error } : { value: r.value!, ...(r.tokens !== undefined ? { tokens: r.tokens } : {}) }), ...(r.output !== undefined ? { output: r.output } : {}) })))
  }
  await store.flush()
  const suite = m.suite.judge ? { ...loaded, spec: withJudge(loaded.spec, m.suite.judge) } : loaded
  return runSuite({ suite, runner: replayRunner(m.model), modelSpec: m.model.spec, outDir, limit: m.limit ?? undefined, warn: o.warn, png: o.png, expectDatasetHash: m.datasetHash })
}
