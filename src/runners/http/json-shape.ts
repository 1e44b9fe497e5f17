/** Small readers for server JSON: each throws a message naming the field, which the pool reports as a wrong-shaped answer. */

/** `v` as an object, or a throw naming `what`. */
export function obj(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what} is not an object`)
  return v as Record<string, unknown>
}

/** `v` as an array, or a throw naming `what`. */
export function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${what} is not a list`)
  return v
}

/** `v` as a finite number, or a throw naming `what`. */
export function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} is ${JSON.stringify(v)?.slice(0, 40)}, not a finite number`)
  return v
}

/** The `data` (or `choices`) list of an OpenAI-style answer put back in request order by each item's `index`. */
export function byIndex(json: unknown, field: 'data' | 'choices', expected: number): Record<string, unknown>[] {
  const items = arr(obj(json, 'the answer')[field], `'${field}'`).map((x, i) => obj(x, `${field}[${i}]`))
  if (items.length !== expected) throw new Error(`'${field}' has ${items.length} items for ${expected} inputs`)
  const out = new Array<Record<string, unknown>>(expected)
  items.forEach((it, i) => {
    const k = it.index === undefined ? i : num(it.index, `${field}[${i}].index`)
    if (k < 0 || k >= expected || out[k]) throw new Error(`${field}[${i}].index ${k} is out of place`)
    out[k] = it
  })
  return out
}
