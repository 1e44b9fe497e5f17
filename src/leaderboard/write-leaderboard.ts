import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { htmlReport } from '../report/html-report.ts'
import { readScoreRows } from '../report/read-score-rows.ts'
import { renderCharts } from '../report/report-files.ts'
import type { WorstExample } from '../report/worst-examples.ts'
import { writeAtomic } from '../util/write-atomic.ts'
import type { BoardRow, Leaderboard } from './build-leaderboard.ts'
import { leaderboardHtml } from './leaderboard-html.ts'
import { leaderboardCsv, leaderboardMarkdown } from './leaderboard-text.ts'
import { readResults } from '../report/read-results.ts'

function worstOf(dir: string): WorstExample[] {
  try {
    const w = JSON.parse(readFileSync(join(dir, 'worst.json'), 'utf8'))
    return Array.isArray(w) ? w : []
  } catch {
    return []
  }
}

/** Writes index.html, leaderboard.{md,csv,json} and a page per model (its report: charts, tables, worst examples). */
export async function writeLeaderboard(out: string, lb: Leaderboard, warn?: (m: string) => void): Promise<string[]> {
  mkdirSync(join(out, 'models'), { recursive: true })
  const rows: BoardRow[] = lb.suites.flatMap((s) => [...s.rows, ...s.otherVersions])
  for (const r of rows) {
    const dir = dirname(r.file)
    const { result } = readResults(r.file)
    const scoreRows = existsSync(join(dir, 'scores.jsonl')) ? readScoreRows(join(dir, 'scores.jsonl')).map((x) => x.row) : []
    const page = htmlReport(result, worstOf(dir), await renderCharts(result, scoreRows, warn), { backLink: '../index.html' })
    writeAtomic(join(out, r.page), page)
  }
  writeAtomic(join(out, 'leaderboard.json'), JSON.stringify(lb, null, 2) + '\n')
  writeAtomic(join(out, 'leaderboard.md'), leaderboardMarkdown(lb))
  writeAtomic(join(out, 'leaderboard.csv'), leaderboardCsv(lb))
  writeAtomic(join(out, 'index.html'), leaderboardHtml(lb))
  return ['index.html', 'leaderboard.md', 'leaderboard.csv', 'leaderboard.json', ...rows.map((r) => r.page)]
}
