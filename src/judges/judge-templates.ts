import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Registry } from '../util/registry.ts'

/** Where the bundled prompts live (templates/<name>.txt beside this module, in src/ and in dist/). */
const TEMPLATE_DIR = fileURLToPath(new URL('./templates/', import.meta.url))

/** A bundled judge prompt: its placeholders' kind, how its answers are read, and how long an answer may run. */
export interface JudgeTemplate {
  name: string
  kind: 'pairwise' | 'rating'
  /** The verdict rule (verdict-rules.ts) that reads the judge's answer. */
  parse: string
  /** What a label log-prob judge (a local LM, a server's top log-probs) scores as "A wins" / "B wins". */
  labels?: [string, string]
  /** Tokens a served judge may generate: 1 asks for the verdict token's top log-probs instead of text. */
  maxTokens: number
  /** Whose prompt it follows, for the docs. */
  describe: string
}

/** The prompts users compare judges with; each file says in its own words what the named judge setup asks. */
const BUNDLED: JudgeTemplate[] = [
  { name: 'letter', kind: 'pairwise', parse: 'letter', labels: ['A', 'B'], maxTokens: 1, describe: 'MT-Bench\'s instruction, shortened to a one-letter answer (A or B): the verdict is the next token' },
  { name: 'mt-bench', kind: 'pairwise', parse: 'mt-bench', labels: ['[[A]]', '[[B]]'], maxTokens: 2048, describe: 'the MT-Bench / RewardBench pairwise prompt: an explanation, then [[A]], [[B]] or [[C]] (tie)' },
  { name: 'arena-hard', kind: 'pairwise', parse: 'arena-hard', labels: ['[[A>B]]', '[[B>A]]'], maxTokens: 4096, describe: 'the Arena-Hard prompt (JudgeBench\'s arena_hard judge): own answer first, then [[A>>B]] … [[B>>A]]' },
  { name: 'ab', kind: 'pairwise', parse: 'ab', labels: ['Output (a)', 'Output (b)'], maxTokens: 16, describe: 'a plain "Output (a) or Output (b)" prompt (LLMBar; JudgeBench\'s vanilla judge)' },
  { name: 'rating', kind: 'rating', parse: 'rating', maxTokens: 1024, describe: 'a 1–10 rating with an explanation, "Rating: [[n]]" (MT-Bench single-answer grading; RewardBench 2\'s rating mode)' },
  { name: 'number', kind: 'rating', parse: 'number', maxTokens: 1, describe: 'a rating answered as a single number: the next token' },
]

/** Bundled judge prompts by name (judge.prompt). */
export const judgeTemplates = new Registry<JudgeTemplate>('judge prompt')
for (const t of BUNDLED) judgeTemplates.register(t.name, t)

const texts = new Map<string, string>()

/** A bundled prompt's text (read once; the file ends with one newline, which is not part of the prompt). */
export function bundledTemplateText(name: string): string {
  let t = texts.get(name)
  if (t === undefined) {
    t = readFileSync(`${TEMPLATE_DIR}${judgeTemplates.get(name).name}.txt`, 'utf8').replace(/\n$/, '')
    texts.set(name, t)
  }
  return t
}
