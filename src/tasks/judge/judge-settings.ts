import { RmbenchError } from '../../errors.ts'
import type { VerdictAsk } from '../../data/types.ts'
import { bundledTemplateText, judgeTemplates } from '../../judges/judge-templates.ts'
import { verdictRules, type VerdictRule } from '../../judges/verdict-rules.ts'
import type { SuiteSpec } from '../../suite/types.ts'
import { sha256 } from '../../util/hash.ts'

/** How an LLM judge is asked and read on a reward suite, with every default applied. */
export interface JudgeSettings {
  /** The bundled prompt's name, the prompt file as the suite gives it, or 'inline'. */
  prompt: string
  text: string
  /** sha256 of the prompt text and the rule that reads it (provenance; a changed prompt is another judge setup). */
  promptHash: string
  rule: VerdictRule
  labels: [string, string]
  scale: [number, number]
  orders: ('AB' | 'BA')[]
  combine: 'mean' | 'vote'
  unparseable: 'wrong' | 'exclude'
  /** What a text-answering judge is told with each request. */
  ask: VerdictAsk
}

/** The judge settings of a suite for verdicts of one kind (pairwise verdicts, or ratings of single responses). */
export function judgeSettings(suite: SuiteSpec, kind: 'pairwise' | 'rating'): JudgeSettings {
  const j = suite.judge ?? {}
  const name = j.prompt ?? (kind === 'pairwise' ? 'letter' : 'rating')
  const bundled = judgeTemplates.has(name) ? judgeTemplates.get(name) : undefined
  if (bundled && bundled.kind !== kind && j.template === undefined)
    throw new RmbenchError('E_SUITE_SCHEMA', `suite '${suite.name}': judge.prompt '${name}' asks for ${bundled.kind === 'rating' ? 'a rating of one response' : 'a verdict between two responses'}, but this task needs ${kind === 'rating' ? 'ratings (e.g. judge.prompt: rating)' : 'pairwise verdicts (e.g. judge.prompt: mt-bench)'}.`)
  // A prompt file (read into judge.template by load-suite) or inline text is read by judge.parse, else the one-token rule.
  const text = j.template ?? bundledTemplateText(bundled ? name : kind === 'pairwise' ? 'letter' : 'rating')
  // A prompt that never shows the responses would judge nothing: its placeholders must all be there.
  const needed = kind === 'pairwise' ? ['{question}', '{answer_a}', '{answer_b}'] : ['{question}', '{answer}']
  const missing = needed.filter((p) => !text.includes(p))
  if (missing.length)
    throw new RmbenchError('E_SUITE_SCHEMA', `suite '${suite.name}': the judge prompt (${j.prompt ?? 'judge.template'}) lacks ${missing.join(', ')}: a ${kind === 'pairwise' ? 'pairwise' : 'rating'} prompt shows ${needed.join(', ')}.`)
  const rule = verdictRules.get(j.parse ?? (bundled && j.template === undefined ? bundled.parse : kind === 'pairwise' ? 'letter' : 'number'), `suite '${suite.name}' judge.parse`)
  if (rule.kind !== kind)
    throw new RmbenchError('E_SUITE_SCHEMA', `suite '${suite.name}': judge.parse '${rule.name}' reads ${rule.kind === 'rating' ? 'ratings' : 'pairwise verdicts'}, but this task needs ${kind === 'rating' ? 'ratings' : 'pairwise verdicts'}.`)
  const labels = j.labels ?? (bundled?.labels && j.template === undefined ? bundled.labels : ['A', 'B'])
  const scale = j.scale ?? [1, 10]
  if (!(scale[1] > scale[0])) throw new RmbenchError('E_SUITE_SCHEMA', `suite '${suite.name}': judge.scale [${scale[0]}, ${scale[1]}] must go from low to high.`)
  const maxTokens = j.max_tokens ?? (bundled && j.template === undefined ? bundled.maxTokens : rule.name === 'letter' || rule.name === 'number' ? 1 : 1024)
  return {
    prompt: j.prompt ?? (j.template !== undefined ? 'inline' : name),
    text,
    promptHash: sha256(`${rule.name}\u0000${text}`).slice(0, 16),
    rule,
    labels,
    scale,
    orders: j.orders === 'AB' ? ['AB'] : ['AB', 'BA'],
    combine: j.combine ?? 'mean',
    unparseable: j.unparseable ?? 'wrong',
    ask: { parse: rule.name, maxTokens, labels, scale },
  }
}

const resolved = new WeakMap<SuiteSpec, Partial<Record<'pairwise' | 'rating', JudgeSettings>>>()

/** The suite's judge settings for verdicts of one kind, resolved once per suite (tasks ask for them per example). */
export function suiteJudge(suite: SuiteSpec, kind: 'pairwise' | 'rating'): JudgeSettings {
  let bySuite = resolved.get(suite)
  if (!bySuite) resolved.set(suite, (bySuite = {}))
  return (bySuite[kind] ??= judgeSettings(suite, kind))
}
