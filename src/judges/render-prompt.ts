import type { Message } from '../data/types.ts'

/** The conversation before the answer, as text for the judge (one turn: the question itself). */
export function questionText(prompt: Message[]): string {
  return prompt.length === 1 ? prompt[0].content : prompt.map((m) => `${m.role}: ${m.content}`).join('\n')
}

/** Fills a template's placeholders in one pass, so a response containing "{answer_b}" is never itself replaced. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? values[k] : m))
}

/** A pairwise judge prompt: the question, then `first` shown as A and `second` as B. */
export function pairPrompt(template: string, prompt: Message[], first: string, second: string): Message[] {
  return [{ role: 'user', content: fillTemplate(template, { question: questionText(prompt), answer_a: first, answer_b: second }) }]
}

/** A rating prompt for one response on the scale [min, max]. */
export function ratingPrompt(template: string, prompt: Message[], answer: string, [min, max]: [number, number]): Message[] {
  return [{ role: 'user', content: fillTemplate(template, { question: questionText(prompt), answer, min: String(min), max: String(max) }) }]
}
