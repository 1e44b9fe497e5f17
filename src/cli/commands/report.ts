import { dirname, join } from 'node:path'
import type { Command } from 'commander'
import { RmbenchError } from '../../errors.ts'
import { htmlReport } from '../../report/html-report.ts'
import { markdownReport } from '../../report/markdown-report.ts'
import { readResults } from '../../report/read-results.ts'
import { readScoreRows } from '../../report/read-score-rows.ts'
import { readWorst } from '../../report/read-worst.ts'
import { renderCharts, writeReports } from '../../report/report-files.ts'
import { ScoreCache } from '../../run/score-cache.ts'
import type { CliIO } from '../output.ts'

const FORMATS = ['md', 'html', 'json']

/** `rmbench report <run>`: (re)writes report.md, report.html and charts/ of a finished run from the files it left. */
export function registerReport(program: Command, io: CliIO): void {
  program
    .command('report')
    .description('write report.md, report.html and charts/*.vl.json for a finished run (run writes them too)')
    .argument('<run>', 'run folder or its results.json')
    .option('--stdout', 'print one report (see --format) instead of writing files')
    .option('--format <md|html|json>', 'what --stdout prints (default md)', 'md')
    .option('--png', 'also write each chart as charts/<name>.png')
    .action(async (arg: string, flags: { stdout?: boolean; format: string; png?: boolean }) => {
      if (!FORMATS.includes(flags.format)) throw new RmbenchError('E_USAGE', `--format ${flags.format}: expected one of ${FORMATS.join(', ')}.`)
      const { file, result } = readResults(arg)
      const dir = dirname(file)
      const worst = readWorst(dir)
      const rows = readScoreRows(join(dir, 'scores.jsonl')).map((r) => r.row)
      const warn = (m: string) => io.err(`rmbench: warning: ${m}\n`)
      // Charts drawn before (by the run, or an earlier report) come from the cache when it is on.
      const memo = ScoreCache.fromEnv(process.env)
      if (flags.stdout) {
        if (flags.format === 'json') return void io.out(JSON.stringify(result, null, 2) + '\n')
        if (flags.format === 'md') return void io.out(markdownReport(result, worst))
        return void io.out(htmlReport(result, worst, await renderCharts(result, rows, warn, memo)))
      }
      const files = await writeReports(dir, result, rows, worst, { png: flags.png, warn, memo })
      io.out(files.map((f) => join(dir, f)).join('\n') + '\n')
    })
}
