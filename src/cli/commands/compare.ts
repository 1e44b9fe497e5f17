import { appendFileSync, writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { gateJunit, gateMarkdown } from '../../compare/gate-reports.ts'
import { evaluateGates, fmtP, resolveGates, type GateVerdict } from '../../compare/gates.ts'
import { loadRunOrResults } from '../../compare/load-run.ts'
import { assertSameSuite, comparePaired, type Comparison } from '../../compare/paired-comparison.ts'
import { compareUnpaired } from '../../compare/unpaired-comparison.ts'
import { writeCompareExplorer } from '../../compare/compare-explorer.ts'
import { RmbenchError } from '../../errors.ts'
import { strictNumber } from '../../util/strict-number.ts'
import { formatDelta, formatMetric, isRawMetric } from '../../report/metric-format.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import type { CliIO } from '../output.ts'

interface CompareFlags {
  json?: boolean; resamples?: string; seed?: string; alpha?: string; confidence?: string
  baseline?: string; candidate?: string; maxDrop?: string; gate?: string[]; junit?: string; markdown?: string; html?: string
}


const pval = (p: number | undefined) => (p === undefined ? '' : fmtP(p).replace('—', ''))
const TESTS = { 'mcnemar-exact': 'McNemar', 'paired-bootstrap': 'bootstrap', 'unpaired-normal': 'unpaired' }

/**
 * The comparison as an aligned table: each metric in the unit its reports use (percent, and Δ in percentage points;
 * correlations and κ as themselves, Δ in their own units), so a number means the same on every page.
 */
export function formatComparison(c: Comparison): string {
  const head = ['metric', 'A', 'B', 'Δ (pts)', `${Math.round(c.confidence * 100)}% CI`, 'p', 'p (Holm)', 'test', 'MDE', 'n']
  const rows = c.metrics.map((m) => [
    m.metric, formatMetric(m.metric, m.a), formatMetric(m.metric, m.b), formatDelta(m.metric, m.delta), `[${formatDelta(m.metric, m.ci[0])}, ${formatDelta(m.metric, m.ci[1])}]`, pval(m.p), pval(m.pHolm),
    m.test === 'mcnemar-exact' ? `McNemar ${m.discordant!.join('/')}` : TESTS[m.test], formatMetric(m.metric, m.mde), String(m.n),
  ])
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (r: string[]) => r.map((x, i) => (i === 0 || i === 7 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ').trimEnd()
  const sig = c.metrics.filter((m) => (m.pHolm ?? m.p) < c.alpha)
  return [
    `suite ${c.suite} (${c.task}): A = ${c.a}, B = ${c.b}`,
    c.paired
      ? `${c.shared} shared examples${c.onlyA || c.onlyB ? ` (${c.onlyA} only in A, ${c.onlyB} only in B: left out)` : ''}; paired bootstrap ${c.resamples} resamples, seed ${c.seed}; α = ${c.alpha}`
      : `UNPAIRED: a run has no scores.jsonl, so differences are tested from each run's own interval (weaker; commit scores.jsonl with a baseline); α = ${c.alpha}`,
    '',
    line(head),
    ...rows.map(line),
    '',
    sig.length ? `significant at α = ${c.alpha}: ${sig.map((m) => `${m.metric} ${formatDelta(m.metric, m.delta)}`).join(', ')}` : `no difference is significant at α = ${c.alpha}`,
    'MDE: the smallest difference this many examples detects with 80% power. McNemar a/b = pairs only A got right / only B got right.',
    ...(c.metrics.some((m) => isRawMetric(m.metric)) ? ['Correlations and κ are shown as themselves (as in the reports), their Δ and MDE in their own units, not points.'] : []),
    '',
  ].join('\n')
}

/** The gate verdict for the console. */
export function formatVerdict(v: GateVerdict): string {
  const lines = v.gates.map((g) => `  ${g.failed ? 'FAIL' : 'pass'}  ${g.metric}: ${g.reason}`)
  return [`gates (α = ${v.alpha}, Holm across ${v.gates.length} gate${v.gates.length === 1 ? '' : 's'}):`, ...lines, v.passed ? 'verdict: PASS — no gated metric dropped significantly beyond its tolerance' : `verdict: FAIL — ${v.failed} gate${v.failed === 1 ? '' : 's'} crossed`, ''].join('\n')
}

function num(v: string | undefined, flag: string, check: (x: number) => boolean): number | undefined {
  if (v === undefined) return undefined
  const x = strictNumber(v)
  if (x === undefined || !check(x)) throw new RmbenchError('E_USAGE', `${flag} ${v}: out of range.`)
  return x
}

/** `metric=points` pairs of --gate, with --max-drop as the gate on score. */
function cliGates(flags: CompareFlags): Record<string, number> {
  const out: Record<string, number> = {}
  const maxDrop = num(flags.maxDrop, '--max-drop', (x) => Number.isFinite(x) && x >= 0)
  if (maxDrop !== undefined) out.score = maxDrop
  for (const g of flags.gate ?? []) {
    const m = /^(.+)=([0-9.]+)$/.exec(g)
    if (!m || !Number.isFinite(Number(m[2]))) throw new RmbenchError('E_USAGE', `--gate ${g}: expected <metric>=<max drop in points>, e.g. --gate section/Chat=2.`)
    out[m[1]] = Number(m[2])
  }
  return out
}

/** `rmbench compare A B` / `--baseline A --candidate B`: paired statistics of two runs of one suite, and CI gates. */
export function registerCompare(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('compare')
    .description('compare two runs of one suite on their shared examples (paired CIs, McNemar, Holm, MDE); with --baseline/--candidate or gates, exit 1 on a significant regression')
    .argument('[a]', 'run folder or results.json (the baseline)')
    .argument('[b]', 'run folder or results.json (the candidate)')
    .option('--baseline <run>', 'the baseline run (a committed results.json works; with its scores.jsonl the test is paired)')
    .option('--candidate <run>', 'the candidate run')
    .option('--max-drop <pts>', 'gate: largest tolerated drop of score, in percentage points (default: suite gates, else 0)')
    .option('--gate <metric=pts>', 'gate on another metric, e.g. section/Chat=2 (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--junit <file>', 'write the gates as JUnit XML (one testcase per gated metric)')
    .option('--markdown <file>', 'write the verdict as Markdown (a PR comment); also appended to $GITHUB_STEP_SUMMARY when set')
    .option('--resamples <n>', 'paired bootstrap resamples (default: the suite stats.bootstrap, else 10000)')
    .option('--seed <n>', 'bootstrap seed (default: the suite stats.seed)')
    .option('--confidence <x>', 'interval level (default 0.95)')
    .option('--alpha <x>', 'significance level (default: suite gates.alpha, else 0.05 for gates; 1 − confidence for the table)')
    .option('--html <file>', 'write the example explorer over the paired examples (opens on the discordant ones)')
    .option('--json', 'print the comparison (and verdict) as JSON')
    .action(async (a: string | undefined, b: string | undefined, flags: CompareFlags) => {
      const base = flags.baseline ?? a
      const cand = flags.candidate ?? (flags.baseline ? a : b)
      if (!base || !cand || (flags.baseline && flags.candidate && a)) throw new RmbenchError('E_USAGE', 'name two runs: rmbench compare <baseline> <candidate>, or --baseline <run> --candidate <run>.')
      const A = loadRunOrResults(base)
      const B = loadRunOrResults(cand)
      assertSameSuite(A, B)
      const alpha = num(flags.alpha, '--alpha', (x) => x > 0 && x < 1)
      const opts = { resamples: num(flags.resamples, '--resamples', (x) => Number.isInteger(x) && x >= 0 && x <= 1_000_000), seed: num(flags.seed, '--seed', Number.isInteger), confidence: num(flags.confidence, '--confidence', (x) => x > 0 && x < 1), alpha }
      if (flags.html && !('examples' in A && 'examples' in B))
        throw new RmbenchError('E_USAGE', `--html needs both runs' scores.jsonl (${!('examples' in A) ? base : cand} has only results.json): the explorer pairs examples.`)
      const c = 'examples' in A && 'examples' in B ? comparePaired(A, B, opts) : compareUnpaired(A, B, opts)
      if (flags.html && 'examples' in A && 'examples' in B) {
        const { notes } = writeCompareExplorer(flags.html, A, B, c)
        for (const n of notes) io.err(`rmbench: note: ${n}\n`)
        io.err(`explorer → ${flags.html}\n`)
      }
      const spec = A.result.suite.spec as SuiteSpec
      const gating = Boolean(flags.baseline || flags.candidate || flags.maxDrop || flags.gate || flags.junit || flags.markdown)
      const verdict = gating ? evaluateGates(c, resolveGates(spec.gates?.max_drop, cliGates(flags)), alpha ?? spec.gates?.alpha ?? 0.05) : null
      if (flags.json) io.out(JSON.stringify(verdict ? { ...c, verdict } : c, null, 2) + '\n')
      else io.out(formatComparison(c) + (verdict ? '\n' + formatVerdict(verdict) : ''))
      if (!verdict) return
      if (flags.junit) writeFileSync(flags.junit, gateJunit(c, verdict))
      const md = gateMarkdown(c, verdict)
      if (flags.markdown) writeFileSync(flags.markdown, md)
      if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, md + '\n')
      if (!verdict.passed) setExit(1)
    })
}
