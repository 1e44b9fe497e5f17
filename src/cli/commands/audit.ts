import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { auditData, readAuditRun, type AuditRun } from '../../audit/audit-inputs.ts'
import { audit, type AuditResult, type Share } from '../../audit/audit.ts'
import { exportAudited } from '../../audit/audit-export.ts'
import { auditPage } from '../../audit/audit-page.ts'
import { readJudgments } from '../../audit/read-judgments.ts'
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../audit/strength.ts'
import { strengthHistogram } from '../../charts/strength-histogram.ts'
import { renderSvg } from '../../charts/render-svg.ts'
import { loadConfig } from '../../config/load-config.ts'
import { RmbenchError } from '../../errors.ts'
import { defaultOutDir, runSuite } from '../../run/run-suite.ts'
import { ScoreCache } from '../../run/score-cache.ts'
import { formatSchemaErrors } from '../../suite/format-schema-errors.ts'
import { loadSuite } from '../../suite/load-suite.ts'
import { schemaErrors } from '../../suite/schema.ts'
import { strictInt, strictNumber } from '../../util/strict-number.ts'
import { osReason } from '../../util/regular-file.ts'
import { writeAtomic } from '../../util/write-atomic.ts'
import { cliHub } from '../hub-client.ts'
import type { CliIO } from '../output.ts'
import { resolveModel } from '../resolve-model.ts'

interface AuditFlags {
  suite?: string; model?: string[]; lm?: string[]; evaluate?: string[]; strength?: string; majority?: string; planted?: string; judgments?: string
  export?: string; flip?: boolean; out?: string; json?: boolean; quiet?: boolean; resamples?: string; seed?: string
}

const collect = (v: string, prev: string[] = []) => [...prev, v]

function numberFlag(v: string | undefined, flag: string, ok: (x: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined
  const x = strictNumber(v)
  if (x === undefined || !ok(x)) throw new RmbenchError('E_USAGE', `${flag} ${v}: expected ${what}.`)
  return x
}

/** A share as the console prints it: percent with its interval. */
const pct = (s: Share) => (Number.isFinite(s.value) ? `${(100 * s.value).toFixed(1)}%` : '—').padStart(7)
const ci = (s: Share) => (Number.isFinite(s.ci[0]) ? `[${(100 * s.ci[0]).toFixed(1)}, ${(100 * s.ci[1]).toFixed(1)}]` : '')

/** The audit as the console shows it. */
export function formatAudit(a: AuditResult, files: string[]): string {
  const lines = [
    `audit of ${a.suite.name}: ${a.counts.pairs} pairs, ${a.voters.length} voting models`,
    ...a.voters.map((v) => `  · ${v.model}  (margin SD ${v.scale.toPrecision(3)}, ${v.pairs} pairs)`),
    `thresholds: strength ±${a.thresholds.strength}, majority ${a.thresholds.majority.toFixed(2)}; ${Math.round(a.thresholds.confidence * 100)}% intervals`,
    '',
    `  suspect      ${pct(a.shares.suspect)}  ${ci(a.shares.suspect)}  ${a.counts.suspect} pairs`,
    `  ambiguous    ${pct(a.shares.ambiguous)}  ${ci(a.shares.ambiguous)}  ${a.counts.ambiguous} pairs`,
    `  consistent   ${pct(a.shares.consistent)}  ${ci(a.shares.consistent)}  ${a.counts.consistent} pairs`,
    ...(a.counts.unrated ? [`  unrated      ${a.counts.unrated} pairs (fewer than 2 models scored them)`] : []),
    `  label-flip rate ε ${(100 * a.flipRate.epsilon).toFixed(1)}% [${(100 * a.flipRate.ci[0]).toFixed(1)}, ${(100 * a.flipRate.ci[1]).toFixed(1)}]  (mirrored Gaussian mixture on strengths, EM; μ/σ = ${a.flipRate.separation.toFixed(2)})`,
    `  agreement    Fleiss' κ ${a.agreement.fleissKappa === null ? '—' : a.agreement.fleissKappa.toFixed(3)} over ${a.agreement.items} pairs`,
    ...(a.planted ? [`  planted flips: ${a.planted.found} of ${a.planted.count} found among the suspect pairs — recall ${(100 * a.planted.recall).toFixed(1)}%, precision ${a.planted.precision === null ? '—' : `${(100 * a.planted.precision).toFixed(1)}%`}`] : []),
    ...(a.intransitivity ? [`  intransitivity: ${a.intransitivity.cyclic} cyclic of ${a.intransitivity.triads} triads; ${a.intransitivity.withCycle.k} of ${a.intransitivity.prompts} prompts with a cycle (${pct(a.intransitivity.withCycle).trim()} ${ci(a.intransitivity.withCycle)})`] : []),
    '',
    '  accuracy under doubt      all    consistent  by others  ambiguous   suspect',
    ...a.evaluation.map((e) => `  ${(e.model.length > 22 ? `${e.model.slice(0, 21)}…` : e.model).padEnd(22)}${pct(e.all)}  ${pct(e.consistent)}     ${e.consistentByOthers ? pct(e.consistentByOthers) : '      —'}    ${pct(e.ambiguous)}   ${pct(e.suspect)}${e.voted ? '' : '  (not voting)'}`),
    ...a.notes.map((n) => `note: ${n}`),
    '',
    ...files.map((f) => `→ ${f}`),
    '',
  ]
  return lines.join('\n')
}

/** Runs each --model on the suite into <out>/runs/ (the score cache makes a repeated audit cheap) and reads them back. */
async function runModels(flags: AuditFlags, out: string, io: CliIO, warn: (m: string) => void): Promise<AuditRun[]> {
  if (!flags.suite) throw new RmbenchError('E_USAGE', '--model runs a model on a suite: name it with --suite <suite> (a folder, a file or a bundled name).')
  const cwd = process.cwd()
  const suite = loadSuite(flags.suite, cwd)
  const cache = ScoreCache.fromEnv(process.env)
  const config = await loadConfig(cwd, undefined, cache ?? undefined)
  const hub = cliHub(io, { quiet: flags.quiet })
  const runs: AuditRun[] = []
  for (const m of flags.model ?? []) {
    const { runner, spec } = await resolveModel(m, {}, config, warn, cwd, { lms: m.startsWith('expr:') ? flags.lm : undefined, hub, memo: cache ?? undefined })
    const dir = join(out, 'runs', runner.id)
    if (!flags.quiet) io.err(`rmbench: audit: running ${spec} → ${dir}\n`)
    const outcome = await runSuite({ suite, runner, modelSpec: spec, outDir: dir, warn, hub, cache, force: true })
    if (!outcome.result) throw new RmbenchError('E_AUDIT', `${spec}: the run did not finish; nothing to audit.`)
    runs.push(readAuditRun(dir))
  }
  return runs
}

/** `rmbench audit <runs…>`: the preference data audited by the models' votes (strength, noise, flips, cycles). */
export function registerAudit(program: Command, io: CliIO): void {
  program
    .command('audit')
    .description('audit a preference suite by several models\' votes: preference strength per pair, suspect and ambiguous pairs, label-flip rate, agreement, intransitivity; a cleaned export')
    .argument('[runs...]', 'run folders (or results.json) of one pairwise suite by different models (≥ 2 voters, with --model)')
    .option('--suite <suite>', 'the suite (default: the runs\' own suite file); with --model, the suite the models run on')
    .option('--model <spec>', 'run this model on --suite and let it vote (repeatable)', collect)
    .option('--lm <name=spec>', 'an LM for --model expr:… (repeatable)', collect)
    .option('--evaluate <run>', 'a run scored under doubt (accuracy on all vs consistent pairs) without voting (repeatable)', collect)
    .option('--strength <x>', 'the |strength| a class needs, in margin SDs (default: the suite\'s audit.strength, else 0.5)')
    .option('--majority <x>', 'the share of models that must agree, in (0.5, 1] (default: the suite\'s audit.majority, else 2/3)')
    .option('--planted <file>', 'ids of pairs known to be flipped (one per line): recall and precision of the suspect class')
    .option('--judgments <file.jsonl>', 'pairwise judgments of ≥ 3 responses per prompt ({id, a, b, AB, BA}): cyclic triads')
    .option('--export <file>', 'write the dataset without its suspect pairs (.jsonl or .parquet), with a suite beside it')
    .option('--flip', 'with --export: swap chosen and rejected of the suspect pairs instead of dropping them')
    .option('--resamples <n>', 'bootstrap resamples of the flip-rate interval (default 200)')
    .option('--seed <n>', 'bootstrap seed (default 0)')
    .option('--out <dir>', 'where audit.json, audit.jsonl and audit.html go (default reports/audit-<suite>-<time>)')
    .option('--json', 'print audit.json')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (args: string[], flags: AuditFlags) => {
      const warn = (m: string) => io.err(`rmbench: warning: ${m}\n`)
      if (flags.flip && !flags.export) throw new RmbenchError('E_USAGE', '--flip says how --export treats suspect pairs: add --export <file>.')
      const resamples = flags.resamples === undefined ? undefined : strictInt(flags.resamples)
      if (flags.resamples !== undefined && (resamples === undefined || resamples < 0 || resamples > 100_000)) throw new RmbenchError('E_USAGE', `--resamples ${flags.resamples}: expected an integer in [0, 100000].`)
      const seed = flags.seed === undefined ? 0 : strictInt(flags.seed)
      if (seed === undefined) throw new RmbenchError('E_USAGE', `--seed ${flags.seed}: expected an integer.`)
      const planted = flags.planted ? plantedIds(flags.planted) : undefined
      const judgments = flags.judgments ? readJudgments(flags.judgments) : undefined
      const given = args.map(readAuditRun)
      const out = flags.out ?? defaultOutDir('reports', `audit-${given[0]?.result.suite.name ?? (flags.suite ? loadSuite(flags.suite).spec.name : 'suite')}`, 'models')
      const voters = [...given, ...(flags.model?.length ? await runModels(flags, out, io, warn) : [])]
      if (voters.length < 2) throw new RmbenchError('E_USAGE', `an audit needs at least 2 voting models (got ${voters.length}): name run folders of the same suite, or --suite <suite> with --model twice or more.`)
      const evaluated = (flags.evaluate ?? []).map(readAuditRun)
      const { suite, examples, notes } = await auditData([...voters, ...evaluated], flags.suite)
      const th: Thresholds = {
        strength: numberFlag(flags.strength, '--strength', (x) => x >= 0 && Number.isFinite(x), 'a number ≥ 0') ?? suite.spec.audit?.strength ?? DEFAULT_THRESHOLDS.strength,
        majority: numberFlag(flags.majority, '--majority', (x) => x > 0.5 && x <= 1, 'a share in (0.5, 1]') ?? suite.spec.audit?.majority ?? DEFAULT_THRESHOLDS.majority,
        confidence: DEFAULT_THRESHOLDS.confidence,
      }
      const { result, pairs } = audit({ name: suite.spec.name, file: suite.file, hash: suite.hash }, examples, voters, { thresholds: th, planted, judgments, evaluate: evaluated, resamples, seed, notes })
      const problems = formatSchemaErrors(schemaErrors('audit', JSON.parse(JSON.stringify(result))))
      if (problems.length) throw new Error(`audit.json does not match schemas/audit.schema.json: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`)
      try {
        mkdirSync(join(out, 'charts'), { recursive: true })
      } catch (e) {
        throw new RmbenchError('E_IO', `--out ${out}: ${osReason(e)}; choose another folder.`, { dir: out })
      }
      const chart = strengthHistogram(pairs, th.strength)
      let drawn: { svg?: string; error?: string; caption: string } | null = null
      if (chart) {
        writeAtomic(join(out, 'charts', `${chart.name}.vl.json`), JSON.stringify(chart.spec, null, 1) + '\n')
        try {
          drawn = { svg: await renderSvg(chart.spec), caption: chart.caption }
        } catch (e) {
          warn(`chart ${chart.name} could not be drawn: ${(e as Error).message}`)
          drawn = { error: (e as Error).message, caption: chart.caption }
        }
      }
      const names = voters.map((v) => v.voter.name)
      writeAtomic(join(out, 'audit.jsonl'), pairs.map((p) => JSON.stringify({ id: p.id, group: p.group, strength: p.strength, sd: p.sd, ci: p.ci, shareChosen: p.shareChosen, votes: p.votes, z: Object.fromEntries(names.map((n, k) => [n, p.z[k]])), class: p.class })).join('\n') + '\n')
      writeAtomic(join(out, 'audit.html'), auditPage(result, pairs, examples, drawn))
      const files = [join(out, 'audit.json'), join(out, 'audit.jsonl'), join(out, 'audit.html')]
      if (flags.export) {
        const x = exportAudited(flags.export, suite, examples, pairs, { flip: flags.flip })
        result.notes.push(`exported ${x.rows} pairs to ${x.file} (${flags.flip ? `${x.flipped} suspect pairs flipped` : `${x.dropped} suspect pairs dropped`}); ${x.suiteFile} runs them as a suite${x.fieldNote ? `; ${x.fieldNote}` : ''}`)
        files.push(x.file, x.suiteFile)
      }
      writeAtomic(join(out, 'audit.json'), JSON.stringify(result, null, 2) + '\n')
      io.out(flags.json ? JSON.stringify(result, null, 2) + '\n' : formatAudit(result, files))
    })
}

/** The ids of --planted: one per line, blank lines and #-comments skipped. */
function plantedIds(file: string): Set<string> {
  if (!existsSync(file)) throw new RmbenchError('E_USAGE', `--planted ${file}: not found.`, { file })
  return new Set(readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')))
}
