// Worker-thread entry: tokenises requests with its own RequestEncoder (built from the same folder and settings
// as the main thread's) and posts the ids back. A failed job posts its message; the main thread then tokenises
// those requests itself, so the error it raises is the usual coded one.
import { parentPort, workerData } from 'node:worker_threads'
import type { RewardRequest } from '../types.ts'
import { loadModelFolder } from './model-folder.ts'
import { RequestEncoder, type EncoderSettings } from './request-encoder.ts'

/**
 * What the worker is started with: the model folder and graph (which locate the tokenizer files), the encoder's
 * settings, and the tokenizer's hash, which the main thread already has (so the thread does not read and hash
 * tokenizer.json again).
 */
export interface EncodeWorkerData { dir: string; modelFile: string; settings: EncoderSettings; tokenizerHash: string }
/** One job: requests to encode for a reward (`encode`) or a log-likelihood (`encodeLm`). */
export interface EncodeJob { id: number; kind: 'reward' | 'lm'; requests: RewardRequest[] }

const port = parentPort!
try {
  const { dir, modelFile, settings, tokenizerHash } = workerData as EncodeWorkerData
  const enc = new RequestEncoder(loadModelFolder(dir, { file: modelFile }), settings, tokenizerHash)
  port.on('message', (job: EncodeJob) => {
    try {
      const encoded = job.kind === 'lm' ? job.requests.map((r) => enc.encodeLm(r)) : job.requests.map((r) => enc.encode(r))
      port.postMessage({ id: job.id, encoded })
    } catch (e) {
      port.postMessage({ id: job.id, error: (e as Error).message })
    }
  })
  port.postMessage({ ready: true })
} catch (e) {
  port.postMessage({ failed: (e as Error).message })
}
