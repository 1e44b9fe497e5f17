import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { htmlReport } from '../report/html-report.ts'
import { readScoreRows } from '../report/read-score-rows.ts'
import { renderCharts } from '../report/report-files.ts'
import type { WorstExample } from '../report/worst-examples.ts'
import { RmbenchError } from '../errors.ts'
import { osReason } from '../util/regular-file.ts'
import { writeAtomic } from '../util/write-atomic.ts'
import type { BoardRow, BoardRun, Leaderboard } from './build-leaderboard.ts'
import { leaderboardHtml } from './leaderboard-html.ts'
import { leaderboardCsv, leaderboardMarkdown } from './leaderboard-text.ts'
import { readWorst } from '../report/read-worst.ts'

/** A model page is still worth writing without worst examples: an unreadable worst.json leaves them out. */
function worstOf(dir: string): WorstExample[] {
  try {
    return readWorst(dir)
  } catch {
    return []
  }
}

/** Writes index.html, leaderboard.{md,csv,json}, a page per model (its report: charts, tables, worst examples) and its explorer. */
export async function writeLeaderboard(out: string, lb: Leaderboard, runs: BoardRun[], warn?: (m: string) => void): Promise<string[]> {
  try {
    mkdirSync(join(out, 'models'), { recursive: true })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new RmbenchError(code === 'ENOTDIR' || code === 'EEXIST' ? 'E_USAGE' : 'E_IO', `leaderboard --out ${out}: ${code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way (the path or a parent is a file, not a folder)' : osReason(e)}; choose another --out folder.`, { dir: out })
  }
  const results = new Map(runs.map((b) => [b.file, b.result]))
  const rows: BoardRow[] = lb.suites.flatMap((s) => [...s.rows, ...s.otherVersions])
  const explorers: string[] = []
  for (const r of rows) {
    const dir = dirname(r.file)
    const result = results.get(r.file)!
    // readScoreRows gives [] without a scores.jsonl: the page then has the charts its metrics alone allow.
    const scoreRows = readScoreRows(join(dir, 'scores.jsonl')).map((x) => x.row)
    // The run's explorer travels with its page: a published site must not point into someone's run folders.
    const explorer = r.page.replace(/\.html$/, '.explorer.html')
    const hasExplorer = existsSync(join(dir, 'explorer.html'))
    if (hasExplorer) copyFileSync(join(dir, 'explorer.html'), join(out, explorer))
    const page = htmlReport(result, worstOf(dir), await renderCharts(result, scoreRows, warn), { backLink: '../index.html', ...(hasExplorer ? { explorer: basename(explorer) } : {}) })
    writeAtomic(join(out, r.page), page)
    if (hasExplorer) explorers.push(explorer)
  }
  writeAtomic(join(out, 'leaderboard.json'), JSON.stringify(lb, null, 2) + '\n')
  writeAtomic(join(out, 'leaderboard.md'), leaderboardMarkdown(lb))
  writeAtomic(join(out, 'leaderboard.csv'), leaderboardCsv(lb))
  writeAtomic(join(out, 'index.html'), leaderboardHtml(lb))
  return ['index.html', 'leaderboard.md', 'leaderboard.csv', 'leaderboard.json', ...rows.map((r) => r.page), ...explorers]
}
