import { loadRunOrResults, type LoadedRun } from '../compare/load-run.ts'
import { comparePaired } from '../compare/paired-comparison.ts'
import { RmbenchError } from '../errors.ts'
import type { RunResult } from '../report/types.ts'

/** One model's row on a suite's board. */
export interface BoardRow {
  /** Position by score (1 = best); equal scores share a position. */
  rank: number
  /** Significance group: models not significantly different from the group's top model share it (1 = the leader's). */
  group: number | null
  model: string
  spec: string
  score: number
  ci: [number, number] | null
  /** Section (or subset) values by column name. */
  columns: Record<string, number>
  scored: number
  examples: number
  complete: boolean
  /** Why this row needs care (partial run, no per-example scores for the significance test, …). */
  flags: string[]
  /** An LLM judge ranked beside reward models (its verdicts, not rewards, made the score). */
  generative: boolean
  /** p of the paired test against the group's top model (null for the top model itself or when untestable). */
  pVsTop: number | null
  provenance: { revision: string | null; date: string; rmbenchVersion: string; fingerprint: string }
  /** The model page, relative to the board's folder. */
  page: string
  /** Where its results.json was read. */
  file: string
}

/** A suite's board: ranked rows of one suite version; runs of other versions listed apart, flagged. */
export interface SuiteBoard { suite: string; task: string; hash: string; columnKind: string; columns: string[]; rows: BoardRow[]; otherVersions: BoardRow[] }

/** The whole leaderboard. */
export interface Leaderboard { schemaVersion: 1; alpha: number; resamples: number; suites: SuiteBoard[] }

/** A run as the leaderboard reads it: results, and the per-example scores when its folder has them. */
export interface BoardRun { file: string; result: RunResult; run: LoadedRun | null }

/** Reads each results.json (schema-checked) and, beside it, scores.jsonl for the paired tests. */
export function readBoardRuns(files: string[]): BoardRun[] {
  return files.map((file) => {
    const r = loadRunOrResults(file)
    return { file, result: r.result, run: 'examples' in r ? r : null }
  })
}

// The per-model columns: the first family of metrics a task reports.
const COLUMN_KINDS: [string, string][] = [['section/', 'sections'], ['accuracy/', 'subsets'], ['domain/', 'domains'], ['ranking/R/', 'subsets']]

/** A file-safe slug of a model name for its page. */
export function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'model'
}

/** The metric a board ranks by: `score`, or `accuracy` for tasks without one. */
const scoreKey = (r: RunResult) => (r.metrics.score ? 'score' : 'accuracy')

function row(b: BoardRun, prefix: string, suite: string): BoardRow {
  const r = b.result
  const m = r.metrics
  const score = m[scoreKey(r)]
  const flags: string[] = []
  if (!r.complete) flags.push(`partial: ${r.counts.scored} of ${r.counts.examples} examples scored`)
  if (!b.run) flags.push('no scores.jsonl: not tested for significance')
  if (!score) flags.push('no score metric')
  const columns: Record<string, number> = {}
  for (const k of Object.keys(m)) if (k.startsWith(prefix) && !k.slice(prefix.length).includes('/')) columns[k.slice(prefix.length)] = m[k].value
  return {
    rank: 0, group: null, model: r.model.id, spec: r.model.spec, score: score?.value ?? NaN, ci: score?.ci ?? null, columns,
    scored: r.counts.scored, examples: r.counts.examples, complete: r.complete, flags, pVsTop: null,
    generative: Boolean(r.provenance.judge && r.provenance.judge.mode !== 'self-preference'),
    provenance: { revision: r.provenance.modelSource?.commit ?? null, date: r.provenance.startedAt, rmbenchVersion: r.provenance.rmbenchVersion, fingerprint: r.provenance.modelFingerprint },
    page: `models/${slug(suite)}--${slug(r.model.id)}.html`, file: b.file,
  }
}

/**
 * Significance groups, top down: the best model not yet grouped opens a group, and every remaining model whose
 * paired difference from it on `score` is not significant joins it. Runs without per-example scores stay ungrouped.
 */
function assignGroups(rows: BoardRow[], runs: Map<BoardRow, BoardRun>, alpha: number, resamples: number): void {
  let open = rows.filter((r) => runs.get(r)!.run && Number.isFinite(r.score))
  let g = 0
  while (open.length) {
    const top = open[0]
    top.group = ++g
    const rest: BoardRow[] = []
    for (const r of open.slice(1)) {
      const key = scoreKey(runs.get(top)!.result)
      const c = comparePaired(runs.get(top)!.run!, runs.get(r)!.run!, { only: [key], resamples, alpha })
      const p = c.metrics[0]?.p ?? NaN
      r.pVsTop = Number.isFinite(p) ? p : null
      if (Number.isFinite(p) && p >= alpha) r.group = g
      else rest.push(r)
    }
    open = rest
  }
}

/** Groups runs by suite, ranks them, tests each against its group's top model, and flags what cannot be mixed. */
export function buildLeaderboard(runs: BoardRun[], o: { alpha?: number; resamples?: number } = {}): Leaderboard {
  const alpha = o.alpha ?? 0.05
  const resamples = o.resamples ?? 2000
  const bySuite = new Map<string, BoardRun[]>()
  for (const b of runs) bySuite.set(b.result.suite.name, [...(bySuite.get(b.result.suite.name) ?? []), b])
  const suites: SuiteBoard[] = []
  for (const [suite, list] of [...bySuite].sort(([a], [b]) => a.localeCompare(b))) {
    // The suite version most runs used is the board's; runs of other versions are shown apart, never ranked with it.
    const hashes = new Map<string, number>()
    for (const b of list) hashes.set(b.result.suite.hash, (hashes.get(b.result.suite.hash) ?? 0) + 1)
    const hash = [...hashes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]
    const main = list.filter((b) => b.result.suite.hash === hash)
    const seen = new Map<string, string>()
    for (const b of main) {
      const prior = seen.get(b.result.model.id)
      if (prior) throw new RmbenchError('E_LEADERBOARD', `model '${b.result.model.id}' appears twice on suite '${suite}': ${prior} and ${b.file}. Keep one run per model (or re-run one with a different model name).`, { file: b.file })
      seen.set(b.result.model.id, b.file)
    }
    const kind = COLUMN_KINDS.find(([p]) => main.some((b) => Object.keys(b.result.metrics).some((k) => k.startsWith(p)))) ?? ['', '']
    const rows = main.map((b) => row(b, kind[0], suite))
    const runOf = new Map(rows.map((r, i) => [r, main[i]]))
    rows.sort((a, b) => (Number.isFinite(b.score) ? b.score : -Infinity) - (Number.isFinite(a.score) ? a.score : -Infinity) || a.model.localeCompare(b.model))
    rows.forEach((r, i) => (r.rank = i > 0 && rows[i - 1].score === r.score ? rows[i - 1].rank : i + 1))
    assignGroups(rows, runOf, alpha, resamples)
    const other = list.filter((b) => b.result.suite.hash !== hash).map((b) => {
      const r = row(b, kind[0], suite)
      r.flags.unshift(`different suite version (hash ${b.result.suite.hash.slice(0, 12)}, board uses ${hash.slice(0, 12)}): not ranked with the others`)
      r.page = r.page.replace(/\.html$/, `--${b.result.suite.hash.slice(0, 8)}.html`)
      return r
    })
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r.columns)))].sort()
    suites.push({ suite, task: main[0].result.suite.task, hash, columnKind: kind[1], columns, rows, otherVersions: other })
  }
  return { schemaVersion: 1, alpha, resamples, suites }
}
