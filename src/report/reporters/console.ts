import { formatMetric } from '../metric-format.ts'
import { judgeLine } from '../judge-line.ts'
import type { RunResult } from '../types.ts'

/** A readable summary table of a run: headline score, sections, subsets, counts. */
export function formatSummary(r: RunResult, outDir: string): string {
  const m = r.metrics
  const lines: string[] = []
  lines.push(`${r.suite.name} · ${r.model.spec}`)
  const rows: [string, string, string, string][] = []
  const fmt = formatMetric
  const interval = (key: string) => (m[key].ci ? `[${fmt(key, m[key].ci![0])}, ${fmt(key, m[key].ci![1])}]` : '')
  const add = (key: string, name: string) => m[key] && rows.push([name, fmt(key, m[key].value), interval(key), String(m[key].n)])
  add('score', 'score')
  add('score/sections-mean', '  sections mean')
  for (const k of Object.keys(m).filter((k) => k.startsWith('section/'))) add(k, `  ${k.slice(8)}${m[k].label?.startsWith('partial') ? ` (${m[k].label!.split(' (')[0]})` : ''}`)
  add('accuracy', 'accuracy (all pairs)')
  for (const k of Object.keys(m).filter((k) => k.startsWith('accuracy/'))) add(k, `  ${k.slice(9)}`)
  // Everything else (style domains, Ties parts, length analysis) in key order; matrix cells stay in results.json.
  const shown = new Set(['score', 'score/sections-mean', 'accuracy'])
  for (const k of Object.keys(m).sort())
    if (!shown.has(k) && !/^(section|accuracy|matrix)\//.test(k) && !/^ranking\/R\*(-normalized)?\/beta=/.test(k)) add(k, k)
  const w = Math.max(...rows.map((x) => x[0].length), 6)
  const level = r.stats ? `${Math.round(r.stats.confidence * 100)}% CI` : ''
  const wc = Math.max(level.length, ...rows.map((x) => x[2].length))
  lines.push(`  ${'metric'.padEnd(w)}  ${'value %'.padStart(7)}  ${level.padStart(wc)}  ${'n'.padStart(6)}`)
  for (const [name, v, ci, n] of rows) lines.push(`  ${name.padEnd(w)}  ${v.padStart(7)}  ${ci.padStart(wc)}  ${n.padStart(6)}`)
  if (r.stats) lines.push(`  CI: ${r.stats.method} bootstrap within subsets, ${r.stats.resamples} resamples (${r.stats.genericResamples} for recomputed metrics), seed ${r.stats.seed}`)
  if (m.score?.label) lines.push(`  score = ${m.score.label}`)
  // How an LLM judge was asked, in the reports' own words, with what its unreadable verdicts came to.
  const judge = judgeLine(r)
  if (judge) lines.push(`  ${judge}${m['judge/unparseable'] ? `; ${m['judge/unparseable'].label}` : ''}`)
  const c = r.counts
  lines.push(`  ${c.scored}/${c.examples} examples scored${c.failed ? `, ${c.failed} FAILED (see errors in results.json)` : ''}${c.cached ? `, ${c.cached} scores reused` : ''}; ${(r.provenance.durationMs / 1000).toFixed(1)} s`)
  lines.push(`  → ${outDir}/results.json`)
  return lines.join('\n') + '\n'
}
