import type { Metrics } from '../tasks/types.ts'
import type { RunResult } from './types.ts'
import type { WorstExample } from './worst-examples.ts'
import { judgeLine, worstIntro } from './judge-line.ts'
import { formatCi, formatMetric, metricTables } from './metric-format.ts'

/**
 * Dataset text made inert for Markdown: HTML-escaped (so `<img onerror=…>` is text in any renderer), inline
 * Markdown punctuation backslash-escaped, line breaks shown as ⏎ so a table row stays one row, long text cut.
 */
export function mdText(s: string, max = 300): string {
  const cut = s.length > max ? s.slice(0, max) + '…' : s
  return cut
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    // Emphasis, code, links/images ([…] is escaped, so `![x](y)` stays text), tables and strikethrough.
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/\r?\n/g, ' ⏎ ')
    // Control characters would break the layout of the table or the terminal showing it.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '�')
}

function table(metrics: Metrics, keys: string[], strip = ''): string[] {
  if (!keys.length) return []
  const lines = ['| metric | value | CI | n |', '|---|---:|---:|---:|']
  for (const k of keys) lines.push(`| ${mdText(k.slice(strip.length))} | ${formatMetric(k, metrics[k].value)} | ${formatCi(k, metrics[k])} | ${metrics[k].n} |`)
  return [...lines, '']
}

/** report.md: headline with its interval, sections and subsets, other metrics, worst examples (escaped), provenance. */
export function markdownReport(r: RunResult, worst: WorstExample[] = []): string {
  const m = r.metrics
  const out: string[] = [`# ${mdText(r.suite.name)} · ${mdText(r.model.spec)}`, '']
  const level = r.stats ? `${Math.round(r.stats.confidence * 100)}% CI` : 'CI'
  if (m.score) out.push(`**score ${formatMetric('score', m.score.value)}**${m.score.ci ? ` (${level} ${formatCi('score', m.score)})` : ''} over ${m.score.n} examples${m.score.label ? ` — ${mdText(m.score.label)}` : ''}`, '')
  if (!r.complete) out.push(`> **Incomplete run:** ${r.counts.failed} of ${r.counts.examples} examples failed; metrics cover the ${r.counts.scored} scored.`, '')
  for (const t of metricTables(m)) out.push(`## ${t.title}`, '', ...table(m, t.keys, t.strip))
  if (worst.length) {
    out.push('## Worst-scored examples', '', `${worstIntro(r)} Text is the dataset's, escaped.`, '')
    const judged = worst.some((w) => w.judge !== undefined)
    out.push(`| id | subset | margin | prompt | chosen | rejected |${judged ? ' judge said |' : ''}`, `|---|---|---:|---|---|---|${judged ? '---|' : ''}`)
    for (const w of worst) out.push(`| ${mdText(w.id, 60)} | ${mdText(w.group, 60)} | ${w.margin.toPrecision(4)} | ${mdText(w.prompt)} | ${mdText(w.chosen)} | ${mdText(w.rejected)} |${judged ? ` ${mdText(w.judge ?? '')} |` : ''}`)
    out.push('')
  }
  const p = r.provenance
  out.push('## Provenance', '')
  const judge = judgeLine(r)
  if (judge) out.push(`- ${mdText(judge)}`)
  out.push(`- rmbench ${mdText(p.rmbenchVersion)}, ${mdText(p.node)} on ${mdText(p.platform)}; ${p.startedAt}, ${(p.durationMs / 1000).toFixed(1)} s`)
  out.push(`- suite hash ${p.suiteHash}, data hash ${p.datasetHash}, model fingerprint ${p.modelFingerprint}`)
  for (const s of p.dataSources ?? []) out.push(`- data ${mdText(s.source)}${s.commit ? ` @ ${s.commit}` : ''} (${s.files.length} file${s.files.length === 1 ? '' : 's'})`)
  if (p.modelSource) out.push(`- model ${mdText(p.modelSource.repo)} @ ${p.modelSource.commit}`)
  if (r.stats) out.push(`- intervals: ${r.stats.method} bootstrap within subsets, ${r.stats.resamples} resamples (${r.stats.genericResamples} for recomputed metrics), seed ${r.stats.seed}`)
  out.push(`- ${r.counts.scored}/${r.counts.examples} examples scored${r.counts.failed ? `, ${r.counts.failed} failed` : ''}`, '')
  return out.join('\n')
}
