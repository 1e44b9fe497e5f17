import type { Hub } from '../hub/hub-client.ts'
import type { HubModelSource } from '../hub/hub-model.ts'
import type { RewardRequest } from '../data/types.ts'
import type { Memo } from '../util/memo.ts'

// Declared with the data it is made of (tasks build requests without importing runners); re-exported for runners.
export type { RewardRequest } from '../data/types.ts'

/**
 * A score, or the model's failure on that one input (a value, never a throw); `output` is what a text-answering
 * judge wrote (kept with the verdict read from it, or with the error when none could be read).
 */
export type Scored = { value: number; tokens?: number; output?: string } | { error: { code: string; message: string }; output?: string }

/** What a runner records about itself for provenance (templates, hashes, EP, max length, ...). */
export type RunnerInfo = Record<string, string | number | boolean | null>

/** A model backend. */
export interface Runner {
  /** Human-readable id, used in output folder names ("quickstart-rm", "baseline-length"). */
  readonly id: string
  /** Hash of everything that changes scores: weights, tokenizer, template, options. */
  readonly fingerprint: string
  readonly capabilities: { reward?: true; logprob?: true; judge?: true }
  /** Provenance details: execution provider, max length, template hash, ... */
  readonly info: RunnerInfo
  /** Preferred number of requests per call. */
  readonly batchSize: number
  /** A scalar per (prompt, response); the result has one entry per request, in order. */
  reward?(batch: RewardRequest[], signal?: AbortSignal): Promise<Scored[]>
  /** Σ log p of the response tokens given the prompt (`value`) and their count (`tokens`), for causal LMs. */
  logprob?(batch: RewardRequest[], signal?: AbortSignal): Promise<Scored[]>
  /** Named causal LMs behind this model (an expression's LMs, or --model plus --lm): tasks may ask them for log p. */
  readonly lms?: Record<string, Runner>
  /** Scores belong to (example, role), not to the text: the run must not share them between equal texts. */
  readonly perExample?: boolean
  /** Told the suite's example ids before scoring; returns warnings (e.g. ids it has no scores for). */
  reconcile?(exampleIds: string[]): string[]
  /** Where the model came from when it is not a local path (hub repository and resolved commit). */
  readonly source?: HubModelSource
  /** Chunks of requests the run may keep in flight at once (served models: enough to keep every replica busy). */
  readonly parallel?: number
  /** Scoring costs less than recording it (baselines): a streamed run neither records nor caches its scores. */
  readonly cheap?: boolean
  /** Scores are a pure function of the fingerprint and the request text (local weights): the shared score cache may keep them across runs. */
  readonly cacheable?: boolean
  /** Scores do not depend on which requests share a batch: a resumed chunk may score only what it lacks. */
  readonly batchInvariant?: boolean
  /** Time spent tokenising and in the model itself so far (local models), for results.json's phases. */
  timings?(): { tokenizeMs: number; sessionMs: number }
  /** One line on how scoring went (retries, replicas taken out), for stderr after the run; null when unremarkable. */
  health?(): string | null
  /**
   * A hint: the requests the run will ask next, about `lookahead` of them, in the order it will ask. A local model
   * tokenises them together ahead of time; it must still score any request asked without being prepared.
   */
  prepare?(batch: RewardRequest[]): void
  /** How many requests ahead prepare() wants to be told. */
  readonly lookahead?: number
  /** A cheap length proxy so the caller can group similar requests before calling reward(). */
  sizeOf?(req: RewardRequest): number
  dispose?(): Promise<void>
}

/** Options given to a runner factory, from the model spec's `?k=v` part, CLI flags and bench.config.ts. */
export type RunnerOptions = Record<string, string | number | boolean>

/** Context shared with runner factories. */
export interface RunnerContext {
  /** Warnings for the user (stderr); runners must not print. */
  warn(message: string): void
  cwd: string
  /** The hub client for hf: models (default: one from the environment). */
  hub?: () => Hub
  /** The fetch served runners use (default: global fetch); tests inject faults a server cannot cause. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
  /** Where a runner may keep what it derived once (weight hashes, session facts) so a re-run skips the work. */
  memo?: Memo
}

/** Creates a runner from a spec target (`./models/rm` in `onnx:./models/rm`). */
export interface RunnerFactory {
  name: string
  /** One line for `rmbench run --help`: the spec's form, two spaces, what it is. */
  usage: string
  /** Option keys this runner accepts (others are an error with "did you mean"). */
  options: Record<string, string>
  create(target: string, options: RunnerOptions, ctx: RunnerContext): Promise<Runner>
}
