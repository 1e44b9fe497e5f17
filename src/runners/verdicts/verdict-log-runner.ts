import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { RmbenchError } from '../../errors.ts'
import { firstWinsProb, VERDICT_LABELS, verdictRules } from '../../judges/verdict-rules.ts'
import { sha256 } from '../../util/hash.ts'
import { parseJudgeRole } from '../../judges/judge-roles.ts'
import { readIdLines } from '../read-id-lines.ts'
import type { RewardRequest, RunnerFactory, Scored } from '../types.ts'

/** A logged verdict for one presentation order: A, B, tie, A>B-style labels, P(first shown wins), {A, B} probabilities, or the judge's text. */
type Verdict = string | number | { A?: number; B?: number } | null

/** Both orders of one pair (`AB`, `BA`; or `verdict` = AB). */
interface Orders { AB?: Verdict; BA?: Verdict; verdict?: Verdict }

/**
 * One line of a judge log: a pair's orders; a style matrix's cells ("i-j": orders); a rating (`score` for a
 * self-preference item, `rating` with a `completion` index, or `ratings` in [chosen…, rejected…] order).
 */
interface LogLine extends Orders { id: string | number; score?: number; rating?: unknown; ratings?: unknown[]; completion?: number; cells?: Record<string, Orders> }

// Log-probabilities stand for logged verdicts; log 0 is -1000 (exp underflows to exactly 0, and JSON can hold it).
const LOG_ZERO = -1000
const log = (p: number) => (p > 0 ? Math.log(p) : LOG_ZERO)

/** Logged labels, lower-cased: A, B, tie (C as MT-Bench writes it), and the A>B-style labels JudgeBench logs. */
const LABELS: Record<string, number> = {
  a: 1, b: 0, tie: 0.5, c: 0.5, 'b=a': 0.5,
  ...Object.fromEntries(Object.entries(VERDICT_LABELS).map(([label, winner]) => [label.toLowerCase(), firstWinsProb(winner)])),
}

/**
 * P(first shown wins) from a logged verdict, or why it cannot be read. A string that is no verdict label is the
 * judge's own text, read by the suite's verdict rule when the request carries one.
 */
export function verdictProb(v: Verdict | undefined, rule?: RewardRequest['verdict']): number | string {
  if (v === undefined || v === null) return 'no verdict'
  if (typeof v === 'number') return v >= 0 && v <= 1 ? v : `probability ${v} is outside [0, 1]`
  if (typeof v === 'object' && !Array.isArray(v)) {
    const { A: a, B: b } = v
    const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0
    return ok(a) && ok(b) && a + b > 0 ? a / (a + b) : `probabilities ${JSON.stringify(v).slice(0, 60)} need finite non-negative numbers A and B`
  }
  // Only text names a verdict: a list, true or a number-like string would be a guess.
  if (typeof v !== 'string') return `verdict ${JSON.stringify(v).slice(0, 60)} is not A, B, tie or a probability`
  const s = v.trim().replace(/^\[\[?|\]\]?$/g, '').trim().toLowerCase()
  if (s in LABELS) return LABELS[s]
  if (rule) {
    const r = verdictRules.get(rule.parse).parse(v, rule)
    if (typeof r === 'string') return r
    if ('winner' in r) return firstWinsProb(r.winner)
  }
  return `verdict ${JSON.stringify(v).slice(0, 60)} is not A, B, tie or a probability`
}

/** A completion line's key: its id and completion index (lines without one are keyed by id alone). */
function lineKey(row: Record<string, unknown>, id: string, at: { file: string; line: number }): string {
  if (row.completion === undefined) return id
  if (typeof row.completion !== 'number' || !Number.isSafeInteger(row.completion) || row.completion < 0)
    throw new RmbenchError('E_DATA_ROW', `${at.file}:${at.line}: "completion" must be a whole number ≥ 0 (the response's index in [chosen…, rejected…]), got ${JSON.stringify(row.completion)}.`, at)
  return `${id}#${row.completion}`
}

/**
 * `verdicts:<file.jsonl>`: an LLM judge's logged verdicts (API judges run elsewhere), joined to the suite's items by
 * id. They answer the judge tasks' label requests as two-way log-probabilities, so logged and local LM judges share
 * one metric path. A verdict that cannot be read is E_VERDICT (counted as unparseable by the task's rule), never a tie.
 */
export const verdictLogRunner: RunnerFactory = {
  name: 'verdicts',
  usage: "verdicts:<file.jsonl>  an LLM judge's logged verdicts, joined by id",
  options: {},
  async create(target, _options, ctx) {
    if (!target) throw new RmbenchError('E_MODEL_SPEC', 'verdicts: needs a file, e.g. verdicts:./judge-log.jsonl.')
    const file = resolve(ctx.cwd, target)
    const lines = readIdLines<LogLine>(file, '{"id": …, "AB": "A", "BA": "B"} (both orders), {"id": …, "verdict": "A"} (one), {"id": …, "ratings": [7, 3]} or {"id": …, "completion": 0, "rating": 7} (ratings), or {"id": …, "score": 7}', 'judge verdicts', lineKey)
    const fail = (message: string): Scored => ({ error: { code: 'E_VERDICT', message } })
    const answer = (r: RewardRequest): Scored => {
      if (!r.ref) return { error: { code: 'E_NO_ID', message: 'logged verdicts need the item id' } }
      const { exampleId: id, role } = r.ref
      const what = parseJudgeRole(role)
      if (!what) return { error: { code: 'E_VERDICT', message: `role '${role}' is not a verdict this log can answer` } }
      if (what.kind === 'rate') {
        const line = what.completion !== null ? lines.get(`${id}#${r.ref.position}`) ?? lines.get(id) : lines.get(id)
        if (!line) return { error: { code: 'E_MISSING_SCORE', message: `id '${id}'${what.completion !== null ? ` (completion ${r.ref.position})` : ''} is not in ${target}` } }
        const given = what.completion === null ? line.score : line.completion !== undefined ? line.rating : line.ratings?.[r.ref.position]
        if (given === undefined || given === null) return fail(`id '${id}': no rating${what.completion !== null ? ` for completion ${r.ref.position}` : ''}`)
        if (typeof given !== 'number' || !Number.isInteger(given)) return fail(`id '${id}': rating ${JSON.stringify(given)?.slice(0, 40)} is not a whole number`)
        // A rating off the scale would put no mass on any of its values, which averages to the middle of the scale.
        const scale = r.choices ?? []
        if (!scale.includes(String(given))) return fail(`id '${id}': rating ${given} is outside judge.scale [${scale[0]}, ${scale[scale.length - 1]}]`)
        return { value: String(given) === what.value ? 0 : LOG_ZERO }
      }
      const line = lines.get(id)
      if (!line) return { error: { code: 'E_MISSING_SCORE', message: `id '${id}' is not in ${target}` } }
      const orders: Orders | undefined = what.cell !== undefined ? line.cells?.[what.cell] : line
      if (!orders) return fail(`id '${id}': no verdicts for cell ${what.cell} (chosen style ${what.cell!.replace('-', ' vs rejected style ')})`)
      const logged = what.order === 'AB' ? (orders.AB ?? orders.verdict) : orders.BA
      const p = verdictProb(logged, r.verdict)
      // A logged text is what the judge said: it travels to judgments.jsonl with the verdict read from it.
      const output = typeof logged === 'string' ? { output: logged } : {}
      if (typeof p === 'string') return { ...fail(`id '${id}', order ${what.order}: ${p}`), ...output }
      return { value: what.label === 'A' ? log(p) : log(1 - p), ...output }
    }
    return {
      id: `verdicts-${target.split('/').pop()!.replace(/\.jsonl?$/, '')}`,
      fingerprint: sha256(readFileSync(file)).slice(0, 16),
      capabilities: { logprob: true, judge: true },
      perExample: true,
      info: { runner: 'verdicts', file: target, ids: lines.size, judge: 'logged' },
      batchSize: 1024,
      async logprob(batch) {
        return batch.map(answer)
      },
    }
  },
}
