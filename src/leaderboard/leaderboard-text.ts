import { mdText } from '../report/markdown-report.ts'
import { formatPercent } from '../report/metric-format.ts'
import type { BoardRow, Leaderboard } from './build-leaderboard.ts'

const pct = formatPercent
const ciText = (r: BoardRow) => (r.ci ? `${pct(r.ci[0])} – ${pct(r.ci[1])}` : '')

/** Run, suite and model names are user text: inert in Markdown, kept whole (no cut). */
const cell = (s: string) => mdText(s, Infinity)

/** leaderboard.md: one table per suite (rank, group, model, score ± CI, columns, n, flags), groups explained. */
export function leaderboardMarkdown(lb: Leaderboard): string {
  const out: string[] = ['# Leaderboard', '']
  for (const s of lb.suites) {
    out.push(`## ${cell(s.suite)} (${cell(s.task)})`, '')
    const head = ['rank', 'group', 'model', 'score', 'CI', ...s.columns.map(cell), 'scored', 'notes']
    out.push(`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 2 || i === head.length - 1 ? '---' : '---:')).join('|')}|`)
    for (const r of s.rows) out.push(`| ${r.rank} | ${r.group ?? '—'} | ${cell(r.model)}${r.generative ? ' (generative)' : ''} | ${pct(r.score)} | ${ciText(r)} | ${s.columns.map((c) => pct(r.columns[c] ?? NaN)).join(' | ')}${s.columns.length ? ' | ' : ''}${r.scored}/${r.examples} | ${cell(r.flags.join('; '))} |`)
    out.push('', `Group: models whose score is not significantly different from the group's top model (paired test on shared examples, α = ${lb.alpha}) share a group; group 1 is the leader's. "—": untested (no scores.jsonl).`, '')
    if (s.otherVersions.length) {
      out.push(`Runs of other versions of this suite (not ranked): ${s.otherVersions.map((r) => `${cell(r.model)} ${pct(r.score)}`).join(', ')}.`, '')
    }
  }
  return out.join('\n')
}

/** A CSV field: quoted when needed, quotes doubled; a leading = + - @ is prefixed so spreadsheets do not run it. */
function csvField(v: string | number | null): string {
  let s = v === null ? '' : String(v)
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** leaderboard.csv: one row per model and suite; section/subset columns as `col:<name>`; values as fractions. */
export function leaderboardCsv(lb: Leaderboard): string {
  const cols = [...new Set(lb.suites.flatMap((s) => s.columns))].sort()
  const head = ['suite', 'rank', 'group', 'model', 'spec', 'score', 'ci_low', 'ci_high', ...cols.map((c) => `col:${c}`), 'scored', 'examples', 'complete', 'ranked', 'flags', 'revision', 'date', 'rmbench_version', 'generative']
  const lines = [head.map(csvField).join(',')]
  for (const s of lb.suites)
    for (const [r, ranked] of [...s.rows.map((r) => [r, true] as const), ...s.otherVersions.map((r) => [r, false] as const)])
      lines.push([s.suite, ranked ? r.rank : null, r.group, r.model, r.spec, r.score, r.ci?.[0] ?? null, r.ci?.[1] ?? null, ...cols.map((c) => r.columns[c] ?? null), r.scored, r.examples, String(r.complete), String(ranked), r.flags.join('; '), r.provenance.revision, r.provenance.date, r.provenance.rmbenchVersion, String(r.generative)].map(csvField).join(','))
  return lines.join('\n') + '\n'
}
