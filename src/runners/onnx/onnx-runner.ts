import { basename, resolve } from 'node:path'
import { RmbenchError } from '../../errors.ts'
import { hashOf, sha256, stableStringify } from '../../util/hash.ts'
import { hashFileMemo } from '../../util/hash-file.ts'
import { packageVersion } from '../../util/package-version.ts'
import { boolOption, choiceOption, intOption } from '../option-values.ts'
import type { RunnerFactory, RunnerOptions } from '../types.ts'
import { checkInputs, type PaddingSide } from './input-feeds.ts'
import { loadModelFolder, type ModelFolder } from './model-folder.ts'
import { OnnxRunner } from './onnx-model.ts'
import { DEVICES, GRAPH_OPTIMIZATIONS, openSession, type Device, type OrtSession, type SessionFacts, type SessionSettings } from './ort-session.ts'
import { TOKENIZER_LIBRARY } from '../tokenizer-file.ts'
import { TOKENIZATION_OPTION } from '../transformers5-tokenizer.ts'
import { RequestEncoder } from './request-encoder.ts'
import { rewardHead } from './reward-head.ts'

/** max length when nothing declares one: long enough for chat RMs, bounded for memory. */
const FALLBACK_MAX_LENGTH = 4096

/**
 * Padded tokens per session.run when max_batch_tokens is not set. A CPU's matrix kernels are already wide at
 * ~1k rows of tokens, so larger batches only add padding and attention memory traffic (`npm run bench`: 1,024
 * ran 25–30% faster than 65,536 on both bench models, and no slower than one sequence per call); a GPU wants
 * wide batches.
 */
export const DEFAULT_BATCH_TOKENS: Record<Device, number> = { cpu: 1024, cuda: 65536 }

function tokenId(folder: ModelFolder, enc: RequestEncoder, key: string): number | undefined {
  const v = folder.tokenizerConfig[key]
  const text = typeof v === 'string' ? v : (v as { content?: string } | undefined)?.content
  return text === undefined ? undefined : enc.tokenToId(text)
}

/** The declared maximum: tokenizer's model_max_length when sane, else the position embeddings, else a fallback. */
function defaultMaxLength(folder: ModelFolder): number {
  const m = Number(folder.tokenizerConfig.model_max_length)
  if (Number.isInteger(m) && m > 0 && m < 1e6) return m
  const p = Number(folder.config.max_position_embeddings ?? folder.config.n_positions)
  return Number.isInteger(p) && p > 0 ? Math.min(p, FALLBACK_MAX_LENGTH) : FALLBACK_MAX_LENGTH
}


/** What one session of this model said, and what its padding probe found: remembered so a cached run opens nothing. */
interface KnownSession extends SessionFacts { paddingSide?: PaddingSide; paddingCheck?: string; warnings: string[] }

function sessionSettings(options: RunnerOptions): SessionSettings {
  return {
    threads: options.threads === undefined ? undefined : intOption(options, 'threads', 1),
    interThreads: options.inter_threads === undefined ? undefined : intOption(options, 'inter_threads', 1),
    graphOptimization: choiceOption(options, 'graph_optimization', GRAPH_OPTIMIZATIONS, 'all'),
    arena: boolOption(options, 'arena', true)!,
    executionMode: choiceOption(options, 'execution_mode', ['sequential', 'parallel'] as const, 'sequential'),
  }
}

/** `onnx:<folder>`: a local exported reward model (model.onnx + tokenizer.json + configs). */
export const onnxRunner: RunnerFactory = {
  name: 'onnx',
  usage: 'onnx:<folder>  an exported reward model or causal LM (model.onnx, tokenizer.json, config.json)',
  options: {
    template: "'chat' (the tokenizer's own), 'pair' (text pair), or a named template: raw, tulu, chatml, hh",
    max_length: 'tokens kept per input (truncation drops from the left)',
    truncation_side: 'left | right',
    padding_side: 'left | right (default: the tokenizer config, else right)',
    add_special_tokens: "true | false (default: false for 'chat', true otherwise)",
    tokenization: TOKENIZATION_OPTION,
    label: 'reward column: index, label name, or <good>-<bad>',
    batch_size: 'sequences per session.run',
    max_batch_tokens: 'padded tokens per session.run (default 1024 on cpu, 65536 on cuda)',
    device: 'cpu | cuda',
    threads: 'intra-op threads (default: one per core)',
    inter_threads: 'inter-op threads (with execution_mode=parallel)',
    graph_optimization: 'disabled | basic | extended | all (default all)',
    arena: 'true | false: the CPU memory arena (default true; false lowers peak memory)',
    execution_mode: 'sequential | parallel (default sequential)',
    tokenize_threads: '1: two chunks in flight, one tokenised while the other runs (default); 0: one chunk at a time',
    file: 'the .onnx file inside the folder',
    judge: 'true: a causal LM run as an LLM judge on reward suites (verdict labels scored by log p)',
  },
  async create(target, options, ctx) {
    if (!target) throw new RmbenchError('E_MODEL_SPEC', `onnx: needs a folder, e.g. onnx:./fixtures/quickstart-rm.`)
    const folder = loadModelFolder(resolve(ctx.cwd, target), { file: options.file === undefined ? undefined : String(options.file) })
    const device = choiceOption(options, 'device', DEVICES, 'cpu')
    const settings = sessionSettings(options)
    const weights = await Promise.all([folder.modelFile, ...folder.externalData].map((f) => hashFileMemo(f, ctx.memo)))
    const open = () => openSession(folder.modelFile, device, settings, ctx.warn)
    // The session's facts and the padding probe depend on the graph, the tokenizer, the options and onnxruntime.
    const tokenizerHash = await hashFileMemo(folder.tokenizerFile, ctx.memo)
    const factsKey = sha256(stableStringify({ weights, tokenizer: tokenizerHash, configs: [folder.tokenizerConfig, folder.config, folder.chatTemplate], options, device, ort: packageVersion('onnxruntime-node') }))
    const known = ctx.memo?.recall<KnownSession>('onnx-sessions', factsKey) ?? null
    let session: OrtSession | null = known ? null : await open()
    const facts: SessionFacts = session ?? known!
    checkInputs(facts.inputs, folder.modelFile)
    // Without a chat template, models that take token_type_ids were trained on text pairs (BERT/DeBERTa RMs).
    const chosenTemplate = options.template !== undefined ? String(options.template)
      : folder.chatTemplate ? 'chat' : facts.inputs.some((i) => i.name === 'token_type_ids') ? 'pair' : 'raw'
    const tc = folder.tokenizerConfig
    const enc = new RequestEncoder(folder, {
      template: chosenTemplate,
      maxLength: intOption(options, 'max_length', defaultMaxLength(folder)),
      truncationSide: choiceOption(options, 'truncation_side', ['left', 'right'] as const, 'left'),
      addSpecialTokens: boolOption(options, 'add_special_tokens', chosenTemplate !== 'chat')!,
      tokenization: choiceOption(options, 'tokenization', ['tokenizer.json', 'transformers5'] as const, 'tokenizer.json'),
    }, tokenizerHash)
    const paddingSide = choiceOption(options, 'padding_side', ['left', 'right'] as const, tc.padding_side === 'left' ? 'left' : 'right')
    // Looked up on the first batch: finding the pad token needs the tokenizer, which a cached run never builds.
    let padId: number | undefined
    const padIdOf = () => (padId ??= tokenId(folder, enc, 'pad_token') ?? (Number.isInteger(folder.config.pad_token_id) ? Number(folder.config.pad_token_id) : undefined)
      ?? (folder.tokenizerJson.padding as { pad_id?: number } | null)?.pad_id ?? 0)
    const out = facts.outputs.find((o) => o.name === 'logits') ?? facts.outputs[0]
    // Per-token logits [batch, seq, vocab] mean a causal LM: it scores log-likelihoods, not rewards.
    const lm = out.shape.length === 3
    const width = typeof out.shape[1] === 'number' ? out.shape[1] : Number(folder.config.num_labels ?? Object.keys((folder.config.id2label as object) ?? {}).length) || 1
    const head = lm ? null : rewardHead(width, (folder.config.id2label as Record<string, string>) ?? {}, options.label === undefined ? undefined : String(options.label))
    const vocab = typeof out.shape[2] === 'number' ? out.shape[2] : (folder.vocabSize ?? 32000)
    // The tokenizer library is part of the fingerprint: scores cached from another implementation's ids are not reused.
    const fingerprintSettings = { ...enc.settings, head: head?.describe ?? 'logprob', device: facts.executionProvider, tokenizerLibrary: TOKENIZER_LIBRARY }
    const batchSize = intOption(options, 'batch_size', 16)
    // Blocks of requests are tokenised ahead (prepare) either way; two chunks in flight let a chunk that was not
    // prepared be tokenised beside a running one (2 cores, 1,000 tiny-model pairs: 996–1,031 ms against 973–1,090).
    const tokenizeThreads = Number(choiceOption(options, 'tokenize_threads', ['0', '1'] as const, '1'))
    // An LM's logits are batch × seq × vocab floats: keep one call's logits near 256 MB.
    const maxBatchTokens = intOption(options, 'max_batch_tokens', lm ? Math.max(64, Math.floor(2 ** 26 / vocab)) : DEFAULT_BATCH_TOKENS[facts.executionProvider])
    const info = {
      runner: 'onnx',
      modelFile: folder.modelFile,
      modelHash: weights[0].slice(0, 16),
      tokenizerHash: enc.tokenizerHash,
      tokenizerLibrary: TOKENIZER_LIBRARY,
      tokenization: enc.settings.tokenization ?? 'tokenizer.json',
      template: chosenTemplate,
      templateHash: enc.templateHash,
      maxLength: enc.settings.maxLength,
      truncationSide: enc.settings.truncationSide,
      addSpecialTokens: enc.settings.addSpecialTokens,
      paddingSide: lm ? 'right' : paddingSide,
      reward: head?.describe ?? 'Σ log p(response tokens | prompt)',
      executionProvider: facts.executionProvider,
      // Session options change speed and memory, not scores (beyond float rounding): recorded, not fingerprinted.
      threads: settings.threads ?? 'default',
      graphOptimization: settings.graphOptimization,
      memoryArena: settings.arena,
      executionMode: settings.executionMode,
      batchSize,
      maxBatchTokens,
      tokenizeThreads,
    }
    const runner = new OnnxRunner(
      basename(folder.dir),
      hashOf({ runner: 'onnx', weights, tokenizer: enc.tokenizerHash, template: enc.templateHash, settings: fingerprintSettings }),
      info,
      batchSize,
      facts,
      async () => session ?? (session = await open()),
      folder, enc, head, padIdOf, paddingSide,
      maxBatchTokens,
      tokenizeThreads,
    )
    // Scoring a label's log p is what the LM does either way: judge mode changes the task, not the fingerprint.
    if (boolOption(options, 'judge', false)) {
      if (!lm) throw new RmbenchError('E_MODEL_SPEC', `onnx:${target}?judge=true: ${basename(folder.dir)} is a sequence classifier (a reward model); an LLM judge is a causal LM whose verdict labels are scored by log p.`, { option: 'judge' })
      runner.markJudge()
      Object.assign(info, { judge: 'label log-probs' })
    }
    if (known) {
      for (const w of known.warnings) ctx.warn(w)
      if (known.paddingSide) runner.usePaddingSide(known.paddingSide)
      if (!lm) Object.assign(info, { paddingSide: runner.currentPaddingSide, paddingCheck: known.paddingCheck ?? null })
      return runner
    }
    const warnings: string[] = []
    const keep = (w: string) => { warnings.push(w); ctx.warn(w) }
    const paddingCheck = lm ? undefined : await runner.checkPadding(keep)
    if (!lm) Object.assign(info, { paddingSide: runner.currentPaddingSide, paddingCheck })
    // A CUDA fallback is not remembered: the next run tries the GPU again.
    if (facts.executionProvider === device)
      ctx.memo?.remember('onnx-sessions', factsKey, { executionProvider: facts.executionProvider, inputs: facts.inputs, outputs: facts.outputs, paddingSide: lm ? undefined : runner.currentPaddingSide, paddingCheck, warnings } satisfies KnownSession)
    return runner
  },
}
