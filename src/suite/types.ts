/** Types that follow schemas/suite.schema.json (the schema is the contract). */

/** Maps raw columns to an example's fields. */
export interface FieldMap {
  id?: string
  prompt?: string
  chosen?: string
  rejected?: string
  group?: string
  /** The two responses of a label-indexed pair (LLMBar's output_1/output_2). */
  responses?: [string, string]
  /** The column whose value names the better response. */
  label?: string
  /** Label value of the first response. @default 1 */
  label_base?: 0 | 1
  /** Text labels instead of numbers: the values meaning "the first response is better" and "the second is" (JudgeBench: A>B, B>A). */
  label_names?: [string, string]
  /** Column with a list of responses ranked best first (ranking-accuracy with n > 2). */
  ranked?: string
  /** Column with the raters' agreement α for the pair (ranking-accuracy). */
  alpha?: string
  /** Self-preference, pairwise: the columns naming the model that wrote each of `responses`. */
  models?: [string, string]
  /** Self-preference, pairwise: the gold verdict column (A/B/tie, model_a/model_b, a model name, P(A), or a list of votes). */
  gold?: string
  /** Self-preference, pointwise: the response column, the column naming its model, and its gold (human) score. */
  response?: string
  model?: string
  gold_score?: string
}

/** Seeded random subset. */
export interface SampleSpec { n: number; seed?: number }

/** One data source of a suite. */
export interface SourceSpec {
  source: string
  format?: string
  /** Hub sources without a path: the split to load. */
  split?: string
  /** Hub sources: the dataset configuration the split belongs to. */
  config?: string
  /** Pin: the one file's sha256, or file path → sha256. */
  sha256?: string | Record<string, string>
  /** Pin: sha256 of this source's loaded rows. */
  rows_sha256?: string
  group?: string
  limit?: number
  sample?: SampleSpec
  fields?: FieldMap
}

/** A section is subset→count (weighted) or a list of subsets (plain mean). */
export type SectionSpec = Record<string, number> | string[]

/** A suite as written (after includes are merged). */
export interface SuiteSpec {
  name: string
  version?: number
  description?: string
  include?: string | string[]
  task: string
  data: SourceSpec | SourceSpec[]
  limit?: number
  sample?: SampleSpec
  /** Examples that may fail before `rmbench run` exits 3: a count or a share ("2%"). */
  max_failures?: number | string
  sections?: 'rewardbench' | Record<string, SectionSpec>
  section_weights?: Record<string, number>
  score?: { ties?: TieRule }
  best_of_n?: { ties_subset?: string }
  style_matrix?: { domains?: Record<string, string[]> }
  analyses?: string[]
  ranking?: { ties?: 'ge' | 'gt'; betas?: number[]; alpha?: number; reference?: boolean }
  stats?: { seed?: number; bootstrap?: number; confidence?: number; method?: 'percentile' | 'bca'; generic_resamples?: number }
  /** Regression gates for `rmbench compare --baseline/--candidate`: tolerated drops in points, and the test's level. */
  gates?: { alpha?: number; max_drop?: Record<string, number> }
  /** Thresholds of `rmbench audit`: the strength a class needs and the share of models that must agree. */
  audit?: { strength?: number; majority?: number }
  /** Self-preference: whose self-preference, how its verdicts are asked for (LM judges) and read. */
  judge?: JudgeSpec
}

/** The judge of a self-preference suite, or how an LLM judge is asked and read on any reward suite. */
export interface JudgeSpec {
  /** The judge's model name, matched against the data's model columns (CLI --judge overrides). */
  name?: string
  /** Other names of the judge's own responses (versions, family members): name → aliases. */
  aliases?: Record<string, string[]>
  /** pairwise (A/B verdicts) or pointwise (ratings); default from the data's fields. */
  mode?: 'pairwise' | 'pointwise'
  /** Both presentation orders (default) or the data's order only. */
  orders?: 'both' | 'AB'
  /** Prompt for LM judges, with {question}, {answer_a}, {answer_b} (pairwise) or {answer} (pointwise). */
  template?: string
  /** A bundled prompt by name (letter, mt-bench, arena-hard, ab, rating, number) or a prompt file beside the suite. */
  prompt?: string
  /** The verdict rule that reads the judge's answer (default: the bundled prompt's own; letter for other prompts). */
  parse?: string
  /** How the two orders' verdicts make a pair's credit: mean of each order's credit, or JudgeBench's vote (sum > 0). */
  combine?: 'mean' | 'vote'
  /** An unreadable verdict counts as a wrong one (vote 0; credit 0), or leaves its pair out of accuracy. */
  unparseable?: 'wrong' | 'exclude'
  /** Tokens a served chat judge may generate for one verdict (default: the prompt's own). */
  max_tokens?: number
  /** The next tokens that mean "A wins" and "B wins". @default ['A', 'B'] */
  labels?: [string, string]
  /** Pointwise rating scale, inclusive. @default [1, 10] */
  scale?: [number, number]
}

/** How a chosen == rejected tie counts. */
export type TieRule = 'wrong' | 'half' | 'right'

/** A loaded, validated suite with where it came from. */
export interface Suite {
  spec: SuiteSpec
  /** Absolute path of the suite.yaml. */
  file: string
  /** Folder that relative data paths resolve against. */
  dir: string
  /** sha256 of the merged spec's stable JSON: changes when anything that affects results changes. */
  hash: string
}
