import type { RunResult } from './types.ts'

/** One line on how an LLM judge was asked and read (reports' provenance), or null when the model is no judge. */
export function judgeLine(r: RunResult): string | null {
  const j = r.provenance.judge
  if (!j) return null
  const how = j.mode === 'rating' ? `each completion rated alone (${j.scale?.join('–')})` : j.orders ? `${j.orders.join(' + ')} orders${j.combine ? `, combined by ${j.combine}` : ''}` : ''
  const unread = j.unparseable ? `, unreadable verdicts ${j.unparseable === 'wrong' ? 'count as wrong' : 'leave their pair out'}` : ''
  const usage = j.usage ? `; tokens ${Object.entries(j.usage).map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ')}` : ''
  return `LLM judge (generative): prompt ${j.prompt} (hash ${j.promptHash}), verdicts read by rule ${j.parse}${how ? `, ${how}` : ''}${unread}${usage}`
}

/** What the worst-examples table ranks by, in words: a judge's pair credit, or a reward margin. */
export function worstIntro(r: RunResult): string {
  return r.provenance.judge && r.provenance.judge.mode === 'pairwise'
    ? "Pairs the judge did worst on first (margin: the pair's credit − ½; −0.5 is wrong in every order)."
    : 'Most negative reward margin (chosen − rejected) first.'
}
