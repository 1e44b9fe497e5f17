import { basename, dirname, extname, join } from 'node:path'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { stringify } from 'yaml'
import { DEFAULT_FIELDS } from '../data/field-map.ts'
import type { Example } from '../data/types.ts'
import { RmbenchError } from '../errors.ts'
import type { Suite } from '../suite/types.ts'
import { osReason } from '../util/regular-file.ts'
import { writeAtomic } from '../util/write-atomic.ts'
import type { PairStrength } from './strength.ts'

/** What an export wrote: the data file, the suite beside it that runs it, and what happened to the suspect pairs. */
export interface ExportSummary { file: string; suiteFile: string; rows: number; dropped: number; flipped: number; fieldNote?: string }

/**
 * The audited dataset for training or a re-run: every pair but the suspect ones (dropped, or with `flip` their
 * chosen and rejected swapped), with its strength and class as columns, in the suite's own column names where
 * its field map names plain columns; and `<name>.suite.yaml` beside it, the suite with its data pointed there.
 */
export function exportAudited(file: string, suite: Suite, examples: Example[], pairs: PairStrength[], o: { flip?: boolean }): ExportSummary {
  const ext = extname(file).toLowerCase()
  if (ext !== '.jsonl' && ext !== '.parquet') throw new RmbenchError('E_USAGE', `--export ${file}: write .jsonl or .parquet.`)
  const sources = Array.isArray(suite.spec.data) ? suite.spec.data : [suite.spec.data]
  const f = sources.length === 1 ? (sources[0].fields ?? {}) : {}
  // A label-indexed pair (responses + label) is written as chosen/rejected: which one is better is the point here.
  const labelled = Boolean(f.responses || f.label)
  const col = {
    id: f.id ?? DEFAULT_FIELDS.id,
    prompt: f.prompt ?? DEFAULT_FIELDS.prompt,
    chosen: labelled ? DEFAULT_FIELDS.chosen : (f.chosen ?? DEFAULT_FIELDS.chosen),
    rejected: labelled ? DEFAULT_FIELDS.rejected : (f.rejected ?? DEFAULT_FIELDS.rejected),
    group: f.group ?? DEFAULT_FIELDS.group,
  }
  const fieldNote = sources.length > 1 ? 'the suite reads several sources: the export uses rmbench\'s default column names' : labelled ? 'the suite reads responses + label: the export writes chosen/rejected columns' : undefined
  const byId = new Map(pairs.map((p) => [p.id, p]))
  const rows: Record<string, unknown>[] = []
  let dropped = 0
  let flipped = 0
  for (const ex of examples) {
    const p = byId.get(ex.id)!
    const flipIt = p.class === 'suspect' && o.flip
    if (p.class === 'suspect' && !o.flip) {
      dropped++
      continue
    }
    if (flipIt) flipped++
    const prompt = ex.prompt.length === 1 && ex.prompt[0].role === 'user' ? ex.prompt[0].content : ex.prompt
    const [chosen, rejected] = flipIt ? [ex.rejected[0], ex.chosen[0]] : [ex.chosen[0], ex.rejected[0]]
    // Strength is the models' view of the label as written here: a flipped pair's sign flips with it.
    rows.push({ [col.id]: ex.id, [col.prompt]: prompt, [col.chosen]: chosen, [col.rejected]: rejected, [col.group]: ex.group, strength: Number.isFinite(p.strength) ? (flipIt ? -p.strength : p.strength) : null, audit_class: p.class, ...(o.flip ? { flipped: Boolean(flipIt) } : {}) })
  }
  try {
    if (ext === '.jsonl') writeAtomic(file, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''))
    else {
      if (rows.some((r) => typeof r[col.prompt] !== 'string')) throw new RmbenchError('E_USAGE', `--export ${file}: some prompts are conversations, which this Parquet export does not write; export .jsonl.`)
      const str = (k: string) => ({ name: k, data: rows.map((r) => r[k] as string), type: 'STRING' as const })
      const columns = [str(col.id), str(col.prompt), str(col.chosen), str(col.rejected), str(col.group), { name: 'strength', data: rows.map((r) => r.strength as number | null), type: 'DOUBLE' as const }, str('audit_class'), ...(o.flip ? [{ name: 'flipped', data: rows.map((r) => r.flipped as boolean), type: 'BOOLEAN' as const }] : [])]
      writeAtomic(file, new Uint8Array(parquetWriteBuffer({ columnData: columns })))
    }
    const suiteFile = join(dirname(file), `${basename(file, extname(file))}.suite.yaml`)
    const { data: _data, limit: _limit, sample: _sample, include: _include, ...rest } = suite.spec
    const spec = { ...rest, name: `${suite.spec.name}-audited`, data: { source: `./${basename(file)}`, fields: col } }
    const head = `# Written by rmbench audit from ${suite.file}: ${rows.length} pairs; ${o.flip ? `${flipped} suspect pairs flipped` : `${dropped} suspect pairs dropped`}.\n`
    writeAtomic(suiteFile, head + stringify(spec))
    return { file, suiteFile, rows: rows.length, dropped, flipped, ...(fieldNote ? { fieldNote } : {}) }
  } catch (e) {
    if (e instanceof RmbenchError) throw e
    throw new RmbenchError('E_IO', `--export ${file}: ${osReason(e)}; choose a file in a folder that exists and is writable.`, { file })
  }
}
