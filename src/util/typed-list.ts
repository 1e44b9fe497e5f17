/**
 * An append-only list of numbers in a typed array that doubles when full: 4 or 8 bytes an item, where a JS array
 * of numbers holds 8 (16 for doubles boxed after a growth) and copies itself again to become a typed array.
 */
export class TypedList<A extends Int32Array | Float64Array> {
  private buf: A
  /** Items appended so far. */
  length = 0

  constructor(private readonly make: (n: number) => A) {
    this.buf = make(1024)
  }

  /** Appends one item. */
  push(v: number): void {
    if (this.length === this.buf.length) {
      const grown = this.make(this.buf.length * 2)
      grown.set(this.buf)
      this.buf = grown
    }
    this.buf[this.length++] = v
  }

  /** The items, as a view of the list's own storage (no copy). */
  view(): A {
    return this.buf.subarray(0, this.length) as A
  }
}
