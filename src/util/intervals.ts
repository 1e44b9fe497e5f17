/** A time interval [start, end] in ms. */
export type Span = [number, number]

/** Intervals sorted and merged where they touch or overlap. */
function merged(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = []
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1]
    if (last && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

/** Time covered by the spans (overlaps counted once). */
export const coveredMs = (spans: Span[]): number => length(merged(spans))

const length = (spans: [number, number][]) => spans.reduce((n, [a, b]) => n + b - a, 0)

/** Total length of the intersection of two merged interval lists. */
function overlap(x: [number, number][], y: [number, number][]): number {
  let total = 0
  let j = 0
  for (const [a, b] of x) {
    while (j < y.length && y[j][1] <= a) j++
    for (let k = j; k < y.length && y[k][0] < b; k++) total += Math.max(0, Math.min(b, y[k][1]) - Math.max(a, y[k][0]))
  }
  return total
}

/** Time covered by `x` and not by `y` (each list may overlap itself). */
export function uncoveredMs(x: Span[], y: Span[]): number {
  const a = merged(x)
  return length(a) - overlap(a, merged(y))
}
