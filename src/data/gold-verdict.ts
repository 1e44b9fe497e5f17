/** One gold vote as P(A wins): A/B/tie in the spellings public judge data uses, a model name, or a probability. */
export function goldVote(v: unknown, models: [string, string]): number | undefined {
  if (typeof v === 'number') return v >= 0 && v <= 1 ? v : undefined
  if (typeof v === 'boolean') return undefined
  if (typeof v !== 'string') return undefined
  const s = v.trim().toLowerCase()
  if (['a', 'model_a', 'model a', '1', 'response_a', 'answer_a'].includes(s)) return 1
  if (['b', 'model_b', 'model b', '2', 'response_b', 'answer_b'].includes(s)) return 0
  // Chatbot Arena writes "tie (bothbad)"; MT-Bench "tie".
  if (s === 'tie' || s.startsWith('tie ') || s === 'draw') return 0.5
  if (models[0] !== models[1]) {
    if (s === models[0].toLowerCase()) return 1
    if (s === models[1].toLowerCase()) return 0
  }
  return undefined
}

/**
 * The gold verdict as P(A wins): one vote, or a list of votes (several gold judges) where the majority decides —
 * 1 when more votes favour A, 0 when more favour B, 0.5 when even (a tied vote counts half to each side).
 * Undefined when a vote cannot be read.
 */
export function goldVerdict(v: unknown, models: [string, string]): number | undefined {
  if (!Array.isArray(v)) return goldVote(v, models)
  if (!v.length) return undefined
  let a = 0
  let b = 0
  for (const x of v) {
    const p = goldVote(x, models)
    if (p === undefined) return undefined
    a += p
    b += 1 - p
  }
  return a > b ? 1 : a < b ? 0 : 0.5
}
