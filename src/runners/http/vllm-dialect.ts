import { RmbenchError } from '../../errors.ts'

/** One way of asking vLLM for a reward model's raw logits: the route, the body fields that turn its activation off. */
export interface PoolingAttempt { path: '/pooling' | '/classify'; params: Record<string, unknown>; describe: string }

/** A version string's leading numbers ("0.11.1rc2.dev3" → [0, 11, 1]); null when it has none. */
export function parseVersion(v: string | null): [number, number, number] | null {
  const m = v?.match(/^v?(\d+)\.(\d+)(?:\.(\d+))?/)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null
}

const atLeast = (v: [number, number, number], w: [number, number, number]) => v[0] - w[0] || v[1] - w[1] || v[2] - w[2]

/**
 * How to get raw logits from a vLLM server of this version (src/runners/http/README.md has the sources). vLLM's
 * request models accept and ignore unknown fields (OpenAIBaseModel, extra="allow", with a logged warning), so a
 * field the version does not know would be dropped silently and the activated score (sigmoid or softmax) returned:
 * the fields are chosen by version, never tried blindly.
 * - ≥ 0.11.1: `use_activation: false` (vllm/pooling_params.py); /pooling takes `task` — `classify` for sequence
 *   classifiers, `token_classify` for reward-modeling heads whose output is per token.
 * - 0.10.1–0.11.0: `activation: false` for classifiers (/classify), `softmax: false` for reward heads (/pooling),
 *   added by vllm-project/vllm#20538.
 * - older: the activation is applied to every output and cannot be turned off per request: refused.
 * Attempts are tried in order on the first batch; an attempt the server refuses as unsupported passes to the next.
 */
export function poolingAttempts(version: string | null, api: 'pooling' | 'classify', warn: (m: string) => void): PoolingAttempt[] {
  let v = parseVersion(version)
  if (!v) {
    warn(`the vLLM server's version is unknown (GET /version did not answer): assuming ≥ 0.11.1 and sending use_activation=false. An older vLLM ignores that field and returns sigmoid/softmax scores instead of logits; check GET /version reaches the server.`)
    v = [0, 11, 1]
  }
  if (atLeast(v, [0, 11, 1]) >= 0) {
    const classify: PoolingAttempt = { path: '/classify', params: { use_activation: false }, describe: 'POST /classify, use_activation=false' }
    return api === 'classify' ? [classify] : [
      { path: '/pooling', params: { task: 'classify', use_activation: false }, describe: 'POST /pooling, task=classify, use_activation=false' },
      { path: '/pooling', params: { task: 'token_classify', use_activation: false }, describe: "POST /pooling, task=token_classify, use_activation=false (per-token output: the last token's row is the reward)" },
    ]
  }
  if (atLeast(v, [0, 10, 1]) >= 0) {
    return [
      { path: '/classify', params: { activation: false }, describe: 'POST /classify, activation=false (vLLM 0.10.1–0.11.0)' },
      { path: '/pooling', params: { softmax: false }, describe: "POST /pooling, softmax=false (vLLM 0.10.1–0.11.0; per-token output: the last token's row is the reward)" },
    ]
  }
  throw new RmbenchError('E_HTTP_SERVER', `vLLM ${version} applies the model's activation (sigmoid or softmax) to every pooled output and cannot return raw logits per request (that came in 0.10.1): its scores would not be the reward model's. Serve the model with vLLM ≥ 0.10.1 (0.11.1 or later preferred).`, { version })
}

/** A refusal meaning "this route or task is not available here": the next attempt may work. */
export function unsupported(status: number | undefined, message: string): boolean {
  return status === 404 || status === 405 || ((status === 400 || status === 422) && /task|not supported|unsupported|does not support/i.test(message))
}
