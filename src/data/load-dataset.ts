import { RmbenchError } from '../errors.ts'
import { Hub } from '../hub/hub-client.ts'
import { hubSettings } from '../hub/settings.ts'
import { createRng, shuffled } from '../stats/rng.ts'
import type { SampleSpec, SourceSpec } from '../suite/types.ts'
import { codeStamp } from '../util/code-stamp.ts'
import { sha256, stableStringify } from '../util/hash.ts'
import type { Memo } from '../util/memo.ts'
import { ArrayHash, datasetJson, rowJson } from './example-hashes.ts'
import { mapRow } from './field-map.ts'
import { formatFor } from './formats/registry.ts'
import { resolveSource, type SourceProvenance } from './resolve-source.ts'
import type { Example } from './types.ts'
import { basename } from 'node:path'

/** Examples loaded for a suite plus a hash of their content (for provenance). */
export interface Dataset { examples: Example[]; hash: string; files: string[]; sources: SourceProvenance[] }

/**
 * Where loading reads from: the suite file (for messages) and the hub (made on first use); and a memo (the score
 * cache) that remembers the hashes of unchanged data, so a re-run does not serialise every text again to hash it.
 */
export interface LoadOptions { suiteFile?: string; hub?: () => Hub; memo?: Memo }

/** A seeded sample of n items that keeps the original order (so results do not depend on the draw order). */
export function sampleInOrder<T>(items: T[], spec: SampleSpec): T[] {
  if (spec.n >= items.length) return items
  const idx = shuffled(items.map((_, i) => i), createRng(spec.seed ?? 0)).slice(0, spec.n).sort((a, b) => a - b)
  return idx.map((i) => items[i])
}

/**
 * sha256 of examples as rmbench scores them: what a rows_sha256 pin compares. `texts` keeps each example's dataset
 * JSON for the dataset hash, which covers the same fields less alpha.
 */
export function rowsSha256(examples: Example[], texts?: Map<Example, string>): string {
  const h = new ArrayHash()
  for (const ex of examples) {
    const json = datasetJson(ex)
    texts?.set(ex, json)
    h.add(rowJson(ex, json))
  }
  return h.hex()
}

/** A source that gave no rows. */
export function emptySourceError(src: SourceSpec, shown: string): RmbenchError {
  return new RmbenchError('E_DATA_EMPTY', `data source ${shown} has no rows. Check the path, or the source's limit/sample.`, { source: src.source })
}

/** Checks a source's rows against its rows_sha256 pin, when it has one. */
export function checkRowsPin(src: SourceSpec, shown: string, actual: string): void {
  if (src.rows_sha256 && src.rows_sha256 !== actual)
    throw new RmbenchError('E_DATA_HASH', `${shown}: rows_sha256 mismatch — the suite pins ${src.rows_sha256}, the loaded rows hash to ${actual}. The data or the suite's fields/limit/sample changed; re-pin deliberately (rmbench fetch --pin).`, { expected: src.rows_sha256, actual })
}

/** An id seen twice; `firstAt` is file:line of its first row. */
export function duplicateIdError(ex: Example, firstAt: string): RmbenchError {
  return new RmbenchError('E_DATA_ROW', `${ex.origin.file}:${ex.origin.line}: duplicate id '${ex.id}' (first at ${firstAt}). Ids must be unique; map another id column or drop the duplicate.`, { id: ex.id })
}

/**
 * The memo key of what a source's rows are: the code reading them, the source's settings (fields, group, limit,
 * sample, format) and its files' names and contents.
 */
function sourceKey(src: SourceSpec, files: { key: string; sha256: string }[]): string {
  return sha256(JSON.stringify([codeStamp(), stableStringify(src), files.map((f) => [f.key, f.sha256])]))
}

const isHex = (v: unknown, n: number): v is string => typeof v === 'string' && new RegExp(`^[0-9a-f]{${n}}$`).test(v)

async function loadSource(src: SourceSpec, baseDir: string, opts: LoadOptions & Required<Omit<LoadOptions, 'memo'>>, texts: Map<Example, string>): Promise<{ examples: Example[]; files: string[]; provenance: SourceProvenance; key: string }> {
  const { files, provenance } = await resolveSource(src, baseDir, opts.suiteFile, opts.hub, opts.memo)
  const out: Example[] = []
  read: for (const f of files) {
    const format = formatFor(f.local, src.format)
    const idPrefix = basename(f.key)
    for await (const { row, line } of format.read(f.local)) {
      out.push(mapRow(row, src.fields, { file: f.shown, line, textual: format.textual }, { group: src.group, idPrefix }))
      if (src.limit !== undefined && !src.sample && out.length >= src.limit) break read
    }
  }
  let examples = src.sample ? sampleInOrder(out, src.sample) : out
  if (src.limit !== undefined) examples = examples.slice(0, src.limit)
  const shown = files.map((f) => f.shown).join(', ')
  if (examples.length === 0) throw emptySourceError(src, shown)
  const key = opts.memo ? sourceKey(src, files) : ''
  const known = opts.memo?.recall<string>('datasets', key)
  provenance.rowsSha256 = isHex(known, 64) ? known : rowsSha256(examples, texts)
  if (opts.memo && known !== provenance.rowsSha256) opts.memo.remember('datasets', key, provenance.rowsSha256)
  checkRowsPin(src, shown, provenance.rowsSha256)
  return { examples, files: files.map((f) => f.local), provenance, key }
}

/** Loads every source of a suite, applies field maps, limits and samples, and checks ids are unique. */
export async function loadDataset(sources: SourceSpec[], baseDir: string, whole: { limit?: number; sample?: SampleSpec } = {}, opts: LoadOptions = {}): Promise<Dataset> {
  let hub: Hub | undefined
  const o = { suiteFile: opts.suiteFile ?? baseDir, hub: opts.hub ?? (() => (hub ??= new Hub(hubSettings()))), memo: opts.memo }
  let examples: Example[] = []
  const files: string[] = []
  const provenance: SourceProvenance[] = []
  const keys: string[] = []
  // Each example's JSON, made once for its rows hash and reused by the dataset hash (escaping the texts is the cost).
  const texts = new Map<Example, string>()
  for (const s of sources) {
    const r = await loadSource(s, baseDir, o, texts)
    examples.push(...r.examples)
    files.push(...r.files)
    provenance.push(r.provenance)
    keys.push(r.key)
  }
  if (whole.sample) examples = sampleInOrder(examples, whole.sample)
  if (whole.limit !== undefined) examples = examples.slice(0, whole.limit)
  const seen = new Map<string, Example>()
  for (const ex of examples) {
    const prev = seen.get(ex.id)
    if (prev) throw duplicateIdError(ex, `${prev.origin.file}:${prev.origin.line}`)
    seen.set(ex.id, ex)
  }
  // The dataset hash is a function of the sources' rows and the whole-suite limit and sample.
  const key = o.memo ? sha256(JSON.stringify([codeStamp(), keys, whole.limit ?? null, whole.sample ?? null])) : ''
  const known = o.memo?.recall<string>('datasets', key)
  let hash: string
  if (isHex(known, 16)) hash = known
  else {
    const all = new ArrayHash()
    for (const ex of examples) all.add(texts.get(ex) ?? datasetJson(ex))
    hash = all.hex().slice(0, 16)
    o.memo?.remember('datasets', key, hash)
  }
  return { examples, hash, files, sources: provenance }
}
