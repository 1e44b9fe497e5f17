import { RmbenchError } from '../../errors.ts'
import { hashOf, sha256, stableStringify } from '../../util/hash.ts'
import { choiceOption, intOption } from '../option-values.ts'
import { chunkSize } from '../../util/chunk-size.ts'
import { requestChars } from '../request-size.ts'
import type { RewardRequest, Runner, RunnerFactory, RunnerInfo, RunnerOptions, Scored } from '../types.ts'
import { callInBatches } from './batched-calls.ts'
import { askChat, generateAnswer, labelLogprob, sharedCalls, verdictLogprob, type ChatAnswer, type GeneratedAnswer } from './chat-judge.ts'
import type { VerdictAsk } from '../../data/types.ts'
import { completionLogprobs, type LmInput } from './completion-logprobs.ts'
import type { ReplicaPool } from './replica-pool.ts'
import { logitsReader, vllmRewardApi, type RewardInput } from './reward-apis.ts'
import { poolingAttempts } from './vllm-dialect.ts'
import { openAiServerInfo } from './server-info.ts'
import { ENCODER_OPTIONS, servedEncoding, type ServedEncoding } from './served-encoder.ts'
import { TOKENIZER_LIBRARY } from '../tokenizer-file.ts'
import { endpointsFrom, POOL_OPTIONS, poolFrom, poolSummary, tokenizerDir } from './served-options.ts'

/** The served APIs, by the `api` option's value, and what each gives. */
const APIS = {
  pooling: 'reward',
  classify: 'reward',
  completions: 'logprob',
  prompt_logprobs: 'logprob',
  chat: 'judge',
} as const
type ApiName = keyof typeof APIS


/** How many of the run's chunks in flight keep every replica's request slots full. */
export function parallelChunks(pool: ReplicaPool, batchSize: number): number {
  return Math.max(2, Math.ceil((pool.endpoints.length * pool.concurrency * batchSize) / chunkSize(batchSize)) + 1)
}

/** Reward inputs: token ids (default), or the rendered text with the server told not to add special tokens twice. */
async function rewardInputs(e: ServedEncoding, batch: RewardRequest[]): Promise<RewardInput[]> {
  if (e.inputs === 'tokens') return (await e.enc.encodeMany(batch)).map((x) => x.ids)
  // Text pairs never get here (refused at creation): every template renders one text.
  return batch.map((r) => e.enc.render(r)!)
}

/** Log-likelihood inputs: ids with the response's first token, or the text with its first response character. */
async function lmInputs(e: ServedEncoding, batch: RewardRequest[]): Promise<LmInput[]> {
  if (e.inputs === 'tokens') return e.enc.encodeManyLm(batch)
  return Promise.all(batch.map(async (r) => {
    const texts = e.enc.renderLm(r)
    const encoded = await e.enc.encodeLmTexts(texts)
    if (encoded.truncated) throw new RmbenchError('E_MODEL_SPEC', `inputs=text cannot send a conversation longer than max_length=${e.enc.settings.maxLength} tokens (the server would see all of it): use inputs=tokens, or a larger max_length.`, { option: 'inputs' })
    return { text: texts.full, start: encoded.start, count: encoded.ids.length }
  }))
}

/** How many tokens a log-likelihood input holds. */
const tokenCount = (x: LmInput) => ('ids' in x ? x.ids.length : x.count)

/** Builds the `vllm:` or `openai:` factory; they differ in default API, which APIs exist, and the key's env var. */
function servedFactory(name: 'vllm' | 'openai', apis: ApiName[], defaultApi: ApiName, keyEnv: string): RunnerFactory {
  return {
    name,
    usage: name === 'vllm'
      ? 'vllm:<url>[,<url>…]  a model served by vLLM: rewards (/pooling, /classify), log-probs, chat judges'
      : 'openai:<url>  any OpenAI-compatible server: log-probs (/v1/completions) or chat judges',
    options: {
      api: `${apis.join(' | ')} (default ${defaultApi}): ${apis.map((a) => `${a} → ${APIS[a]}`).join(', ')}`,
      label: 'reward column of a multi-label head: index, name, or <good>-<bad>',
      top_logprobs: 'api=chat: alternatives asked for the verdict token (default 20, the OpenAI limit; vLLM allows up to its --max-logprobs)',
      ...ENCODER_OPTIONS,
      ...POOL_OPTIONS,
    },
    async create(target, options: RunnerOptions, ctx) {
      const api = choiceOption(options, 'api', apis, defaultApi)
      const pool = poolFrom(endpointsFrom(target, options, name), options, ctx, keyEnv)
      const server = await openAiServerInfo(pool, options.model === undefined ? undefined : String(options.model), name === 'vllm')
      const kind = APIS[api]
      // A chat judge sends messages: the server's template applies, and no tokenizer is needed.
      const encoding = kind === 'judge' ? null : servedEncoding(tokenizerDir(options, ctx.cwd), options, `${name}:${target} (api=${api})`)
      // vLLM's /pooling and /classify take one text per input: a text pair would reach the model joined, without
      // its second segment's token types, and score as another input than the pair a BERT-style RM was trained on.
      if (encoding?.inputs === 'text' && encoding.template === 'pair')
        throw new RmbenchError('E_MODEL_SPEC', `${name}:${target}: inputs=text cannot send a text pair (template=pair): the server takes one text per input, so (prompt, response) would be scored as one joined text. Use inputs=tokens (the default: the pair is encoded here, token types included), or tei:<url>, which takes text pairs.`, { option: 'inputs' })
      const batchSize = intOption(options, 'batch_size', kind === 'judge' ? 1 : encoding?.inputs === 'text' && kind === 'logprob' ? 4 : 16)
      const label = options.label === undefined ? undefined : String(options.label)
      const id2label = (encoding?.folder.config.id2label as Record<string, string>) ?? {}
      const read = logitsReader(id2label, label)
      // Token-id inputs depend on the tokenizer library too: its name joins the fingerprint.
      const settings = encoding ? { ...encoding.enc.settings, inputs: encoding.inputs, ...(encoding.inputs === 'tokens' ? { tokenizerLibrary: TOKENIZER_LIBRARY } : {}) } : {}
      const info = {
        runner: name,
        api,
        // The route and fields that gave raw logits, found on the first batch (vllm-dialect.ts).
        pooling: null as string | null,
        servedModel: server.model,
        servedModelRoot: server.root,
        serverVersion: server.version,
        replicas: pool.endpoints.length,
        template: encoding?.template ?? 'server',
        templateHash: encoding?.enc.templateHash ?? null,
        tokenizerHash: encoding?.enc.tokenizerHash ?? null,
        maxLength: encoding?.enc.settings.maxLength ?? null,
        inputs: encoding?.inputs ?? 'messages',
        revision: options.revision === undefined ? null : String(options.revision),
        reward: kind === 'reward' ? (label ?? 'the only logit, or log-odds of two') : kind === 'judge' ? `log p(verdict label) among the top ${options.top_logprobs ?? 20}` : 'Σ log p(response tokens | prompt)',
      }
      // Replica URLs and the server version are left out: replicas of one model (and shards run on other hosts) must share scores.
      const fingerprint = hashOf({ runner: name, api, model: server.model, root: server.root, revision: info.revision, tokenizer: info.tokenizerHash, template: info.templateHash, settings, label: label ?? null, ...(kind === 'judge' ? { top: options.top_logprobs ?? 20 } : {}) })
      const runner: Runner = {
        id: server.model.split('/').pop()!.replace(/[^\w.-]+/g, '-'),
        fingerprint,
        info,
        batchSize,
        capabilities: kind === 'reward' ? { reward: true } : kind === 'judge' ? { logprob: true, judge: true } : { logprob: true },
        // A verdict asked at temperature 0 with a fixed seed is kept in the shared cache: asking again costs a generation.
        ...(kind === 'judge' ? { cacheable: true } : {}),
        parallel: parallelChunks(pool, batchSize),
        batchInvariant: true,
        health: () => poolSummary(pool),
        sizeOf: requestChars,
      }
      if (kind === 'reward') {
        const rapi = vllmRewardApi(poolingAttempts(server.version, api as 'pooling' | 'classify', ctx.warn), (a) => (info.pooling = a.describe))
        // Text inputs were rendered with the template's own special tokens; the server must not add them again.
        const extra = encoding!.inputs === 'text' ? { add_special_tokens: encoding!.enc.settings.addSpecialTokens } : {}
        runner.reward = async (batch, signal) => callInBatches(await rewardInputs(encoding!, batch), batchSize, async (part) => (await rapi.call(pool, server.model, part, extra, signal)).map(read))
      } else if (kind === 'logprob') {
        const mode = api === 'prompt_logprobs' ? 'prompt_logprobs' : 'echo'
        // vLLM's CompletionRequest takes add_special_tokens (default true): a text whose template wrote BOS must not get a second.
        const extra = name === 'vllm' && encoding!.inputs === 'text' ? { add_special_tokens: encoding!.enc.settings.addSpecialTokens } : {}
        runner.logprob = async (batch, signal) => {
          const inputs = await lmInputs(encoding!, batch)
          // The request generates one token (max_tokens: 1): a prompt without room for it beside max_model_len is
          // refused by the server; say why here instead of sending it.
          const room = server.maxModelLen ?? Infinity
          const tooLong = (x: LmInput) => tokenCount(x) + 1 > room
          const sent = await callInBatches(inputs.filter((x) => !tooLong(x)), batchSize, (part) => completionLogprobs(pool, server.model, part, mode, signal, extra))
          let k = 0
          return inputs.map((x): Scored => tooLong(x)
            ? { error: { code: 'E_TOO_LONG', message: `${tokenCount(x)} tokens leave no room for the one generated token a completions request needs (the server's max_model_len is ${room}): serve with a larger --max-model-len, or lower max_length.` } }
            : sent[k++])
        }
      } else {
        // Both labels of one prompt come as two requests: ask the judge once per prompt.
        const topLogprobs = intOption(options, 'top_logprobs', 20, 0)
        const asked = sharedCalls<ChatAnswer>()
        const ask = (r: RewardRequest, signal?: AbortSignal) => asked(sha256(stableStringify(r.prompt)), () => askChat(pool, server.model, r.prompt, topLogprobs, signal))
        // A judge that explains first (its prompt allows more than one token) is asked for text, read by the verdict rule.
        const generated = sharedCalls<GeneratedAnswer>()
        const used = info as RunnerInfo
        const generate = (r: RewardRequest, ask: VerdictAsk, signal?: AbortSignal) => generated(sha256(stableStringify([r.prompt, ask.maxTokens])), () =>
          generateAnswer(pool, server.model, r.prompt, ask.maxTokens, signal).then((a) => {
            used['usage/prompt_tokens'] = Number(used['usage/prompt_tokens'] ?? 0) + a.promptTokens
            used['usage/completion_tokens'] = Number(used['usage/completion_tokens'] ?? 0) + a.completionTokens
            return a
          }))
        runner.logprob = (batch, signal) => callInBatches(batch, 1, async ([r]) => [
          r.verdict && r.verdict.maxTokens > 1 ? verdictLogprob((await generate(r, r.verdict, signal)).content, r, r.verdict) : labelLogprob(await ask(r, signal), r),
        ])
      }
      return runner
    },
  }
}

/** `vllm:http://host:8000`: a vLLM server — rewards via /pooling or /classify, log-probs via /v1/completions, judges via chat. */
export const vllmRunner = servedFactory('vllm', ['pooling', 'classify', 'completions', 'prompt_logprobs', 'chat'], 'pooling', 'VLLM_API_KEY')

/** `openai:https://host/v1`: any OpenAI-compatible server — log-probs via /v1/completions (echo), judges via chat. */
export const openAiRunner = servedFactory('openai', ['completions', 'chat'], 'completions', 'OPENAI_API_KEY')
