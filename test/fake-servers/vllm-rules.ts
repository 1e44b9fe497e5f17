// vLLM's request and answer rules by version, as the fake server applies them. Each rule names what it follows:
// vLLM's source and release docs as the search tool holds them (docs.vllm.ai/en/v<version>/…, GitHub PRs), read
// 2026-12-01. Versions the fake speaks: 0.8.5 (before per-request activation), 0.10.2 (`activation`/`softmax`),
// 0.11.2 (`use_activation`, `task`), the current line.

/** A version as numbers. */
export type Version = [number, number, number]

/** "0.11.2" → [0, 11, 2]. */
export const version = (v: string): Version => v.split('.').map(Number).concat(0, 0).slice(0, 3) as Version
const atLeast = (v: Version, w: string) => {
  const x = version(w)
  return (v[0] - x[0] || v[1] - x[1] || v[2] - x[2]) >= 0
}

/**
 * Error bodies: flat `{"object": "error", "message", "type", "param", "code"}` before 0.10.1, nested
 * `{"error": {"message", "type", "param", "code"}}` from 0.10.1 (vllm-project/vllm#22099, "included starting vllm
 * v0.10.1"; vllm/entrypoints/openai/protocol.py `ErrorResponse`/`ErrorInfo`).
 */
export function vllmError(v: Version, status: number, message: string): object {
  const type = status === 404 ? 'NotFoundError' : 'BadRequestError'
  return atLeast(v, '0.10.1') ? { error: { message, type, param: null, code: status } } : { object: 'error', message, type, param: null, code: status }
}

/** A route FastAPI does not have: Starlette's `{"detail": "Not Found"}` (every version). */
export const NOT_FOUND = { detail: 'Not Found' }

/**
 * Whether the classifier's activation applies to this request. Request models accept unknown fields and ignore
 * them (protocol.py `OpenAIBaseModel`: extra="allow", `__log_extra_fields__` logs "…present in the request but
 * ignored"), so a field this version does not know changes nothing:
 * - ≥ 0.11.1: `use_activation` (vllm/pooling_params.py, docs v0.11.1; `activation`/`softmax` deprecated there);
 * - 0.10.1–0.11.0: `activation` for classification outputs, `softmax` for reward outputs (pooling_params.py,
 *   docs v0.10.2 and v0.11.0; added by vllm-project/vllm#20538);
 * - older: always applied (per-request control did not exist; #20538: "pooler_config.softmax did not control
 *   classification (score) models").
 */
export function activationApplies(v: Version, body: Record<string, unknown>, route: '/classify' | '/pooling'): boolean {
  if (atLeast(v, '0.11.1')) return body.use_activation !== false
  if (atLeast(v, '0.10.1')) return route === '/classify' ? body.activation !== false : body.softmax !== false
  return true
}

/**
 * The classifier activation (vllm/model_executor/layers/pooler.py `PoolerClassify`): sigmoid for one label,
 * softmax over two or more.
 */
export function activate(logits: number[]): number[] {
  if (logits.length < 2) return logits.map((x) => 1 / (1 + Math.exp(-x)))
  const m = Math.max(...logits)
  const e = logits.map((x) => Math.exp(x - m))
  const z = e.reduce((a, b) => a + b, 0)
  return e.map((x) => x / z)
}

/**
 * /pooling's `task` (vllm/entrypoints/pooling/pooling/protocol.py `task: PoolingTask | None`, from 0.11.1,
 * vllm-project/vllm#25524): a sequence classifier supports `classify` (one row per input) and `token_classify`
 * (one row per token) — docs v0.11.2, "Model Conversion": *For*Classification → token_classify, classify, score.
 * A reward-modeling head (*ForRewardModeling) supports token_classify only there. Before 0.11.1 the field is
 * ignored and /pooling answers per token for a reward head (the `encode` task, docs v0.10.1.1). Returns what to
 * answer, or the refusal. The refusal's wording is the fake's own: rmbench relies only on a 400 naming the task.
 */
export function poolingTask(v: Version, body: Record<string, unknown>, head: 'classifier' | 'reward'): { rows: 'sequence' | 'token' } | { refuse: string } {
  const supported = head === 'classifier' ? ['classify', 'token_classify'] : ['token_classify']
  if (!atLeast(v, '0.11.1')) return { rows: head === 'classifier' ? 'sequence' : 'token' }
  const task = typeof body.task === 'string' ? body.task : supported[supported.length - 1]
  if (!supported.includes(task)) return { refuse: `Task ${task} is not supported by this model. Supported tasks: ${supported.join(', ')}` }
  return { rows: task === 'classify' ? 'sequence' : 'token' }
}

/**
 * Completions' `logprobs.text_offset` (vllm/entrypoints/openai/serving_completion.py `_create_completion_logprobs`):
 * each offset is the previous one plus the previous token's decoded length — a running sum of decoded token
 * lengths, not a character position in the prompt (they part where decoding a token alone does not give the text's
 * characters, e.g. a word's leading space or a split multi-byte character).
 */
export function runningOffsets(tokenTexts: string[], initial = 0): number[] {
  const out: number[] = []
  let at = initial
  for (const t of tokenTexts) {
    out.push(at)
    at += t.length
  }
  return out
}
