import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { RmbenchError } from '../../errors.ts'
import { sha256 } from '../../util/hash.ts'
import { readIdLines } from '../read-id-lines.ts'
import type { RewardRequest, RunnerFactory, Scored } from '../types.ts'

/** A logged verdict for one presentation order: A, B, tie, P(first shown wins), or {A, B} probabilities. */
type Verdict = string | number | { A?: number; B?: number }

/** One line of a judge log: both orders (`AB`, `BA`), one (`verdict` = AB), or a rating (`score`). */
interface LogLine { id: string | number; AB?: Verdict; BA?: Verdict; verdict?: Verdict; score?: number }

// Log-probabilities stand for logged verdicts; log 0 is -1000 (exp underflows to exactly 0, and JSON can hold it).
const LOG_ZERO = -1000
const log = (p: number) => (p > 0 ? Math.log(p) : LOG_ZERO)

/** P(first shown wins) from a logged verdict, or why it cannot be read. */
export function verdictProb(v: Verdict | undefined): number | string {
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
  if (s === 'a') return 1
  if (s === 'b') return 0
  if (s === 'tie' || s === 'c') return 0.5
  return `verdict ${JSON.stringify(v).slice(0, 60)} is not A, B, tie or a probability`
}

/**
 * `verdicts:<file.jsonl>`: a judge's logged verdicts (API judges run elsewhere), joined to the suite's items by id.
 * They answer the self-preference task's label requests as two-way log-probabilities, so logged and local LM judges
 * share one metric path. A verdict that cannot be read fails its item (counted as unparseable), never a tie.
 */
export const verdictLogRunner: RunnerFactory = {
  name: 'verdicts',
  usage: "verdicts:<file.jsonl>  an LLM judge's logged verdicts, joined by id",
  options: {},
  async create(target, _options, ctx) {
    if (!target) throw new RmbenchError('E_MODEL_SPEC', 'verdicts: needs a file, e.g. verdicts:./judge-log.jsonl.')
    const file = resolve(ctx.cwd, target)
    const lines = readIdLines<LogLine>(file, '{"id": …, "AB": "A", "BA": "B"} (both orders), {"id": …, "verdict": "A"} (one), or {"id": …, "score": 7} (a rating)', 'judge verdicts')
    const answer = (r: RewardRequest): Scored => {
      if (!r.ref) return { error: { code: 'E_NO_ID', message: 'logged verdicts need the item id' } }
      const line = lines.get(r.ref.exampleId)
      if (!line) return { error: { code: 'E_MISSING_SCORE', message: `id '${r.ref.exampleId}' is not in ${target}` } }
      const [order, label] = r.ref.role.split('/')
      if (order === 'rate') {
        if (typeof line.score !== 'number' || !Number.isInteger(line.score)) return { error: { code: 'E_VERDICT', message: `id '${r.ref.exampleId}': score ${JSON.stringify(line.score)} is not an integer rating` } }
        // A rating off the scale would put no mass on any of its values, which averages to the middle of the scale.
        const scale = r.choices ?? []
        if (!scale.includes(String(line.score))) return { error: { code: 'E_VERDICT', message: `id '${r.ref.exampleId}': rating ${line.score} is outside judge.scale [${scale[0]}, ${scale[scale.length - 1]}]` } }
        return { value: String(line.score) === label ? 0 : LOG_ZERO }
      }
      const p = verdictProb(order === 'AB' ? (line.AB ?? line.verdict) : line.BA)
      if (typeof p === 'string') return { error: { code: 'E_VERDICT', message: `id '${r.ref.exampleId}', order ${order}: ${p}` } }
      return { value: label === 'A' ? log(p) : log(1 - p) }
    }
    return {
      id: `verdicts-${target.split('/').pop()!.replace(/\.jsonl?$/, '')}`,
      fingerprint: sha256(readFileSync(file)).slice(0, 16),
      capabilities: { logprob: true },
      perExample: true,
      info: { runner: 'verdicts', file: target, ids: lines.size },
      batchSize: 1024,
      async logprob(batch) {
        return batch.map(answer)
      },
    }
  },
}
