import type { InferenceSession } from 'onnxruntime-node'
import { RmbenchError } from '../../errors.ts'

/** Execution providers rmbench can ask onnxruntime-node for. */
export const DEVICES = ['cpu', 'cuda'] as const
/** A device choice (`--device`). */
export type Device = (typeof DEVICES)[number]

/** Input or output metadata as onnxruntime reports it. */
export interface ValueMeta { name: string; type: string; shape: (number | string)[] }

/** What a session is, apart from the session itself: enough to plan and fingerprint a run without opening it. */
export interface SessionFacts {
  /** The execution provider that actually runs ("cpu" after a CUDA fallback). */
  executionProvider: Device
  inputs: ValueMeta[]
  outputs: ValueMeta[]
}

/** An open session and what it is. */
export interface OrtSession extends SessionFacts {
  session: InferenceSession
}

/** Graph optimisation levels onnxruntime offers (`graph_optimization`). */
export const GRAPH_OPTIMIZATIONS = ['disabled', 'basic', 'extended', 'all'] as const

/** Session options a user may set (model spec `?threads=4&graph_optimization=extended&arena=false`); all are recorded. */
export interface SessionSettings {
  /** Intra-op threads (default: onnxruntime's, one per physical core). */
  threads?: number
  /** Inter-op threads, used by execution_mode=parallel. */
  interThreads?: number
  graphOptimization: (typeof GRAPH_OPTIMIZATIONS)[number]
  /** onnxruntime's CPU memory arena: faster reuse, but it keeps the peak it reached. */
  arena: boolean
  executionMode: 'sequential' | 'parallel'
}

/**
 * onnxruntime 1.29+ on Linux and macOS starts a telemetry uploader when its native library loads (a device id and
 * an event store under ~/.cache/Microsoft/DeveloperTools/.onnxruntime, uploads to Microsoft's collector), unless
 * the environment says no before that moment; its JavaScript API has no switch. rmbench says no, for its own
 * process, unless the user set the variable themselves. ORT_TELEMETRY_DISABLED is the name in onnxruntime's later
 * sources (core/platform/telemetry_environment.h); 1.30's binary reads ORT_DISABLE_TELEMETRY.
 */
export function disableOrtTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  env.ORT_DISABLE_TELEMETRY ??= '1'
  env.ORT_TELEMETRY_DISABLED ??= '1'
}

/** The onnxruntime-node module, imported only when an ONNX model is used (it is heavy and native). */
export async function ort(): Promise<typeof import('onnxruntime-node')> {
  disableOrtTelemetry()
  try {
    return await import('onnxruntime-node')
  } catch (e) {
    throw new RmbenchError('E_MODEL_LOAD', `onnxruntime-node failed to load (${(e as Error).message}). Reinstall with ONNXRUNTIME_NODE_INSTALL=skip npm ci.`)
  }
}

function metaOf(list: readonly unknown[] | undefined, names: readonly string[]): ValueMeta[] {
  return names.map((name, i) => {
    const m = (list?.[i] ?? {}) as { type?: string; shape?: (number | string)[] }
    return { name, type: m.type ?? 'unknown', shape: m.shape ?? [] }
  })
}

/** Opens a session on `device`; if CUDA cannot load, warns and falls back to CPU, recording which ran. */
export async function openSession(modelFile: string, device: Device, settings: SessionSettings, warn: (m: string) => void): Promise<OrtSession> {
  const lib = await ort()
  const { InferenceSession } = lib
  // A failed CUDA provider load logs an error line from native code; our warning says it once, in words.
  if (device === 'cuda') lib.env.logLevel = 'fatal'
  const create = (ep: Device) =>
    InferenceSession.create(modelFile, {
      executionProviders: [ep],
      graphOptimizationLevel: settings.graphOptimization,
      enableCpuMemArena: settings.arena,
      executionMode: settings.executionMode,
      // A failed CUDA load is reported once, by our warning; keep onnxruntime's own log off stderr.
      logSeverityLevel: ep === 'cuda' ? 4 : 3,
      ...(settings.threads ? { intraOpNumThreads: settings.threads } : {}),
      ...(settings.interThreads ? { interOpNumThreads: settings.interThreads } : {}),
    })
  let session: InferenceSession
  let executionProvider = device
  try {
    session = await create(device)
  } catch (e) {
    if (device !== 'cuda') throw new RmbenchError('E_MODEL_LOAD', `${modelFile}: onnxruntime cannot load the model (${(e as Error).message.split('\n')[0]}). Is it a complete ONNX export?`, { file: modelFile })
    warn(`CUDA execution provider unavailable (${(e as Error).message.split('\n')[0]}); falling back to cpu. Install onnxruntime-node's CUDA binaries (npm install without ONNXRUNTIME_NODE_INSTALL=skip, on a machine with CUDA 12) to use the GPU.`)
    executionProvider = 'cpu'
    try {
      session = await create('cpu')
    } catch (e2) {
      throw new RmbenchError('E_MODEL_LOAD', `${modelFile}: onnxruntime cannot load the model (${(e2 as Error).message.split('\n')[0]}).`, { file: modelFile })
    }
  }
  const s = session as InferenceSession & { inputMetadata?: readonly unknown[]; outputMetadata?: readonly unknown[] }
  return { session, executionProvider, inputs: metaOf(s.inputMetadata, s.inputNames), outputs: metaOf(s.outputMetadata, s.outputNames) }
}
