import { join } from 'node:path'
import { RmbenchError } from '../errors.ts'
import { formatSchemaErrors } from '../suite/format-schema-errors.ts'
import { schemaErrors } from '../suite/schema.ts'
import { writeReports, type ReportOptions } from './report-files.ts'
import type { RunResult } from './types.ts'
import { writeAtomic } from '../util/write-atomic.ts'
import type { WorstExample } from './worst-examples.ts'
import type { ExplorerWriter } from './explorer/explorer-page.ts'
import { runExplorerMeta } from './explorer/run-explorer.ts'

/** A streamed run's rows: scores.jsonl is written already; the charts draw a uniform sample of it. */
export interface StreamedRows { sample: Record<string, unknown>[] }

/** The run's explorer.html, fed with its examples while they were scored: finished here, before report.html links it. */
export interface RunExplorer { writer: ExplorerWriter; marginLabel: string }

/**
 * Writes scores.jsonl (one line per example), worst.json, judgments.jsonl (LLM judges), explorer.html, the reports (report.md, report.html,
 * charts/), then results.json, validated against its schema, last: its presence means the run folder is whole.
 */
export async function writeRun(outDir: string, result: RunResult, rows: Record<string, unknown>[] | StreamedRows, worst: WorstExample[] = [], o: ReportOptions & { explorer?: RunExplorer; judgments?: Record<string, unknown>[] } = {}): Promise<void> {
  const problems = formatSchemaErrors(schemaErrors('results', result))
  if (problems.length) {
    o.explorer?.writer.abandon()
    throw new RmbenchError('E_RESULTS', `results do not match schemas/results.schema.json: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`)
  }
  const reportStart = performance.now()
  o.explorer?.writer.finish(runExplorerMeta(result, o.explorer.marginLabel))
  if (Array.isArray(rows)) writeAtomic(join(outDir, 'scores.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''))
  writeAtomic(join(outDir, 'worst.json'), JSON.stringify(worst, null, 2) + '\n')
  // An LLM judge's raw answers, both orders of every example: what the metrics were read from.
  if (o.judgments) writeAtomic(join(outDir, 'judgments.jsonl'), o.judgments.map((r) => JSON.stringify(r)).join('\n') + (o.judgments.length ? '\n' : ''))
  await writeReports(outDir, result, Array.isArray(rows) ? rows : rows.sample, worst, o)
  if (result.provenance.phases) result.provenance.phases.reportMs = Math.round(performance.now() - reportStart)
  writeAtomic(join(outDir, 'results.json'), JSON.stringify(result, null, 2) + '\n')
}
