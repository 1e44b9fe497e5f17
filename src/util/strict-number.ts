const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * An integer written in decimal digits ("16", "-3"), or an integer number; else undefined. Number() would also take
 * "", " 16", "1e3", "0x10" and "16.0", which no one means as a count.
 */
export function strictInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined
  if (typeof v !== 'string' || !INTEGER.test(v)) return undefined
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : undefined
}

/** A finite decimal number written out ("0.05", "1e-3", "-2"), or a finite number; else undefined. */
export function strictNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
  if (typeof v !== 'string' || !DECIMAL.test(v)) return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : undefined
}
