/** A reward computed from LM log-likelihoods, e.g. DPO's `beta * (logp(policy) - logp(ref))`. */
export interface ExpressionEntry {
  /** The expression: logp(lm), tokens(lm), logp(lm, followup="…"), numbers, + - * / ^, log/exp/…. */
  reward: string
  /** LM names used in the expression → a model spec or the name of another entry. */
  lms: Record<string, string>
  /** The value of `beta` in the expression. @default 1 */
  beta?: number
}

/** A model entry in bench.config.ts: a spec string, a spec with options, or an expression over LMs. */
export type ModelEntry = string | ServedEntry | ExpressionEntry

/** A model spec with options; for a served model, its replicas and the env var holding its API key. */
export interface ServedEntry {
  spec: string
  options?: Record<string, string | number | boolean>
  /** More replica URLs of a served model (vllm:, openai:, tei:): requests are spread over all of them. */
  endpoints?: string[]
  /** The environment variable holding the API key (its value is sent, never written anywhere). */
  apiKeyEnv?: string
}

/** bench.config.ts as a user writes it: every field optional. */
export interface UserConfig {
  /** Model used when `rmbench run` gets no --model. @default undefined */
  defaultModel?: string
  /** Named models: `--model quickstart-rm` looks here first. @default {} */
  models?: Record<string, ModelEntry>
  /** Folder for default run output folders. @default 'reports' */
  reportsDir?: string
  /** Execution device for ONNX runners. @default 'cpu' */
  device?: 'cpu' | 'cuda'
}

/** The config after defaults: every field present. */
export interface ResolvedConfig {
  defaultModel: string | undefined
  models: Record<string, ModelEntry>
  reportsDir: string
  device: 'cpu' | 'cuda'
  /** The file it came from, or null when none was found. */
  file: string | null
  /** Folder relative paths in the config resolve against. */
  root: string
}

/** Defaults applied to a UserConfig. */
export const configDefaults = { models: {}, reportsDir: 'reports', device: 'cpu' } as const
