import { isUtf8 } from 'node:buffer'
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { RmbenchError } from '../../errors.ts'

/**
 * Files up to this size are read whole (checked natively, split in memory); larger ones are streamed. Bounded so
 * a streamed run's memory stays flat: `npm run bench` measured 323 MB peak for 100,000 streamed pairs (29 MB of
 * JSONL) read whole under a 32 MB bound, against 228 MB streamed.
 */
export const WHOLE_FILE_BYTES = 16 << 20

/**
 * Checks a text file is strict UTF-8. Node's own decoding turns bad bytes into U+FFFD without a word, which would
 * quietly change the texts being scored; this names the line and byte instead. A small file is checked natively
 * in one read; a large one, or a bad one (to find the line), through a streaming decoder.
 */
export async function assertUtf8(file: string): Promise<void> {
  if (statSync(file).size <= WHOLE_FILE_BYTES && isUtf8(readFileSync(file))) return
  await streamUtf8Check(file)
}

/** Streams a file through a strict UTF-8 decoder; throws naming the line and byte of the first bad one. */
async function streamUtf8Check(file: string): Promise<void> {
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

/**
 * A small file's text, checked as strict UTF-8 (a bad byte raises assertUtf8's error naming its line); null for a
 * file over WHOLE_FILE_BYTES, which the caller streams. One native check and one read: a stream through a decoder
 * and readline cost ~4× as much on a few MB.
 */
export async function readSmallUtf8(file: string, wholeBytes = WHOLE_FILE_BYTES): Promise<string | null> {
  if (statSync(file).size > wholeBytes) return null
  const bytes = readFileSync(file)
  if (!isUtf8(bytes)) {
    await streamUtf8Check(file)
    throw new RmbenchError('E_DATA_ROW', `${file}: not valid UTF-8. Re-save the file as UTF-8.`, { file })
  }
  return bytes.toString('utf8')
}
