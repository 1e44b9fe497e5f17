import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { RewardRequest } from '../types.ts'
import type { EncodeJob, EncodeWorkerData } from './encode-worker.ts'
import type { Encoded, EncodedLm } from './request-encoder.ts'

type Reply = { id: number; encoded?: Encoded[]; error?: string }

/**
 * The worker's code: the compiled module beside this one (dist/), else, from the sources, the TypeScript entry
 * bundled now by esbuild (~50 ms, while the run goes on), every package inlined, so the thread needs no TypeScript
 * loader (Node 20 cannot give a worker tsx's ESM hooks).
 */
function workerScript(): Promise<{ file: URL } | { code: string }> {
  return (script ??= findOrBuild())
}
let script: Promise<{ file: URL } | { code: string }> | null = null

async function findOrBuild(): Promise<{ file: URL } | { code: string }> {
  const built = new URL('./encode-worker.js', import.meta.url)
  if (existsSync(fileURLToPath(built))) return { file: built }
  const esbuild = await import('esbuild')
  const entry = fileURLToPath(new URL('./encode-worker.ts', import.meta.url))
  const out = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' })
  return { code: out.outputFiles[0].text }
}

/**
 * Tokenisation on a worker thread. onnxruntime-node's session.run holds the main thread, so a chunk tokenised
 * here, while the previous chunk runs, costs the run no time. It is only a speed-up: until the thread has loaded
 * its tokenizer (`ready`), or if it could not, callers tokenise on the main thread themselves; a job the thread
 * rejects is tokenised again on the main thread, so a bad input fails there with its usual coded error.
 */
export class EncodeThread {
  private readonly worker: Promise<Worker | null>
  private readonly pending = new Map<number, { resolve: (e: Encoded[]) => void; reject: (e: Error) => void }>()
  private next = 0
  private state: 'starting' | 'ready' | 'failed' | 'closed' = 'starting'

  constructor(data: EncodeWorkerData) {
    this.worker = workerScript().then((script) => {
      if (this.state === 'closed') return null
      const w = 'file' in script ? new Worker(script.file, { workerData: data }) : new Worker(script.code, { eval: true, workerData: data })
      w.on('message', (m: Reply & { ready?: boolean; failed?: string }) => {
        if (m.ready) this.state = this.state === 'starting' ? 'ready' : this.state
        else if (m.failed !== undefined) this.fail()
        else this.settle(m)
      })
      w.on('error', () => this.fail())
      w.on('exit', () => this.fail())
      // Held only while a job is out (see encode): an idle tokenizer thread never keeps the process alive.
      // After the listeners, which would ref it again.
      w.unref()
      return w
    }, () => {
      this.fail()
      return null
    })
  }

  /** Whether jobs can be sent now. */
  get ready(): boolean {
    return this.state === 'ready'
  }

  private settle(m: Reply): void {
    const p = this.pending.get(m.id)
    if (!p) return
    this.pending.delete(m.id)
    if (!this.pending.size) void this.worker.then((w) => w?.unref())
    if (m.error !== undefined) p.reject(new Error(m.error))
    else p.resolve(m.encoded!)
  }

  /** A dead thread fails what it held; its callers tokenise those requests on the main thread again. */
  private fail(): void {
    if (this.state !== 'closed') this.state = 'failed'
    for (const p of this.pending.values()) p.reject(new Error('tokenizer thread stopped'))
    this.pending.clear()
  }

  /** Encodes requests on the thread, in the order sent. */
  encode(requests: RewardRequest[], kind: 'reward'): Promise<Encoded[]>
  encode(requests: RewardRequest[], kind: 'lm'): Promise<EncodedLm[]>
  encode(requests: RewardRequest[], kind: EncodeJob['kind']): Promise<Encoded[]> {
    const id = this.next++
    if (this.state !== 'ready') return Promise.reject(new Error(`tokenizer thread is ${this.state}`))
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      void this.worker.then((w) => {
        w!.ref() // a caller awaits this job: the process must wait for the thread
        w!.postMessage({ id, kind, requests } satisfies EncodeJob)
      })
    })
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    this.state = 'closed'
    await (await this.worker)?.terminate()
  }
}
