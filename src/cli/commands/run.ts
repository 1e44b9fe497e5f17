import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../../config/load-config.ts'
import { RmbenchError } from '../../errors.ts'
import { formatSummary } from '../../report/reporters/console.ts'
import { defaultOutDir, runSuite } from '../../run/run-suite.ts'
import type { RunnerOptions } from '../../runners/types.ts'
import { loadSuite } from '../../suite/load-suite.ts'
import { withJudge } from '../../tasks/self-preference/self-preference-task.ts'
import type { CliIO } from '../output.ts'
import { cliHub } from '../hub-client.ts'
import { progressPrinter } from '../progress.ts'
import { resolveModel } from '../resolve-model.ts'

interface RunFlags {
  model?: string; out?: string; config?: string; device?: string; batchSize?: string; maxLength?: string
  template?: string; label?: string; paddingSide?: string; limit?: string; quiet?: boolean; json?: boolean
  lm?: string[]; beta?: string; offline?: boolean; format?: string; png?: boolean; judge?: string
}

const OUTPUT_FORMATS = ['table', 'json', 'md', 'html']

const FLAG_OPTIONS: [keyof RunFlags, string][] = [
  ['device', 'device'], ['batchSize', 'batch_size'], ['maxLength', 'max_length'], ['template', 'template'], ['label', 'label'], ['paddingSide', 'padding_side'],
]

/** `rmbench run <suite>`: scores a suite with a model and writes results.json + scores.jsonl. */
export function registerRun(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('score a suite with a model; writes <out>/results.json and scores.jsonl')
    .argument('<suite>', 'suite.yaml or a folder holding one (e.g. suites/quickstart)')
    .option('-m, --model <spec>', 'onnx:<folder>, baseline:length, baseline:random, or a name from bench.config.ts')
    .option('-o, --out <dir>', 'output folder (default reports/<suite>-<model>-<time>); an unfinished run there is resumed')
    .option('--config <file>', 'bench.config.ts to use (default: ./bench.config.ts if present)')
    .option('--device <cpu|cuda>', 'execution provider for ONNX models')
    .option('--batch-size <n>', 'sequences per model call')
    .option('--max-length <n>', 'tokens kept per input (left truncation)')
    .option('--template <name>', "chat (tokenizer's own), pair, raw, tulu, chatml, hh")
    .option('--label <label>', 'reward column of a multi-label head: index, name, or good-bad')
    .option('--padding-side <side>', 'left | right')
    .option('--lm <name=spec>', 'an LM for an expr: model (repeatable), e.g. --lm policy=onnx:./policy', (v: string, prev: string[] = []) => [...prev, v])
    .option('--beta <x>', "the value of 'beta' in an expr: model (default 1)")
    .option('--judge <name>', "self-preference suites: the judge's model name as the data spells it (overrides judge.name)")
    .option('--limit <n>', 'score only the first n examples')
    .option('--offline', 'use only the hub cache (same as HF_HUB_OFFLINE=1); a missing file is an error naming it')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--format <table|json|md|html>', 'what to print on stdout: the summary table (default), results.json, report.md or report.html')
    .option('--json', 'same as --format json')
    .option('--png', 'also write the report charts as charts/<name>.png')
    .action(async (suiteArg: string, flags: RunFlags) => {
      const format = flags.json ? 'json' : (flags.format ?? 'table')
      if (!OUTPUT_FORMATS.includes(format)) throw new RmbenchError('E_USAGE', `--format ${format}: expected one of ${OUTPUT_FORMATS.join(', ')}.`)
      const cwd = process.cwd()
      const loaded = loadSuite(suiteArg, cwd)
      const suite = flags.judge ? { ...loaded, spec: withJudge(loaded.spec, flags.judge) } : loaded
      const config = await loadConfig(cwd, flags.config)
      const opts: RunnerOptions = {}
      for (const [flag, key] of FLAG_OPTIONS) if (flags[flag] !== undefined) opts[key] = String(flags[flag])
      let limit: number | undefined
      if (flags.limit !== undefined) {
        limit = Number(flags.limit)
        if (!Number.isInteger(limit) || limit < 1) throw new RmbenchError('E_USAGE', `--limit ${flags.limit}: expected a positive integer.`)
      }
      const warn = (m: string) => io.err(`rmbench: warning: ${m}\n`)
      let beta: number | undefined
      if (flags.beta !== undefined) {
        beta = Number(flags.beta)
        if (!Number.isFinite(beta)) throw new RmbenchError('E_USAGE', `--beta ${flags.beta}: expected a number.`)
      }
      const hub = cliHub(io, { offline: flags.offline, quiet: flags.quiet })
      const { runner, spec } = await resolveModel(flags.model, opts, config, warn, cwd, { lms: flags.lm, beta, hub })
      const outDir = flags.out ?? defaultOutDir(config.reportsDir, suite.spec.name, runner.id)
      const abort = new AbortController()
      let interrupts = 0
      const onSigint = () => {
        if (++interrupts > 1) process.exit(130)
        io.err('\nrmbench: stopping after the current batch (Ctrl-C again to quit now)…\n')
        abort.abort()
      }
      process.on('SIGINT', onSigint)
      try {
        const outcome = await runSuite({ suite, runner, modelSpec: spec, outDir, signal: abort.signal, onProgress: progressPrinter(io, Boolean(flags.quiet)), limit, warn, hub, png: flags.png })
        if (outcome.interrupted || !outcome.result) {
          io.err(`rmbench: interrupted; ${outcome.scored} scores are saved in ${outcome.outDir}/records.jsonl. Resume with: rmbench run ${suiteArg} --out ${outcome.outDir}\n`)
          setExit(130)
          return
        }
        if (format === 'json') io.out(JSON.stringify(outcome.result, null, 2) + '\n')
        else if (format === 'table') io.out(formatSummary(outcome.result, outcome.outDir))
        else io.out(readFileSync(join(outcome.outDir, `report.${format}`), 'utf8'))
      } finally {
        process.off('SIGINT', onSigint)
        await runner.dispose?.()
      }
    })
}
