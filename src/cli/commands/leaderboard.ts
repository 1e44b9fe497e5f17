import { join } from 'node:path'
import type { Command } from 'commander'
import { RmbenchError } from '../../errors.ts'
import { strictInt, strictNumber } from '../../util/strict-number.ts'
import { buildLeaderboard, readBoardRuns } from '../../leaderboard/build-leaderboard.ts'
import { collectResultFiles } from '../../leaderboard/collect-runs.ts'
import { writeLeaderboard } from '../../leaderboard/write-leaderboard.ts'
import type { CliIO } from '../output.ts'

/** `rmbench leaderboard <runs…> --out <dir>`: a static site and md/csv/json tables of many runs, with significance groups. */
export function registerLeaderboard(program: Command, io: CliIO): void {
  program
    .command('leaderboard')
    .description('rank runs per suite with significance groups: index.html (static, works from file://), leaderboard.{md,csv,json}, a page per model')
    .argument('<runs...>', 'results.json files, run folders, folders of runs, or globs (quote them: "reports/*")')
    .requiredOption('-o, --out <dir>', 'folder for the site and tables')
    .option('--alpha <x>', 'significance level of the paired tests that form groups (default 0.05)')
    .option('--resamples <n>', 'paired bootstrap resamples for metrics without an exact test (default 2000)')
    .action(async (args: string[], flags: { out: string; alpha?: string; resamples?: string }) => {
      const alpha = flags.alpha === undefined ? undefined : strictNumber(flags.alpha)
      if (flags.alpha !== undefined && !(alpha !== undefined && alpha > 0 && alpha < 1)) throw new RmbenchError('E_USAGE', `--alpha ${flags.alpha}: expected a number between 0 and 1.`)
      const resamples = flags.resamples === undefined ? undefined : strictInt(flags.resamples)
      if (flags.resamples !== undefined && !(resamples !== undefined && resamples >= 100 && resamples <= 1_000_000)) throw new RmbenchError('E_USAGE', `--resamples ${flags.resamples}: expected an integer from 100 to 1,000,000.`)
      const files = collectResultFiles(args, process.cwd())
      const runs = readBoardRuns(files)
      const lb = buildLeaderboard(runs, { alpha, resamples })
      await writeLeaderboard(flags.out, lb, runs, (m) => io.err(`rmbench: warning: ${m}\n`))
      for (const s of lb.suites) {
        io.out(`${s.suite}: ${s.rows.length} model${s.rows.length === 1 ? '' : 's'}${s.otherVersions.length ? `, ${s.otherVersions.length} of other suite versions (not ranked)` : ''}\n`)
        for (const r of s.rows) io.out(`  ${String(r.rank).padStart(3)}  g${r.group ?? '-'}  ${(100 * r.score).toFixed(2).padStart(6)}  ${r.model}${r.flags.length ? `  ⚠ ${r.flags.join('; ')}` : ''}\n`)
      }
      io.out(`→ ${join(flags.out, 'index.html')}\n`)
    })
}
