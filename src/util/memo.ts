/** A small persistent key → JSON store for facts that are costly to derive and fixed by their key. */
export interface Memo {
  /** The value kept under (kind, key), or null. */
  recall<T>(kind: string, key: string): T | null
  /** Keeps a value; failing to keep it is never an error (a memo only saves time). */
  remember(kind: string, key: string, value: unknown): void
}
