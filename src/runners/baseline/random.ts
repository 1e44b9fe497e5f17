import { RmbenchError } from '../../errors.ts'
import { hashOf } from '../../util/hash.ts'
import { intOption } from '../option-values.ts'
import type { RunnerFactory } from '../types.ts'

/**
 * `baseline:random`: a seeded uniform reward per (prompt, response). The value is derived from a hash of
 * the seed and the request, not drawn in order, so it does not depend on batching, order or resume.
 */
export const randomBaseline: RunnerFactory = {
  name: 'baseline:random',
  usage: 'baseline:random  a seeded random reward (?seed=0)',
  options: { seed: 'integer seed (default 0)', batch_size: 'requests per call' },
  async create(target, options) {
    if (target) throw new RmbenchError('E_MODEL_SPEC', `baseline:random takes no target, got '${target}'. Set the seed with baseline:random?seed=1.`)
    const seed = intOption(options, 'seed', 0, 0)
    return {
      id: `baseline-random-${seed}`,
      fingerprint: hashOf({ runner: 'baseline:random', seed }),
      cheap: true,
      capabilities: { reward: true },
      info: { runner: 'baseline:random', seed },
      batchSize: intOption(options, 'batch_size', 1024),
      async reward(batch) {
        return batch.map((r) => ({ value: parseInt(hashOf([seed, r.prompt, r.response]).slice(0, 13), 16) / 2 ** 52 }))
      },
    }
  },
}
