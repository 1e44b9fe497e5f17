import { dirname, join, relative } from 'node:path'
import type { Example } from '../data/types.ts'
import { loadDataset } from '../data/load-dataset.ts'
import { RmbenchError } from '../errors.ts'
import { readResults } from '../report/read-results.ts'
import { readScoreRows } from '../report/read-score-rows.ts'
import type { RunResult } from '../report/types.ts'
import { loadSuite } from '../suite/load-suite.ts'
import type { Suite } from '../suite/types.ts'
import type { Voter } from './strength.ts'

/** A run that votes (or is evaluated): its folder, results, margins per pair and credits per pair. */
export interface AuditRun { dir: string; result: RunResult; voter: Voter; credits: Map<string, number> }

/** A run's pairwise margins and credits from its scores.jsonl, each value checked (a stored score is not trusted). */
export function readAuditRun(arg: string): AuditRun {
  const { file, result } = readResults(arg)
  const dir = dirname(file)
  if (result.suite.task !== 'pairwise') throw new RmbenchError('E_AUDIT', `${file}: a ${result.suite.task} run; the audit reads pairwise runs (one chosen and one rejected answer per pair).`, { file })
  const scores = join(dir, 'scores.jsonl')
  const margins = new Map<string, number>()
  const credits = new Map<string, number>()
  const rows = readScoreRows(scores)
  if (!rows.length) throw new RmbenchError('E_AUDIT', `${scores}: no per-pair scores (missing or empty); the audit needs them. Re-run the suite into a fresh folder.`, { file: scores })
  for (const { row, line } of rows) {
    if (row.error !== undefined) continue
    const { id, margin, credit } = row
    if (typeof id !== 'string' || typeof margin !== 'number' || !Number.isFinite(margin) || typeof credit !== 'number' || !(credit >= 0 && credit <= 1))
      throw new RmbenchError('E_RESULTS', `${scores}:${line}: expected a string id, a finite margin and a credit in [0, 1]; the file was edited or is not rmbench's. Re-run the suite.`, { file: scores, line })
    if (margins.has(id)) throw new RmbenchError('E_RESULTS', `${scores}:${line}: id ${JSON.stringify(id)} appears twice.`, { file: scores, line })
    margins.set(id, margin)
    credits.set(id, credit)
  }
  return { dir, result, voter: { name: result.model.spec, margins }, credits }
}

/** The suite the runs scored and its examples (for texts and the export), checked to be the data they scored. */
export async function auditData(runs: AuditRun[], suiteArg?: string): Promise<{ suite: Suite; examples: Example[]; notes: string[] }> {
  const first = runs[0].result
  for (const r of runs.slice(1)) {
    if (r.result.suite.name !== first.suite.name || r.result.provenance.datasetHash !== first.provenance.datasetHash)
      throw new RmbenchError('E_AUDIT', `${r.dir} scored suite '${r.result.suite.name}' on data ${r.result.provenance.datasetHash.slice(0, 12)}, ${runs[0].dir} '${first.suite.name}' on ${first.provenance.datasetHash.slice(0, 12)}: an audit's runs must score the same pairs.`)
  }
  const names = new Set<string>()
  for (const r of runs) {
    if (names.has(r.voter.name)) throw new RmbenchError('E_AUDIT', `two runs of model ${r.voter.name} (${r.dir}): a model votes once.`)
    names.add(r.voter.name)
  }
  const suite = loadSuite(suiteArg ?? first.suite.file)
  const sources = Array.isArray(suite.spec.data) ? suite.spec.data : [suite.spec.data]
  const data = await loadDataset(sources, suite.dir, { limit: suite.spec.limit, sample: suite.spec.sample }, { suiteFile: relative(process.cwd(), suite.file) })
  if (data.hash !== first.provenance.datasetHash)
    throw new RmbenchError('E_AUDIT', `${suite.file}: its data now hashes to ${data.hash.slice(0, 12)}, but the runs scored ${first.provenance.datasetHash.slice(0, 12)} (the data changed, or the runs used --limit). Audit with the data they scored (--suite), or re-run them.`)
  const notes = suite.hash !== first.suite.hash ? [`the suite file changed since the runs (its data did not): thresholds and settings are read from ${relative(process.cwd(), suite.file)} as it is now.`] : []
  return { suite, examples: data.examples, notes }
}
