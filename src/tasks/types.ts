import type { Example, RewardRequest } from '../data/types.ts'
import type { SuiteSpec } from '../suite/types.ts'

/** A metric value with the number of examples behind it. */
export interface MetricValue {
  value: number
  n: number
  /** Words for readers when the key alone is not enough ("Chat, Chat Hard, Safety, Reasoning; Prior Sets excluded"). */
  label?: string
  /** Bootstrap confidence interval [lo, hi]. */
  ci?: [number, number]
  /** Resamples behind `ci`. */
  resamples?: number
  /** Analytical standard error, where one exists (accuracy: sd of credits / √n). */
  se?: number
}

/** Metrics keyed by stable names (`accuracy`, `accuracy/<group>`, `section/<name>`, `score`). */
export type Metrics = Record<string, MetricValue>

/** One request a task needs scored for an example, under a role ("chosen", "rejected"). */
export interface TaskRequest {
  exampleId: string
  role: string
  request: RewardRequest
  /** Set when the task needs log p from a named LM of the model (policy, ref) rather than a reward. */
  lm?: string
}

/** Per-example scores by role; an example with any failed request is not passed to metrics. */
export type ExampleScores = Map<string, Record<string, number>>

/** A per-example row for scores.jsonl. */
export type ExampleRow = Record<string, unknown>

/**
 * Metrics as a function of per-stratum sums of per-example values, so the bootstrap can run on typed arrays:
 * `values[k][i]` is value k of example i (of `strata.length`); `combine` gets sums[stratum][k] and counts[stratum].
 */
export interface MeanStatistic {
  strata: Int32Array
  values: Float64Array[]
  combine(sums: Float64Array[], counts: Float64Array): Record<string, number>
}

/**
 * One scored example as the example explorer shows it: the credit it earned toward accuracy (1 right, 0 wrong,
 * fractions for ties and partly right matrices; null where the task has no right answer for it), its margin
 * (the task's own, described by `marginLabel`), whether its scores tied, the score of each response in the
 * order chosen…, rejected…, the sections its group counts toward, and the judge's outputs where there are any.
 */
export interface ExampleOutcome {
  credit: number | null
  margin: number | null
  tie: boolean
  scores: (number | null)[]
  sections?: string[]
  judge?: Record<string, string | number | null>
}

/**
 * Metrics as functions of how often each example was drawn (weights[i] for examples[i] as given to the factory),
 * for the bootstrap: evaluated on the same draws as recomputation on resampled copies, without the copies.
 */
export interface Replicator { keys: string[]; evaluate(weights: Float64Array): Record<string, number> }

/** How an LLM judge was asked and read (results.json provenance.judge). */
export interface JudgeDescription {
  prompt: string
  promptHash: string
  parse: string
  mode: 'pairwise' | 'rating' | 'self-preference'
  orders?: ('AB' | 'BA')[]
  combine?: 'mean' | 'vote'
  unparseable?: 'wrong' | 'exclude'
  scale?: [number, number]
}

/** A benchmark kind: turns examples into requests, and scores into metrics. */
export interface Task {
  name: string
  /** Checks the suite's task-specific settings early (before any scoring); throws coded errors. */
  check?(suite: SuiteSpec): void
  /** Checks each example has the shape the task needs (e.g. one chosen, one rejected); throws naming the row. */
  checkExamples?(examples: Example[]): void
  requests(examples: Example[], suite?: SuiteSpec): TaskRequest[]
  /** `tokens` holds the runner's token counts per role, where it reports them. */
  metrics(examples: Example[], scores: ExampleScores, suite: SuiteSpec, tokens?: ExampleScores): Metrics
  /** The task's metrics as per-stratum means (fast bootstrap); metrics it does not cover are resampled by recomputation. */
  meanStatistic?(examples: Example[], scores: ExampleScores, suite: SuiteSpec): MeanStatistic | undefined
  /**
   * Its metrics as a weighted replicator (the recomputing bootstrap then skips the copies); the examples are the
   * scored ones, `clusterOf` the resampling cluster of each (rows drawn together, as one copy).
   */
  replicator?(examples: Example[], scores: ExampleScores, suite: SuiteSpec, tokens?: ExampleScores, clusterOf?: Int32Array): Replicator
  /** One example's credit toward `accuracy` (1 right, 0 wrong, fractions for ties): exact McNemar tests use it. */
  credit?(example: Example, scores: Record<string, number>, suite: SuiteSpec): number
  /** Examples that must be resampled together (RewardBench 2's ref/tied rows of one prompt); default: the example alone. */
  cluster?(example: Example, suite: SuiteSpec): string
  /** Metrics that describe the run itself (counts of failed items), not a sample estimate: no interval for them. */
  exactMetrics?: string[]
  /**
   * Error codes that are an answer, not a failure (a judge's unreadable verdict): such a request leaves its role out
   * of the example's scores, and the task reads the absence by its own declared rule, instead of the example failing.
   */
  verdictErrors?: string[]
  /**
   * A judge's verdicts as reward-shaped scores (`chosen/0`, `rejected/0`, …) for the analyses that read rewards
   * (length bias): P(chosen wins) for pairs, the ratings for rated completions.
   */
  rewardsOf?(example: Example, scores: Record<string, number>, suite: SuiteSpec): Record<string, number>
  /** How the task asks an LLM judge (prompt, its hash with the verdict rule, orders, combine rule), for provenance. */
  judging?(suite: SuiteSpec): JudgeDescription
  /** What the example explorer shows of one scored example (explorer.html): credit, margin, response scores. */
  outcome?(example: Example, scores: Record<string, number>, suite: SuiteSpec): ExampleOutcome
  /** Names of an example's responses, chosen… then rejected… (default: chosen, rejected, numbered when several). */
  responseLabels?(example: Example): string[]
  /** Words for the explorer's margin column ("chosen − rejected"). */
  marginLabel?: string
  /** What scores.jsonl records for one scored example. */
  row(example: Example, scores: Record<string, number>, suite: SuiteSpec): ExampleRow
}
