import type { Command } from 'commander'
import { RmbenchError } from '../../errors.ts'
import { failureVerdict, parseAllowance } from '../../run/failure-policy.ts'
import { mergeShards } from '../../run/merge-shards.ts'
import { formatSummary } from '../../report/reporters/console.ts'
import { shownPath, type CliIO } from '../output.ts'

/** `rmbench merge <shard dirs…> --out <dir>`: one run from the N shards of `rmbench run --shard i/N`. */
export function registerMerge(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('merge')
    .description('combine the folders of `rmbench run --shard i/N` into one run, computed as an unsharded run computes it from the same scores')
    .argument('<shards...>', 'the shard output folders, all N of them')
    .requiredOption('-o, --out <dir>', 'folder for the merged run')
    .option('--suite <file>', "the suite file, when it is not where the shards recorded it (its hash must match)")
    .option('--json', 'print results.json instead of the summary table')
    .option('--png', 'also write the report charts as charts/<name>.png')
    .option('--max-failures <n|p%>', 'failed examples allowed before merge exits 3 (default: the suite max_failures, else 0)')
    .action(async (dirs: string[], flags: { out: string; suite?: string; json?: boolean; png?: boolean; maxFailures?: string }) => {
      if (flags.out.trim() === '') throw new RmbenchError('E_USAGE', `--out needs a folder path; got '${flags.out}'.`)
      const warn = (m: string) => io.err(`rmbench: warning: ${m}\n`)
      const outcome = await mergeShards({ dirs, outDir: flags.out, suiteFile: flags.suite, cwd: process.cwd(), warn, png: flags.png })
      if (!outcome.result) return
      io.out(flags.json ? JSON.stringify(outcome.result, null, 2) + '\n' : formatSummary(outcome.result, shownPath(outcome.outDir)))
      const fromSuite = (outcome.result.suite.spec as { max_failures?: number | string }).max_failures
      const failing = failureVerdict(outcome.result.counts, parseAllowance(flags.maxFailures ?? fromSuite ?? 0, flags.maxFailures !== undefined ? '--max-failures' : 'the suite\'s max_failures'))
      if (failing) {
        io.err(`rmbench: completed with failures: ${failing}\n`)
        setExit(3)
      }
    })
}
