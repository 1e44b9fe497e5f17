import type { Command } from 'commander'
import { isRmbenchError, messageOf } from '../../errors.ts'
import { loadSuite } from '../../suite/load-suite.ts'
import { tasks } from '../../tasks/registry.ts'
import { judgeTask } from '../../tasks/judge/judge-task.ts'
import type { CliIO } from '../output.ts'

/** `rmbench validate <suites...>`: checks suites against the schema (and task settings) without running them. */
export function registerValidate(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check suite files against schemas/suite.schema.json without running them')
    .argument('<suites...>', 'suite.yaml files or folders')
    .action(async (args: string[]) => {
      let bad = 0
      for (const a of args) {
        try {
          const s = loadSuite(a)
          const task = tasks.get(s.spec.task, s.file)
          task.check?.(s.spec)
          // A judge block is checked as a judge run would read it (its prompt's kind, its rule), where a judge can run.
          if (s.spec.judge && ['pairwise', 'style-matrix', 'best-of-n'].includes(task.name)) judgeTask(task).check?.(s.spec)
          io.out(`ok    ${a}\n`)
        } catch (e) {
          if (!isRmbenchError(e)) throw e
          bad++
          io.out(`FAIL  ${a}\n`)
          io.err(`rmbench: error ${e.code}: ${messageOf(e)}\n`)
        }
      }
      if (bad) {
        io.err(`${bad} of ${args.length} suite(s) invalid\n`)
        setExit(2)
      }
    })
}
