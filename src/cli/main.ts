import { Command, CommanderError } from 'commander'
import { isRmbenchError } from '../errors.ts'
import { rmbenchVersion } from '../run/provenance.ts'
import { registerCache } from './commands/cache.ts'
import { registerCompare } from './commands/compare.ts'
import { registerLeaderboard } from './commands/leaderboard.ts'
import { registerFetch } from './commands/fetch.ts'
import { registerMerge } from './commands/merge.ts'
import { registerReport } from './commands/report.ts'
import { registerRun } from './commands/run.ts'
import { registerValidate } from './commands/validate.ts'
import { processIO, type CliIO } from './output.ts'

/** Runs the CLI and returns its exit code: 0 ok, 1 a bug, 2 bad input, 130 interrupted. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  let code = 0
  const setExit = (c: number) => { code = Math.max(code, c) }
  const program = new Command('rmbench')
    .description('evaluate reward models')
    .version(rmbenchVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError(true)
  registerRun(program, io, setExit)
  registerValidate(program, io, setExit)
  registerFetch(program, io)
  registerCompare(program, io, setExit)
  registerReport(program, io)
  registerLeaderboard(program, io)
  registerMerge(program, io)
  registerCache(program, io)
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2
    if (isRmbenchError(e)) {
      io.err(`rmbench: error ${e.code}: ${e.message}\n`)
      return 2
    }
    // A bug, not bad input: say so plainly; the stack only on request.
    io.err(`rmbench: internal error: ${(e as Error)?.message ?? e}\n${process.env.RMBENCH_DEBUG ? (e as Error)?.stack + '\n' : 'Set RMBENCH_DEBUG=1 for the stack trace, and please report it.\n'}`)
    return 1
  }
  return code
}

/** The process entry: the only place that exits. */
export async function runMain(argv: string[]): Promise<void> {
  // Libraries (the hub client among them) may print with console.log/debug; stdout carries results only.
  console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args)
  process.exitCode = await runCli(argv)
}
