import type { Example, Message } from '../../data/types.ts'
import type { JudgeSpec } from '../../suite/types.ts'

/** MT-Bench's pairwise judge instruction, shortened: the verdict is the next token after the prompt. */
export const DEFAULT_PAIRWISE_TEMPLATE = `Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question below. Choose the assistant that follows the user's instructions and answers the question better. Do not let the order of the responses, their length or the assistants' names influence you.

[User Question]
{question}

[The Start of Assistant A's Answer]
{answer_a}
[The End of Assistant A's Answer]

[The Start of Assistant B's Answer]
{answer_b}
[The End of Assistant B's Answer]

Answer with a single letter, A or B.`

/** A pointwise rating instruction: the rating is the next token. */
export const DEFAULT_POINTWISE_TEMPLATE = `Please act as an impartial judge and rate the quality of the AI assistant's response to the user question below on a scale of {min} to {max}.

[User Question]
{question}

[The Start of Assistant's Answer]
{answer}
[The End of Assistant's Answer]

Answer with a single number.`

/** The conversation before the answer, as text for the judge (one turn: the question itself). */
export function questionText(prompt: Message[]): string {
  return prompt.length === 1 ? prompt[0].content : prompt.map((m) => `${m.role}: ${m.content}`).join('\n')
}

/** Fills a template's placeholders in one pass, so a response containing "{answer_b}" is never itself replaced. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? values[k] : m))
}

/** The judge prompt for one presentation order of a pairwise item (BA shows B first). */
export function pairwisePrompt(spec: JudgeSpec | undefined, ex: Example, order: 'AB' | 'BA'): Message[] {
  const [first, second] = order === 'AB' ? [ex.chosen[0], ex.rejected[0]] : [ex.rejected[0], ex.chosen[0]]
  return [{ role: 'user', content: fillTemplate(spec?.template ?? DEFAULT_PAIRWISE_TEMPLATE, { question: questionText(ex.prompt), answer_a: first, answer_b: second }) }]
}

/** The judge prompt for a pointwise item. */
export function pointwisePrompt(spec: JudgeSpec | undefined, ex: Example): Message[] {
  const [min, max] = spec?.scale ?? [1, 10]
  return [{ role: 'user', content: fillTemplate(spec?.template ?? DEFAULT_POINTWISE_TEMPLATE, { question: questionText(ex.prompt), answer: ex.chosen[0], min: String(min), max: String(max) }) }]
}
