import { RmbenchError } from '../errors.ts'
import { didYouMean } from '../util/did-you-mean.ts'
import { Registry } from '../util/registry.ts'
import { lengthBaseline } from './baseline/length.ts'
import { randomBaseline } from './baseline/random.ts'
import { hubRunner } from './hub/hub-runner.ts'
import { onnxRunner } from './onnx/onnx-runner.ts'
import { precomputedRunner } from './precomputed/precomputed-runner.ts'
import { openAiRunner, vllmRunner } from './http/served-runner.ts'
import { teiRunner } from './http/tei-runner.ts'
import { verdictLogRunner } from './verdicts/verdict-log-runner.ts'
import type { Runner, RunnerContext, RunnerFactory, RunnerOptions } from './types.ts'

/** Runner factories by spec prefix (`onnx`, `baseline:length`, ...). */
export const runners = new Registry<RunnerFactory>('runner')
for (const f of [onnxRunner, vllmRunner, openAiRunner, teiRunner, hubRunner, precomputedRunner, verdictLogRunner, lengthBaseline, randomBaseline]) runners.register(f.name, f)

/** A parsed model spec: `kind:target?key=value&...`. */
export interface ModelSpec { kind: string; target: string; options: RunnerOptions; text: string }

/** Parses `onnx:./dir?max_length=512`, `baseline:length?unit=words`, `baseline:random`. */
export function parseModelSpec(text: string): ModelSpec {
  const q = text.indexOf('?')
  const head = q >= 0 ? text.slice(0, q) : text
  const query = q >= 0 ? text.slice(q + 1) : ''
  const options: RunnerOptions = {}
  for (const part of query.split('&').filter(Boolean)) {
    const eq = part.indexOf('=')
    if (eq <= 0) throw new RmbenchError('E_MODEL_SPEC', `model spec '${text}': option '${part}' must be key=value.`)
    options[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1))
  }
  // baseline:length has no target; onnx:./dir has one. Longest registered prefix wins.
  const kind = runners.names().filter((n) => head === n || head.startsWith(n + ':')).sort((a, b) => b.length - a.length)[0]
  if (!kind) {
    const prefix = head.includes(':') ? head.slice(0, head.indexOf(':')) : head
    const guess = didYouMean(head.startsWith('baseline:') ? head : prefix, runners.names())
    throw new RmbenchError('E_UNKNOWN_NAME', `unknown runner in model spec '${text}'.${guess} Valid: ${runners.names().join(', ')} (e.g. onnx:./fixtures/quickstart-rm, baseline:length).`, { spec: text })
  }
  return { kind, target: head === kind ? '' : head.slice(kind.length + 1), options, text }
}

/** Creates the runner a spec names, checking its options against what the runner accepts. */
export async function createRunner(spec: ModelSpec, ctx: RunnerContext): Promise<Runner> {
  const factory = runners.get(spec.kind)
  const valid = Object.keys(factory.options)
  for (const k of Object.keys(spec.options))
    if (!valid.includes(k))
      throw new RmbenchError('E_MODEL_SPEC', `model spec '${spec.text}': unknown option '${k}' for ${spec.kind}.${didYouMean(k, valid)} Valid: ${valid.join(', ')}.`, { option: k })
  return factory.create(spec.target, spec.options, ctx)
}
