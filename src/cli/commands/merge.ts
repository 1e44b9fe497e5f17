import type { Command } from 'commander'
import { mergeShards } from '../../run/merge-shards.ts'
import { formatSummary } from '../../report/reporters/console.ts'
import { shownPath, type CliIO } from '../output.ts'

/** `rmbench merge <shard dirs…> --out <dir>`: one run from the N shards of `rmbench run --shard i/N`. */
export function registerMerge(program: Command, io: CliIO): void {
  program
    .command('merge')
    .description('combine the folders of `rmbench run --shard i/N` into one run (results equal an unsharded run)')
    .argument('<shards...>', 'the shard output folders, all N of them')
    .requiredOption('-o, --out <dir>', 'folder for the merged run')
    .option('--suite <file>', "the suite file, when it is not where the shards recorded it (its hash must match)")
    .option('--json', 'print results.json instead of the summary table')
    .option('--png', 'also write the report charts as charts/<name>.png')
    .action(async (dirs: string[], flags: { out: string; suite?: string; json?: boolean; png?: boolean }) => {
      const warn = (m: string) => io.err(`rmbench: warning: ${m}\n`)
      const outcome = await mergeShards({ dirs, outDir: flags.out, suiteFile: flags.suite, cwd: process.cwd(), warn, png: flags.png })
      if (!outcome.result) return
      io.out(flags.json ? JSON.stringify(outcome.result, null, 2) + '\n' : formatSummary(outcome.result, shownPath(outcome.outDir)))
    })
}
