import { Command, CommanderError } from 'commander'
import { isRmbenchError } from '../errors.ts'
import { osReason } from '../util/regular-file.ts'
import { rmbenchVersion } from '../run/provenance.ts'
import { registerCache } from './commands/cache.ts'
import { registerAudit } from './commands/audit.ts'
import { registerCompare } from './commands/compare.ts'
import { registerLeaderboard } from './commands/leaderboard.ts'
import { registerFetch } from './commands/fetch.ts'
import { registerMerge } from './commands/merge.ts'
import { registerReport } from './commands/report.ts'
import { registerRun } from './commands/run.ts'
import { registerValidate } from './commands/validate.ts'
import { processIO, type CliIO } from './output.ts'

/** Runs the CLI and returns its exit code: 0 ok, 1 a bug or a failed gate, 2 bad input, 3 completed with failures, 130 interrupted. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  let code = 0
  const setExit = (c: number) => { code = Math.max(code, c) }
  const program = new Command('rmbench')
    .description('evaluate reward models')
    .version(rmbenchVersion())
    .exitOverride()
    // Commander's own usage errors (an unknown flag, a missing argument) as the coded line every error has.
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (str, write) => write(`rmbench: error E_USAGE: ${str.replace(/^error: /, '')}`) })
    .showSuggestionAfterError(true)
  registerRun(program, io, setExit)
  registerValidate(program, io, setExit)
  registerFetch(program, io)
  registerCompare(program, io, setExit)
  registerAudit(program, io)
  registerReport(program, io)
  registerLeaderboard(program, io)
  registerMerge(program, io, setExit)
  registerCache(program, io)
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2
    if (isRmbenchError(e)) {
      io.err(`rmbench: error ${e.code}: ${e.message}\n`)
      return 2
    }
    // An OS error no loader turned into its own code is still bad input, not a bug: say which path and why.
    const os = e as NodeJS.ErrnoException
    if (os && typeof os.code === 'string' && /^E[A-Z]+$/.test(os.code) && typeof os.path === 'string') {
      io.err(`rmbench: error E_IO: ${os.path}: ${osReason(os)} (${os.syscall ?? 'access'}). Check the path and its permissions, or choose another.\n`)
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
