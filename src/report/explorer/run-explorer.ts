import type { Example } from '../../data/types.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import type { Task } from '../../tasks/types.ts'
import { formatCi, formatMetric } from '../metric-format.ts'
import type { RunResult } from '../types.ts'
import { defaultLabels, explorerItem, explorerRun, type ExplorerItem } from './explorer-items.ts'
import type { ExplorerMeta } from './explorer-page.ts'

/** One example of a run for its explorer: its outcome under the task's rules, or the error that left it unscored. */
export function runExplorerItem(task: Task, suite: SuiteSpec, ex: Example, scores: Record<string, number> | undefined, error?: { code: string; message: string }, said?: Record<string, string>): ExplorerItem {
  const labels = task.responseLabels?.(ex) ?? defaultLabels(ex)
  const found = scores && task.outcome ? task.outcome(ex, scores, suite) : undefined
  // A judge's own words (served chat judges, logged texts) beside the verdicts read from them.
  const outcome = found && said && Object.keys(said).length ? { ...found, judge: { ...found.judge, ...said } } : found
  const why = error ? `${error.code}: ${error.message}` : outcome ? null : 'no outcome for this task'
  return explorerItem(ex, labels, [outcome ? explorerRun(outcome) : null], outcome?.sections ?? [], [why])
}

/** The headline rows of a run's explorer: score, sections (or domains), and overall accuracy where there is one. */
export function runExplorerMeta(r: RunResult, marginLabel: string): ExplorerMeta {
  const all = Object.keys(r.metrics)
  const keys = [...all.filter((k) => k === 'score' || k === 'accuracy'), ...all.filter((k) => /^(section|domain)\//.test(k))]
  return {
    title: `${r.suite.name} · ${r.model.spec}`,
    subtitle: `Every example of this ${r.suite.task} run: ${r.counts.scored} of ${r.counts.examples} scored${r.counts.failed ? `, ${r.counts.failed} failed` : ''}; ${r.provenance.startedAt}. Text is the dataset's, shown as text.`,
    runs: [r.model.spec],
    marginLabel,
    stats: { head: ['metric', 'value', 'CI', 'n'], rows: keys.map((k) => [k, formatMetric(k, r.metrics[k].value), formatCi(k, r.metrics[k]), String(r.metrics[k].n)]) },
  }
}
