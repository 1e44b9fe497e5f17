import { createReadStream } from 'node:fs'
import { RmbenchError } from '../../errors.ts'

/**
 * Streams a text file through a strict UTF-8 decoder. Node's own decoding turns bad bytes into U+FFFD without a
 * word, which would quietly change the texts being scored; this names the line and byte instead.
 */
export async function assertUtf8(file: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let line = 1
  let offset = 0
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    try {
      decoder.decode(chunk, { stream: true })
    } catch {
      // Find the line of the first bad byte: decode this chunk's lines one by one.
      let start = 0
      for (let i = 0; i <= chunk.length; i++) {
        if (i < chunk.length && chunk[i] !== 0x0a) continue
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(start, i))
        } catch {
          break
        }
        line++
        start = i + 1
      }
      throw new RmbenchError('E_DATA_ROW', `${file}:${line}: not valid UTF-8 (near byte ${offset + start}). Re-save the file as UTF-8; rmbench does not guess encodings, since a replaced character would change the text scored.`, { file, line })
    }
    // Newlines counted natively (a byte loop in JS cost ~10 ms per MB).
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) line++
    offset += chunk.length
  }
  try {
    decoder.decode()
  } catch {
    throw new RmbenchError('E_DATA_ROW', `${file}:${line}: ends inside a UTF-8 character (truncated file?).`, { file, line })
  }
}
