import { RmbenchError } from '../../errors.ts'
import { hashOf } from '../../util/hash.ts'
import { boolOption, intOption } from '../option-values.ts'
import { requestChars } from '../request-size.ts'
import type { RewardRequest, RunnerFactory } from '../types.ts'
import { callInBatches } from './batched-calls.ts'
import { logitsReader, teiPredict, type RewardInput } from './reward-apis.ts'
import { teiServerInfo } from './server-info.ts'
import { pairTexts } from '../onnx/request-encoder.ts'
import { ENCODER_OPTIONS, servedEncoding } from './served-encoder.ts'
import { endpointsFrom, POOL_OPTIONS, poolFrom, poolSummary, tokenizerDir } from './served-options.ts'
import { parallelChunks } from './served-runner.ts'

/**
 * `tei:http://host:8080`: a text-embeddings-inference server running a sequence classifier, via `POST /predict`
 * with raw scores. TEI tokenises server-side, so inputs are texts: the chat template rendered here when a
 * tokenizer folder is given, else (prompt, response) as a text pair — what BERT/DeBERTa-style reward models take.
 */
export const teiRunner: RunnerFactory = {
  name: 'tei',
  usage: 'tei:<url>  a sequence classifier served by text-embeddings-inference (/predict)',
  options: {
    label: 'reward column of a multi-label head: index, name, or <good>-<bad>',
    truncate: 'true | false: let the server truncate over-long inputs (default false: they fail, named)',
    ...Object.fromEntries(Object.entries(ENCODER_OPTIONS).filter(([k]) => k !== 'inputs')),
    ...Object.fromEntries(Object.entries(POOL_OPTIONS).filter(([k]) => k !== 'model')),
  },
  async create(target, options, ctx) {
    const pool = poolFrom(endpointsFrom(target, options, 'tei'), options, ctx, null)
    const server = await teiServerInfo(pool)
    const dir = tokenizerDir(options, ctx.cwd)
    const encoding = dir ? servedEncoding(dir, options, `tei:${target}`, 'pair') : null
    const batchSize = intOption(options, 'batch_size', 16)
    const label = options.label === undefined ? undefined : String(options.label)
    if (server.modelType !== null && server.modelType !== 'classifier' && server.modelType !== 'reranker')
      throw new RmbenchError('E_HTTP_SERVER', `${pool.endpoints[0]} serves ${server.model} as a${server.modelType === 'embedding' ? 'n' : ''} ${server.modelType} model; /predict needs a sequence classifier (a reward model's *ForSequenceClassification head).`, { endpoint: pool.endpoints[0] })
    // Label order: the tokenizer folder's config.json, else TEI's own /info (its id2label, in id order).
    const folderLabels = (encoding?.folder.config.id2label as Record<string, string> | undefined) ?? null
    const id2label = folderLabels && Object.keys(folderLabels).length ? folderLabels : server.id2label
    if (!id2label || !Object.keys(id2label).length)
      throw new RmbenchError('E_HTTP_SERVER', `${pool.endpoints[0]}: GET /info names no labels for ${server.model} and no ?tokenizer= folder gives its config.json: cannot tell which score is which.`, { endpoint: pool.endpoints[0] })
    const labels = Object.keys(id2label).sort((a, b) => Number(a) - Number(b)).map((k) => id2label[k])
    const api = teiPredict(labels)
    const truncate = boolOption(options, 'truncate', false)!
    const read = logitsReader(id2label, label)
    const pairMode = !encoding || encoding.template === 'pair'
    const info = {
      runner: 'tei',
      api: 'predict',
      servedModel: server.model,
      servedModelRoot: server.sha,
      serverVersion: server.version,
      replicas: pool.endpoints.length,
      template: pairMode ? 'pair' : encoding!.template,
      templateHash: encoding?.enc.templateHash ?? null,
      tokenizerHash: encoding?.enc.tokenizerHash ?? null,
      maxLength: null,
      inputs: pairMode ? 'text pair' : 'text',
      labelOrder: folderLabels && Object.keys(folderLabels).length ? 'config.json' : 'GET /info',
      revision: options.revision === undefined ? server.sha : String(options.revision),
      reward: label ?? 'the only logit, or log-odds of two',
    }
    // Every input is a sequence: [text] or [prompt, response], the pair as the local runner encodes it (pairTexts).
    const toInput = (r: RewardRequest): RewardInput => {
      if (!pairMode) return [encoding!.enc.render(r)!]
      const [prompt, response] = pairTexts(r)
      return response === null ? [prompt] : [prompt, response]
    }
    return {
      id: server.model.split('/').pop()!.replace(/[^\w.-]+/g, '-'),
      fingerprint: hashOf({ runner: 'tei', model: server.model, revision: info.revision, template: info.templateHash ?? 'pair', label: label ?? null, truncate }),
      info,
      batchSize,
      capabilities: { reward: true },
      parallel: parallelChunks(pool, batchSize),
      batchInvariant: true,
      health: () => poolSummary(pool),
      sizeOf: requestChars,
      reward: (batch, signal) => callInBatches(batch.map(toInput), batchSize, async (part) => (await api.call(pool, server.model, part, { truncate }, signal)).map(read)),
    }
  },
}
