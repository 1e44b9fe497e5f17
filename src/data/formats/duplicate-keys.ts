import { RmbenchError } from '../../errors.ts'

/** Where a JSON text has an object with a key twice: the key, and the 1-based item of a top-level array it is in. */
export interface DuplicateKey { key: string; item?: number }

/**
 * The first key that appears twice in one object of a JSON text, or null. JSON.parse keeps the last value without
 * a word, so a row with `"chosen"` twice would be scored on whichever came last. Runs on text JSON.parse already
 * accepted: a scan of its structure, jumping from quote to quote through strings (native indexOf), so the cost is
 * in the number of keys, not of characters.
 */
export function duplicateKey(text: string): DuplicateKey | null {
  const stack: (Set<string> | null)[] = []
  let expectKey = false
  let item = 1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      let j = i
      for (;;) {
        j = text.indexOf('"', j + 1)
        let k = j - 1
        while (text.charCodeAt(k) === 92) k--
        if ((j - 1 - k) % 2 === 0) break
      }
      const top = stack[stack.length - 1]
      if (expectKey && top) {
        const raw = text.slice(i + 1, j)
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, j + 1)) as string) : raw
        if (top.has(key)) return { key, item: stack[0] === null ? item : undefined }
        top.add(key)
        expectKey = false
      }
      i = j
    } else if (c === 123) {
      stack.push(new Set())
      expectKey = true
    } else if (c === 91) stack.push(null)
    else if (c === 125 || c === 93) {
      stack.pop()
      expectKey = false
    } else if (c === 44) {
      if (stack.length === 1 && stack[0] === null) item++
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null
    }
  }
  return null
}

/** Throws the coded error for a line of a JSON-lines file (data, precomputed scores, verdict logs) with a key twice. */
export function assertNoDuplicateKey(text: string, file: string, line: number): void {
  const dup = duplicateKey(text)
  if (dup) throw new RmbenchError('E_DATA_ROW', `${file}:${line}: key '${dup.key}' appears twice in one object; JSON keeps only the last one, so remove the other.`, { file, line, field: dup.key })
}
