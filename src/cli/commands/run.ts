import { setMaxListeners } from 'node:events'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../../config/load-config.ts'
import { RmbenchError } from '../../errors.ts'
import { formatSummary } from '../../report/reporters/console.ts'
import { defaultOutDir, runFolderPrefix, runSuite } from '../../run/run-suite.ts'
import { failureVerdict, parseAllowance } from '../../run/failure-policy.ts'
import { ScoreCache } from '../../run/score-cache.ts'
import { parseShard } from '../../run/shard-manifest.ts'
import type { RunnerOptions } from '../../runners/types.ts'
import { runners } from '../../runners/registry.ts'
import { loadSuite } from '../../suite/load-suite.ts'
import { BUNDLED_MODELS } from '../../util/bundled.ts'
import { strictInt, strictNumber } from '../../util/strict-number.ts'
import { withJudge } from '../../tasks/self-preference/self-preference-task.ts'
import { shownPath, type CliIO } from '../output.ts'
import { cliHub } from '../hub-client.ts'
import { progressPrinter } from '../progress.ts'
import { resolveModel } from '../resolve-model.ts'

interface RunFlags {
  model?: string; out?: string; config?: string; device?: string; batchSize?: string; maxLength?: string
  template?: string; label?: string; paddingSide?: string; limit?: string; quiet?: boolean; json?: boolean
  lm?: string[]; beta?: string; offline?: boolean; format?: string; png?: boolean; judge?: string
  endpoint?: string[]; concurrency?: string; timeoutMs?: string; retries?: string; shard?: string; resume?: boolean; retryErrors?: boolean; force?: boolean; maxFailures?: string
  cache?: boolean; cacheDir?: string; stream?: boolean
}

const OUTPUT_FORMATS = ['table', 'json', 'md', 'html']

const FLAG_OPTIONS: [keyof RunFlags, string][] = [
  ['device', 'device'], ['batchSize', 'batch_size'], ['maxLength', 'max_length'], ['template', 'template'], ['label', 'label'], ['paddingSide', 'padding_side'],
  ['concurrency', 'concurrency'], ['timeoutMs', 'timeout_ms'], ['retries', 'retries'],
]

const collect = (v: string, prev: string[] = []) => [...prev, v]

/** The newest unfinished-or-finished run folder of this suite and model under reportsDir, for --resume without --out. */
function latestRun(reportsDir: string, suite: string, model: string): string | null {
  const prefix = runFolderPrefix(reportsDir, suite, model)
  const dir = dirname(prefix)
  if (!existsSync(dir)) return null
  const base = basename(prefix)
  const found = readdirSync(dir).filter((n) => n.startsWith(base) && existsSync(join(dir, n, 'records.jsonl'))).sort()
  return found.length ? join(dir, found[found.length - 1]) : null
}

/** The model half of `rmbench run --help`: every spec kind from the runner registry, then examples. */
function modelHelp(): string {
  const rows = [...runners.names().map((n) => runners.get(n).usage), 'expr:<expression>  a reward from causal-LM log-likelihoods, with --lm name=<spec>']
    .map((u) => u.split('  '))
  const width = Math.max(...rows.map(([form]) => form.length))
  return [
    '',
    'Models (--model):',
    ...rows.map(([form, what]) => `  ${form.padEnd(width)}  ${what}`),
    `  bundled: ${BUNDLED_MODELS.join(', ')} (usable by name from any folder); or a name from bench.config.ts`,
    '  Options go after ? (onnx:./rm?max_length=512&label=1) or as flags (--max-length 512).',
    '',
    'Examples:',
    '  rmbench run suites/quickstart --model onnx:./my-rm',
    "  rmbench run quickstart --model 'vllm:http://gpu1:8000?tokenizer=./tok/my-rm'",
    "  rmbench run quickstart --model 'expr:beta * (logp(policy) - logp(ref))' --lm policy=tiny-lm-policy --lm ref=tiny-lm-ref --beta 0.1",
    '',
  ].join('\n')
}

/** `rmbench run <suite>`: scores a suite with a model and writes results.json + scores.jsonl. */
export function registerRun(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('score a suite with a model; writes <out>/results.json and scores.jsonl')
    .argument('<suite>', 'suite.yaml or a folder holding one (e.g. suites/quickstart)')
    .option('-m, --model <spec>', 'a model spec (below), expr:<expression>, a name from bench.config.ts, or a bundled model')
    .option('-o, --out <dir>', 'output folder (default reports/<suite>-<model>-<time>); an unfinished run there is resumed')
    .option('--config <file>', 'bench.config.ts to use (default: ./bench.config.ts if present)')
    .option('--device <cpu|cuda>', 'execution provider for ONNX models')
    .option('--batch-size <n>', 'sequences per model call')
    .option('--max-length <n>', 'tokens kept per input (left truncation)')
    .option('--template <name>', "chat (tokenizer's own), pair, raw, tulu, chatml, hh")
    .option('--label <label>', 'reward column of a multi-label head: index, name, or good-bad')
    .option('--padding-side <side>', 'left | right')
    .option('--lm <name=spec>', 'an LM for an expr: model (repeatable), e.g. --lm policy=onnx:./policy', collect)
    .option('--beta <x>', "the value of 'beta' in an expr: model (default 1)")
    .option('--judge <name>', "self-preference suites: the judge's model name as the data spells it (overrides judge.name)")
    .option('--endpoint <url>', 'a replica of a served model (vllm:, openai:, tei:); repeat for several', collect)
    .option('--concurrency <n>', 'served models: requests in flight per replica')
    .option('--timeout-ms <n>', 'served models: per-request timeout')
    .option('--retries <n>', 'served models: further attempts after a retryable failure')
    .option('--shard <i/N>', 'score only shard i of N (by request hash); combine the N folders with rmbench merge')
    .option('--max-failures <n|p%>', 'failed examples allowed before the run exits 3 (default: the suite max_failures, else 0)')
    .option('--force', 'replace a run of another suite or model found in the --out folder (refused otherwise)')
    .option('--resume', 'continue the newest run of this suite and model (or the --out folder): nothing finished is scored again')
    .option('--retry-errors', 'ask again for requests that failed in an earlier attempt of this run (they are kept as failures otherwise)')
    .option('--stream', 'read, score and reduce the data in windows, never holding it (pairwise suites; automatic past 256 MB of local data)')
    .option('--no-stream', 'hold the data in memory even when it is large')
    .option('--no-cache', 'neither read nor fill the shared score cache (same as RMBENCH_NO_CACHE=1)')
    .option('--cache-dir <dir>', 'the shared score cache (default $RMBENCH_CACHE_DIR, else ~/.cache/rmbench)')
    .option('--limit <n>', 'score only the first n examples')
    .option('--offline', 'use only the hub cache (same as HF_HUB_OFFLINE=1); a missing file is an error naming it')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--format <table|json|md|html>', 'what to print on stdout: the summary table (default), results.json, report.md or report.html')
    .option('--json', 'same as --format json')
    .option('--png', 'also write the report charts as charts/<name>.png')
    .addHelpText('after', modelHelp)
    .action(async (suiteArg: string, flags: RunFlags) => {
      const format = flags.json ? 'json' : (flags.format ?? 'table')
      if (!OUTPUT_FORMATS.includes(format)) throw new RmbenchError('E_USAGE', `--format ${format}: expected one of ${OUTPUT_FORMATS.join(', ')}.`)
      const cwd = process.cwd()
      const loaded = loadSuite(suiteArg, cwd)
      const suite = flags.judge ? { ...loaded, spec: withJudge(loaded.spec, flags.judge) } : loaded
      const cache = flags.cache === false ? null : ScoreCache.fromEnv(process.env, flags.cacheDir)
      const config = await loadConfig(cwd, flags.config, cache ?? undefined)
      const opts: RunnerOptions = {}
      for (const [flag, key] of FLAG_OPTIONS) if (flags[flag] !== undefined) opts[key] = String(flags[flag])
      if (flags.endpoint?.length) opts.endpoints = flags.endpoint.join(',')
      const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
      let limit: number | undefined
      if (flags.limit !== undefined) {
        const n = strictInt(flags.limit)
        if (n === undefined || n < 1) throw new RmbenchError('E_USAGE', `--limit ${flags.limit}: expected a positive integer in decimal digits.`)
        limit = n
      }
      const warn = (m: string) => io.err(`rmbench: warning: ${m}\n`)
      let beta: number | undefined
      if (flags.beta !== undefined) {
        beta = strictNumber(flags.beta)
        if (beta === undefined) throw new RmbenchError('E_USAGE', `--beta ${flags.beta}: expected a finite number.`)
      }
      const hub = cliHub(io, { offline: flags.offline, quiet: flags.quiet })
      const { runner, spec } = await resolveModel(flags.model, opts, config, warn, cwd, { lms: flags.lm, beta, hub, memo: cache ?? undefined })
      const runName = shard ? `${runner.id}-shard${shard.index}of${shard.count}` : runner.id
      const allowance = parseAllowance(flags.maxFailures ?? suite.spec.max_failures ?? 0, flags.maxFailures !== undefined ? '--max-failures' : `${suite.file}: max_failures`)
      if (flags.out !== undefined && flags.out.trim() === '') throw new RmbenchError('E_USAGE', `--out needs a folder path; got '${flags.out}'.`)
      let outDir = flags.out ?? defaultOutDir(config.reportsDir, suite.spec.name, runName)
      if (flags.resume && !flags.out) {
        const found = latestRun(config.reportsDir, suite.spec.name, runName)
        if (!found) throw new RmbenchError('E_USAGE', `--resume: no earlier run of ${suite.spec.name} with ${runner.id} under ${config.reportsDir}/; pass its folder with --out.`)
        outDir = found
        io.err(`rmbench: resuming ${outDir}\n`)
      } else if (flags.resume && !existsSync(join(flags.out!, 'records.jsonl'))) {
        throw new RmbenchError('E_USAGE', `--resume: ${flags.out} holds no records.jsonl, so there is nothing to resume; drop --resume to start there.`)
      }
      const abort = new AbortController()
      // Every request in flight to a served model listens for Ctrl-C: hundreds at once is expected, not a leak.
      setMaxListeners(0, abort.signal)
      let interrupts = 0
      const onSigint = () => {
        if (++interrupts > 1) process.exit(130)
        io.err('\nrmbench: stopping after the current batch (Ctrl-C again to quit now)…\n')
        abort.abort()
      }
      process.on('SIGINT', onSigint)
      try {
        const outcome = await runSuite({ suite, runner, modelSpec: spec, outDir, signal: abort.signal, onProgress: progressPrinter(io, Boolean(flags.quiet)), limit, warn, hub, png: flags.png, retryErrors: flags.retryErrors, shard, judge: flags.judge, cache, stream: flags.stream, force: flags.force })
        const health = runner.health?.()
        if (health) warn(health)
        if (outcome.interrupted) {
          io.err(`rmbench: interrupted; ${outcome.scored} scores are saved in ${outcome.outDir}/records.jsonl. Resume with: rmbench run ${suiteArg} --out ${outcome.outDir}${shard ? ` --shard ${flags.shard}` : ''}\n`)
          setExit(130)
          return
        }
        if (outcome.shard) {
          const c = outcome.shard.counts
          io.out(`shard ${shard!.index}/${shard!.count}: ${c.scored} of ${c.requests} requests scored${c.failed ? `, ${c.failed} FAILED (--retry-errors to ask again)` : ''}; records in ${outcome.outDir}.\nWhen all ${shard!.count} shards are done: rmbench merge <their folders> --out <dir>\n`)
          // A shard counts requests, not examples: its failures are judged when the merge sees whole examples.
          if (c.requests > 0 && c.scored === 0) {
            io.err(`rmbench: shard ${shard!.index}/${shard!.count} scored none of its ${c.requests} requests\n`)
            setExit(3)
          }
          return
        }
        if (!outcome.result) return
        if (outcome.failedBefore) warn(`${outcome.failedBefore} request(s) failed in an earlier attempt and were not asked again; --retry-errors asks them again.`)
        if (format === 'json') io.out(JSON.stringify(outcome.result, null, 2) + '\n')
        else if (format === 'table') io.out(formatSummary(outcome.result, shownPath(outcome.outDir)))
        else io.out(readFileSync(join(outcome.outDir, `report.${format}`), 'utf8'))
        const failing = failureVerdict(outcome.result.counts, allowance)
        if (failing) {
          io.err(`rmbench: completed with failures: ${failing}\n`)
          setExit(3)
        }
      } finally {
        process.off('SIGINT', onSigint)
        await runner.dispose?.()
      }
    })
}
