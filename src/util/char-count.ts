const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g

/**
 * Length in characters as a reader counts them: code points, so an emoji is one, not two UTF-16 units (what
 * `[...s].length` counts, without building an array of every character; a lone surrogate counts as one).
 */
export function charCount(s: string): number {
  return s.length - (s.match(SURROGATE_PAIR)?.length ?? 0)
}
