import type { Command } from 'commander'
import { RmbenchError } from '../../errors.ts'
import { ScoreCache } from '../../run/score-cache.ts'
import type { CliIO } from '../output.ts'

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`

function cacheOf(dir: string | undefined): ScoreCache {
  // `cache` manages the folder even when runs are told not to use it.
  return ScoreCache.fromEnv({ ...process.env, RMBENCH_NO_CACHE: '' }, dir)!
}

/** `rmbench cache stats|clear`: what the shared score cache holds, and emptying it. */
export function registerCache(program: Command, io: CliIO): void {
  const cache = program.command('cache').description('the score cache shared by runs and suites (scores keyed by model fingerprint and request hash)')
  cache
    .command('stats')
    .description('models, records and bytes held')
    .option('--cache-dir <dir>', 'the cache folder (default $RMBENCH_CACHE_DIR, else ~/.cache/rmbench)')
    .option('--json', 'print JSON')
    .action((flags: { cacheDir?: string; json?: boolean }) => {
      const c = cacheOf(flags.cacheDir)
      const models = c.stats()
      const total = { models: models.length, records: models.reduce((a, m) => a + m.records, 0), bytes: models.reduce((a, m) => a + m.bytes, 0) }
      if (flags.json) {
        io.out(JSON.stringify({ dir: c.root, ...total, entries: models }, null, 2) + '\n')
        return
      }
      io.out(`score cache: ${c.root}\n${total.models} model(s), ${total.records} score(s), ${mb(total.bytes)}\n`)
      for (const m of models) io.out(`  ${m.fingerprint}  ${String(m.records).padStart(8)} scores  ${mb(m.bytes).padStart(9)}  ${m.lastWrite ?? '-'}  ${m.id ?? '(unnamed)'}\n`)
    })
  cache
    .command('clear')
    .description('delete cached scores: every model, or those whose fingerprint starts with --model')
    .option('--cache-dir <dir>', 'the cache folder (default $RMBENCH_CACHE_DIR, else ~/.cache/rmbench)')
    .option('--model <fingerprint>', 'only this model (a fingerprint or its prefix, as `cache stats` lists them)')
    .action((flags: { cacheDir?: string; model?: string }) => {
      if (flags.model !== undefined && !/^[0-9a-f]{1,16}$/.test(flags.model))
        throw new RmbenchError('E_USAGE', `--model ${flags.model}: expected a fingerprint (hex), as \`rmbench cache stats\` lists them.`)
      const c = cacheOf(flags.cacheDir)
      const n = c.clear(flags.model)
      io.out(`removed the cached scores of ${n} model(s) from ${c.root}\n`)
    })
}
