/**
 * A set of example ids held as 64-bit hashes in typed arrays (open addressing), each with a number saying where
 * it was first seen: ~24 bytes an id, not a string and a Map entry, so a streamed million ids stay small. Two ids
 * share a hash with probability ~n²/2⁶⁵ (3·10⁻⁸ for a million): that rare pair would be reported as a duplicate.
 */
export class IdSet {
  private hi = new Int32Array(1 << 12)
  private lo = new Int32Array(1 << 12)
  private at = new Float64Array(1 << 12)
  private full = new Uint8Array(1 << 12)
  size = 0

  /** Adds an id first seen at `where`; returns where it was seen before when it is already held. */
  add(id: string, where: number): number | undefined {
    if ((this.size + 1) * 2 > this.full.length) this.grow()
    const [h, l] = hash64(id)
    const mask = this.full.length - 1
    for (let i = (h ^ l) & mask; ; i = (i + 1) & mask) {
      if (!this.full[i]) {
        this.full[i] = 1
        this.hi[i] = h
        this.lo[i] = l
        this.at[i] = where
        this.size++
        return undefined
      }
      if (this.hi[i] === h && this.lo[i] === l) return this.at[i]
    }
  }

  private grow(): void {
    const [hi, lo, at, full] = [this.hi, this.lo, this.at, this.full]
    const cap = full.length * 2
    this.hi = new Int32Array(cap)
    this.lo = new Int32Array(cap)
    this.at = new Float64Array(cap)
    this.full = new Uint8Array(cap)
    const mask = cap - 1
    for (let j = 0; j < full.length; j++) {
      if (!full[j]) continue
      let i = (hi[j] ^ lo[j]) & mask
      while (this.full[i]) i = (i + 1) & mask
      this.full[i] = 1
      this.hi[i] = hi[j]
      this.lo[i] = lo[j]
      this.at[i] = at[j]
    }
  }
}

/** Two independent 32-bit multiplicative hashes of a string's UTF-16 code units (cyrb53's mixing). */
function hash64(s: string): [number, number] {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return [h1 | 0, h2 | 0]
}
