import { basename } from 'node:path'
import { Hub } from '../hub/hub-client.ts'
import { hubSettings } from '../hub/settings.ts'
import type { SourceSpec } from '../suite/types.ts'
import { ArrayHash, datasetJson, rowJson } from './example-hashes.ts'
import { mapRow } from './field-map.ts'
import { IdSet } from './id-set.ts'
import { formatFor } from './formats/registry.ts'
import { checkRowsPin, duplicateIdError, emptySourceError, type LoadOptions } from './load-dataset.ts'
import { resolveSource, type SourceProvenance } from './resolve-source.ts'
import type { Example } from './types.ts'

/** What a streamed dataset turned out to be, known once its last window is read. */
export interface StreamedDataset { hash: string; files: string[]; sources: SourceProvenance[]; examples: number }

/**
 * Loads a suite's sources as loadDataset does (field maps, limits, rows_sha256 pins, unique ids, the same dataset
 * hash) but yields examples in windows of `size` and keeps none of them: memory stays flat in dataset size.
 * Samples need every row first, so they are loadDataset's; the caller checks `canStreamSources`.
 */
export async function* streamDataset(sources: SourceSpec[], baseDir: string, whole: { limit?: number }, opts: LoadOptions, size: number, done: (d: StreamedDataset) => void): AsyncGenerator<Example[]> {
  let hub: Hub | undefined
  const getHub = opts.hub ?? (() => (hub ??= new Hub(hubSettings())))
  // id → where its row was, as fileIndex·1e9 + line.
  const seen = new IdSet()
  const shownFiles: string[] = []
  const datasetHash = new ArrayHash()
  const files: string[] = []
  const provenance: SourceProvenance[] = []
  let total = 0
  let window: Example[] = []
  for (const src of sources) {
    const resolved = await resolveSource(src, baseDir, opts.suiteFile ?? baseDir, getHub)
    const rows = new ArrayHash()
    let count = 0
    read: for (const f of resolved.files) {
      const format = formatFor(f.local, src.format)
      const idPrefix = basename(f.key)
      const fileIndex = shownFiles.push(f.shown) - 1
      for await (const { row, line } of format.read(f.local)) {
        const ex = mapRow(row, src.fields, { file: f.shown, line, textual: format.textual }, { group: src.group, idPrefix })
        const json = datasetJson(ex)
        rows.add(rowJson(ex, json))
        count++
        // Past the suite's limit a source is still read to the end: its rows_sha256 covers all of it, as loadDataset's does.
        if (whole.limit === undefined || total < whole.limit) {
          const prev = seen.add(ex.id, fileIndex * 1e9 + line)
          if (prev !== undefined) throw duplicateIdError(ex, `${shownFiles[Math.floor(prev / 1e9)]}:${prev % 1e9}`)
          datasetHash.add(json)
          window.push(ex)
          total++
          if (window.length >= size) {
            yield window
            window = []
          }
        }
        if (src.limit !== undefined && count >= src.limit) break read
      }
    }
    files.push(...resolved.files.map((f) => f.local))
    const shown = resolved.files.map((f) => f.shown).join(', ')
    if (count === 0) throw emptySourceError(src, shown)
    resolved.provenance.rowsSha256 = rows.hex()
    checkRowsPin(src, shown, resolved.provenance.rowsSha256)
    provenance.push(resolved.provenance)
  }
  if (window.length) yield window
  done({ hash: datasetHash.hex().slice(0, 16), files, sources: provenance, examples: total })
}

/** Whether a suite's sources can be streamed (no sampling, which needs every row before choosing). */
export function canStreamSources(sources: SourceSpec[], whole: { sample?: unknown }): boolean {
  return !whole.sample && sources.every((s) => !s.sample)
}
