import { RmbenchError } from '../../errors.ts'
import type { DataFormat, RawRow } from '../types.ts'

/** BigInt columns become numbers when exact, else strings (ids), so rows stay JSON-friendly. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (Array.isArray(v)) return v.map(plain)
  if (v && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}

/** Parquet, read one row group at a time (all common codecs). Line = 1-based row number. */
export const parquet: DataFormat = {
  name: 'parquet',
  extensions: ['parquet'],
  async *read(file: string): AsyncIterable<RawRow> {
    const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet')
    const { compressors } = await import('hyparquet-compressors')
    let meta
    let buffer
    try {
      buffer = await asyncBufferFromFile(file)
      meta = await parquetMetadataAsync(buffer)
    } catch (e) {
      throw new RmbenchError('E_DATA_FORMAT', `${file}: unreadable parquet (${(e as Error).message}). Is the file complete? Re-download or re-export it.`, { file })
    }
    let start = 0
    for (const rg of meta.row_groups) {
      const end = start + Number(rg.num_rows)
      let rows: Record<string, unknown>[]
      try {
        rows = await parquetReadObjects({ file: buffer, metadata: meta, rowStart: start, rowEnd: end, compressors })
      } catch (e) {
        throw new RmbenchError('E_DATA_FORMAT', `${file}: unreadable parquet rows ${start + 1}-${end} (${(e as Error).message}).`, { file, line: start + 1 })
      }
      for (let i = 0; i < rows.length; i++) yield { row: plain(rows[i]), line: start + i + 1 }
      start = end
    }
  },
}
