import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { RmbenchError } from '../../errors.ts'
import { readIdLines } from '../read-id-lines.ts'
import { sha256 } from '../../util/hash.ts'
import type { RewardRequest, Runner, RunnerFactory, Scored } from '../types.ts'

/** Scores of one example from the file: pairwise `{chosen, rejected}`, or `scores` in [chosen…, rejected…] order. */
type Line = { chosen?: number | number[]; rejected?: number | number[]; scores?: number[] }

function parse(file: string): Map<string, Line> {
  return readIdLines<Line>(file, '{"id": …, "chosen": n, "rejected": n} or {"id": …, "scores": [chosen…, rejected…]}', 'precomputed scores')
}

function lookup(line: Line, ref: NonNullable<RewardRequest['ref']>): unknown {
  if (Array.isArray(line.scores)) return line.scores[ref.position]
  const [side, idx] = ref.role.split('/') as ['chosen' | 'rejected', string | undefined]
  const v = line[side]
  return Array.isArray(v) ? v[Number(idx ?? 0)] : idx === undefined || idx === '0' ? v : undefined
}

/**
 * `precomputed:<file.jsonl>`: scores computed elsewhere, joined to the suite's examples by id. A missing id
 * is a failed example (counted; the run is marked incomplete), never a tie or a zero.
 */
export const precomputedRunner: RunnerFactory = {
  name: 'precomputed',
  usage: 'precomputed:<file.jsonl>  scores computed elsewhere, joined by id',
  options: {},
  async create(target, _options, ctx) {
    if (!target) throw new RmbenchError('E_MODEL_SPEC', `precomputed: needs a file, e.g. precomputed:./scores.jsonl.`)
    const file = resolve(ctx.cwd, target)
    const lines = parse(file)
    const info: Runner['info'] = { runner: 'precomputed', file: target, ids: lines.size }
    return {
      id: `precomputed-${target.split('/').pop()!.replace(/\.jsonl?$/, '')}`,
      fingerprint: sha256(readFileSync(file)).slice(0, 16),
      capabilities: { reward: true },
      perExample: true,
      info,
      batchSize: 1024,
      reconcile(exampleIds) {
        const wanted = new Set(exampleIds)
        const matched = exampleIds.filter((id) => lines.has(id)).length
        const extra = [...lines.keys()].filter((id) => !wanted.has(id)).length
        Object.assign(info, { matched, missing: exampleIds.length - matched, extra })
        const notes: string[] = []
        if (matched < exampleIds.length) notes.push(`${exampleIds.length - matched} of ${exampleIds.length} examples have no score in ${target}; they are counted as failed and the run is marked incomplete.`)
        if (extra) notes.push(`${extra} ids in ${target} are not in the suite; they are ignored.`)
        return notes
      },
      async reward(batch) {
        return batch.map((r): Scored => {
          if (!r.ref) return { error: { code: 'E_NO_ID', message: 'precomputed scores need the example id' } }
          const line = lines.get(r.ref.exampleId)
          if (!line) return { error: { code: 'E_MISSING_SCORE', message: `id '${r.ref.exampleId}' is not in ${target}` } }
          const v = lookup(line, r.ref)
          return typeof v === 'number' && Number.isFinite(v) ? { value: v } : { error: { code: 'E_MISSING_SCORE', message: `id '${r.ref.exampleId}' has no finite score for ${r.ref.role}` } }
        })
      },
    }
  },
}
