import { relative } from 'node:path'
import { RmbenchError } from '../errors.ts'
import { BUNDLED_MODELS, bundledModel } from '../util/bundled.ts'
import { didYouMean } from '../util/did-you-mean.ts'
import type { ResolvedConfig } from '../config/types.ts'
import { createRunner, parseModelSpec, runners, type ModelSpec } from '../runners/registry.ts'
import { expressionRunner, lmSetRunner } from '../runners/expression/expression-runner.ts'
import type { Runner, RunnerOptions } from '../runners/types.ts'
import type { Hub } from '../hub/hub-client.ts'
import type { Memo } from '../util/memo.ts'

/** LMs and constants for an `expr:` model given on the command line, and the hub client for hf: models. */
export interface ExpressionFlags { lms?: string[]; beta?: number; hub?: () => Hub; memo?: Memo }

/** `--lm name=spec` flags as a name → spec map. */
function parseLmFlags(items: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of items) {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new RmbenchError('E_USAGE', `--lm ${item}: expected name=<model spec or config name>, e.g. --lm ref=onnx:./ref.`)
    out[item.slice(0, eq)] = item.slice(eq + 1)
  }
  return out
}

async function resolveExpression(reward: string, lms: Record<string, string>, beta: number | undefined, flags: RunnerOptions, config: ResolvedConfig, warn: (m: string) => void, cwd: string, shared: Pick<ExpressionFlags, 'hub' | 'memo'>): Promise<Runner> {
  const runners: Record<string, Runner> = {}
  for (const [name, spec] of Object.entries(lms)) runners[name] = (await resolveModel(spec, flags, config, warn, cwd, { hub: shared.hub, memo: shared.memo })).runner
  return expressionRunner({ reward, lms: runners, constants: beta === undefined ? {} : { beta } })
}

/**
 * A --model that names no config entry nor bundled model: a spec, or an error listing every kind of thing --model
 * can be (spec kinds, expr:, the config's names, the bundled models), so a typo of any of them is caught.
 */
function parseUnnamed(name: string, config: ResolvedConfig): ModelSpec {
  try {
    return parseModelSpec(name)
  } catch (e) {
    if (!(e instanceof RmbenchError) || e.code !== 'E_UNKNOWN_NAME') throw e
    const names = Object.keys(config.models)
    const kind = name.startsWith('baseline:') ? name : name.slice(0, name.indexOf(':'))
    const guess = name.includes(':') ? didYouMean(kind, runners.names()) : didYouMean(name, [...names, ...BUNDLED_MODELS])
    const where = config.file ? `${relative(process.cwd(), config.file) || config.file} names: ${names.length ? names.join(', ') : '(no models)'}` : 'no bench.config.ts here'
    throw new RmbenchError('E_UNKNOWN_NAME', `--model '${name}' is not a model spec, a name from bench.config.ts (${where}) or a bundled model.${guess} Specs: ${runners.names().map((n) => (n.includes(':') ? n : `${n}:`)).join(', ')} and expr:<expression>, e.g. onnx:./my-rm or vllm:http://host:8000; bundled models: ${BUNDLED_MODELS.join(', ')}. See rmbench run --help.`, { spec: name })
  }
}

/** Resolves --model (a bench.config name, a spec, or expr:<expression>) plus CLI option flags into a live runner. */
export async function resolveModel(arg: string | undefined, flags: RunnerOptions, config: ResolvedConfig, warn: (m: string) => void, cwd: string, expr: ExpressionFlags = {}): Promise<{ runner: Runner; spec: string }> {
  const name = arg ?? config.defaultModel
  if (!name) throw new RmbenchError('E_USAGE', `no model: pass --model <spec> (e.g. --model onnx:./my-rm, or --model quickstart-rm, the bundled reward model; rmbench run --help lists them), or set defaultModel in bench.config.ts.`)
  const named = parseLmFlags(expr.lms ?? [])
  if (name.startsWith('expr:')) return { runner: await resolveExpression(name.slice(5), named, expr.beta, flags, config, warn, cwd, expr), spec: name }
  if (expr.lms?.length) {
    // --model <policy> --lm ref=<spec>: the model is the policy LM, the others join it by name.
    const lms: Record<string, Runner> = { policy: (await resolveModel(name, flags, config, warn, cwd, { hub: expr.hub, memo: expr.memo })).runner }
    for (const [lm, spec] of Object.entries(named)) lms[lm] = (await resolveModel(spec, flags, config, warn, cwd, { hub: expr.hub, memo: expr.memo })).runner
    return { runner: lmSetRunner(lms), spec: `${name} + ${expr.lms.join(' ')}` }
  }
  const entry = config.models[name]
  if (entry !== undefined && typeof entry === 'object' && 'reward' in entry)
    return { runner: await resolveExpression(entry.reward, entry.lms, entry.beta, flags, config, warn, config.root, expr), spec: `${name} (${entry.reward})` }
  const bundled = entry === undefined ? bundledModel(name) : null
  const text = bundled ? `onnx:${bundled}` : entry === undefined ? name : typeof entry === 'string' ? entry : entry.spec
  const base: RunnerOptions = entry !== undefined && typeof entry === 'object' ? { ...entry.options } : {}
  if (entry !== undefined && typeof entry === 'object' && 'spec' in entry) {
    if (entry.endpoints?.length) base.endpoints = entry.endpoints.join(',')
    if (entry.apiKeyEnv) base.api_key_env = entry.apiKeyEnv
  }
  const spec = entry === undefined && !bundled ? parseUnnamed(name, config) : parseModelSpec(text)
  const accepted = Object.keys(runners.get(spec.kind).options)
  const fromConfig: RunnerOptions = accepted.includes('device') ? { device: config.device } : {}
  const merged: RunnerOptions = { ...fromConfig, ...base, ...spec.options, ...flags }
  // --endpoint adds replicas to those the spec and the config name.
  const endpoints = [base.endpoints, spec.options.endpoints, flags.endpoints].filter((e) => e !== undefined).join(',')
  if (endpoints) merged.endpoints = endpoints
  spec.options = merged
  const runner = await createRunner(spec, { warn, cwd: entry === undefined ? cwd : config.root, hub: expr.hub, memo: expr.memo })
  return { runner, spec: entry === undefined && !bundled ? text : `${name} (${text})` }
}
