import type { Example } from '../data/types.ts'
import type { SuiteSpec } from '../suite/types.ts'
import { Registry } from '../util/registry.ts'
import { lengthBias } from './length-bias/length-bias.ts'
import { lengthBiasReplicator } from './length-bias/length-bias-replicator.ts'
import type { ExampleScores, Metrics, Replicator } from './types.ts'

/** An analysis a suite attaches (`analyses: [length-bias]`): extra metrics over a task's scores. */
export interface Analysis {
  name: string
  /** Tasks whose scores it understands. */
  tasks: string[]
  /** `tokens` holds the runner's token counts per role, where it reports them. */
  analyze(examples: Example[], scores: ExampleScores, tokens: ExampleScores, suite: SuiteSpec): Metrics
  /**
   * The same metrics as functions of each example's draw count, for the bootstrap: prepared once, evaluated per
   * resample on the same draws recomputation would use (same intervals, at the cost of the data, not the copies).
   */
  replicator?(examples: Example[], scores: ExampleScores, tokens: ExampleScores, suite: SuiteSpec): Replicator
}

/** Analyses by name. */
export const analyses = new Registry<Analysis>('analysis').register('length-bias', { name: 'length-bias', tasks: ['pairwise', 'best-of-n'], analyze: lengthBias, replicator: lengthBiasReplicator })
