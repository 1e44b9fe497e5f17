import { dirname, join } from 'node:path'
import { RmbenchError } from '../errors.ts'
import { explorerItem, explorerRun, defaultLabels, type ExplorerItem, type ExplorerRun } from '../report/explorer/explorer-items.ts'
import { ExplorerWriter, readExplorerItems } from '../report/explorer/explorer-page.ts'
import { formatDelta, formatMetric } from '../report/metric-format.ts'
import type { SuiteSpec } from '../suite/types.ts'
import { tasks } from '../tasks/registry.ts'
import { taskOfRun } from '../tasks/judge/judge-task.ts'
import { osReason } from '../util/regular-file.ts'
import type { LoadedRun } from './load-run.ts'
import { fmtP } from './gates.ts'
import type { Comparison } from './paired-comparison.ts'

/** A run's own explorer items by id, or null when its folder has no readable explorer.html. */
function runItems(run: LoadedRun): Map<string, ExplorerItem> | null {
  const items = readExplorerItems(join(dirname(run.file), 'explorer.html'))
  return items ? new Map(items.map((it) => [it.id, it])) : null
}

/**
 * `rmbench compare A B --html <file>`: the example explorer over the paired examples, opening on the discordant
 * ones, with the paired statistics on top. Texts and outcomes come from the runs' own explorer.html (what each
 * run computed); a run without one has its outcomes recomputed from scores.jsonl by the task's rules, and when
 * neither has one the page shows ids and numbers without texts, and says so.
 */
export function writeCompareExplorer(file: string, A: LoadedRun, B: LoadedRun, c: Comparison): { file: string; notes: string[] } {
  const spec = A.result.suite.spec as SuiteSpec
  const taskA = taskOfRun(tasks.get(A.result.suite.task), A.result.provenance.judge)
  const taskB = taskOfRun(tasks.get(B.result.suite.task), B.result.provenance.judge)
  const [ia, ib] = [runItems(A), runItems(B)]
  const notes: string[] = []
  if (!ia && !ib) notes.push('Neither run folder has an explorer.html (runs by an older rmbench): examples are shown without their texts.')
  else if (!ia || !ib) notes.push(`${!ia ? 'A' : 'B'} has no explorer.html: its outcomes are recomputed from its scores.jsonl; texts come from ${!ia ? 'B' : 'A'}.`)
  const aById = new Map(A.examples.map((e) => [e.id, e]))
  const bById = new Map(B.examples.map((e) => [e.id, e]))
  const outcome = (run: LoadedRun, own: Map<string, ExplorerItem> | null, id: string): ExplorerRun | null => {
    const mine = own?.get(id)?.x[0]
    if (mine !== undefined) return mine
    const ex = (run === A ? aById : bById).get(id)
    const s = run.scores.get(id)
    const task = run === A ? taskA : taskB
    return ex && s && task.outcome ? explorerRun(task.outcome(ex, s, spec)) : null
  }
  let writer: ExplorerWriter
  try {
    writer = new ExplorerWriter(file)
  } catch (e) {
    throw new RmbenchError('E_IO', `compare --html ${file}: cannot write there (${osReason(e)}); name a file in an existing folder.`, { file })
  }
  let shared = 0
  for (const ex of A.examples) {
    if (!bById.has(ex.id)) continue
    shared++
    const runs = [outcome(A, ia, ex.id), outcome(B, ib, ex.id)]
    const base = ia?.get(ex.id) ?? ib?.get(ex.id)
    if (base) writer.add({ ...base, x: runs, e: undefined })
    else writer.add(explorerItem({ ...ex, chosen: ex.chosen.map(() => ''), rejected: ex.rejected.map(() => '') }, taskA.responseLabels?.(ex) ?? defaultLabels(ex), runs))
  }
  const rows = c.metrics.map((m) => [m.metric, formatMetric(m.metric, m.a), formatMetric(m.metric, m.b), formatDelta(m.metric, m.delta), `${formatDelta(m.metric, m.ci[0])} – ${formatDelta(m.metric, m.ci[1])}`, m.p === undefined ? '' : fmtP(m.p), m.pHolm === undefined ? '' : fmtP(m.pHolm), String(m.n)])
  writer.finish({
    title: `${c.suite}: A = ${c.a} · B = ${c.b}`,
    subtitle: `${shared} paired examples (${c.onlyA} only in A, ${c.onlyB} only in B: left out); opens on the discordant ones. Paired bootstrap ${c.resamples} resamples, seed ${c.seed}; ${Math.round(c.confidence * 100)}% intervals. Text is the dataset's, shown as text.`,
    runs: ['A', 'B'],
    marginLabel: taskA.marginLabel ?? 'margin',
    stats: { head: ['metric', 'A', 'B', 'Δ (B − A)', `${Math.round(c.confidence * 100)}% CI`, 'p', 'p (Holm)', 'n'], rows },
    opensOn: 'discordant',
    notes,
  })
  return { file, notes }
}
