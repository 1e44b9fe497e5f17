import type { SourceProvenance } from '../data/resolve-source.ts'
import type { HubModelSource } from '../hub/hub-model.ts'
import type { BootstrapSettings } from '../stats/bootstrap.ts'
import type { JudgeDescription, Metrics } from '../tasks/types.ts'

/** How the intervals of a run were made (results.json → stats). */
export interface CiSummary extends BootstrapSettings {
  genericResamples: number
  strata: string
  ms: number
  /** Read from the score cache's memo: computed by an earlier run on the same code, suite, data and scores. */
  remembered?: boolean
}

/** results.json, version 1 (schemas/results.schema.json is the contract). */
export interface RunResult {
  schemaVersion: 1
  complete: boolean
  suite: { name: string; version: number; task: string; file: string; hash: string; spec: object }
  model: { spec: string; id: string; fingerprint: string; info: Record<string, unknown> }
  provenance: {
    rmbenchVersion: string
    gitCommit: string | null
    suiteHash: string
    datasetHash: string
    dataFiles: string[]
    /** Per data source: hub repo, requested revision, resolved commit, each file's sha256. */
    dataSources: SourceProvenance[]
    /** The hub repository and resolved commit of an hf: model (null for other models). */
    modelSource: HubModelSource | null
    modelFingerprint: string
    templateHash: string | null
    tokenizerHash: string | null
    executionProvider: string | null
    maxLength: number | null
    seed: number
    startedAt: string
    finishedAt: string
    durationMs: number
    scoringMs: number
    /** Where the run's time went (volatile, like the other timings). */
    phases?: RunPhases
    /** An LLM judge in place of a reward model: how it was asked and how its verdicts count. */
    judge?: JudgeProvenance
    node: string
    platform: string
  }
  metrics: Metrics
  /** How the metrics' confidence intervals were made (absent with stats.bootstrap: 0). */
  stats?: CiSummary
  counts: { examples: number; scored: number; failed: number; requests: number; unique: number; cached: number }
  errors: { id: string; code: string; message: string }[]
}

/** How an LLM judge was asked (prompt and its hash with the verdict rule), how its verdicts count, and the tokens it used. */
export type JudgeProvenance = JudgeDescription & { usage?: Record<string, number> }

/** A run's time by phase, in ms: load (suite, data, planning), scoring (tokenising and session.run within it, for a local model), statistics, reports. */
export interface RunPhases { loadMs?: number; scoringMs: number; tokenizeMs?: number; sessionMs?: number; statisticsMs: number; reportMs?: number }

/** Progress events during a run. */
export interface RunProgress { phase: 'load' | 'score' | 'done'; done: number; total: number; cached: number; errors: number; elapsedMs: number }

/** Output plugins: every hook optional. */
export interface Reporter {
  name: string
  onProgress?(p: RunProgress): void
  onResult?(r: RunResult, outDir: string): void | Promise<void>
}
