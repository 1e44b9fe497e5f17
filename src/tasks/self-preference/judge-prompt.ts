import type { Example, Message } from '../../data/types.ts'
import { bundledTemplateText } from '../../judges/judge-templates.ts'
import { pairPrompt, ratingPrompt } from '../../judges/render-prompt.ts'
import type { JudgeSpec } from '../../suite/types.ts'

/** The judge prompt for one presentation order of a pairwise item (BA shows B first). */
export function pairwisePrompt(spec: JudgeSpec | undefined, ex: Example, order: 'AB' | 'BA'): Message[] {
  const [first, second] = order === 'AB' ? [ex.chosen[0], ex.rejected[0]] : [ex.rejected[0], ex.chosen[0]]
  return pairPrompt(spec?.template ?? bundledTemplateText(spec?.prompt ?? 'letter'), ex.prompt, first, second)
}

/** The judge prompt for a pointwise item. */
export function pointwisePrompt(spec: JudgeSpec | undefined, ex: Example): Message[] {
  return ratingPrompt(spec?.template ?? bundledTemplateText(spec?.prompt ?? 'number'), ex.prompt, ex.chosen[0], spec?.scale ?? [1, 10])
}
