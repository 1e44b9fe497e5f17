import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { RmbenchError } from '../../errors.ts'
import { assertNoDuplicateKey } from './duplicate-keys.ts'
import { assertUtf8, readSmallUtf8, WHOLE_FILE_BYTES } from './assert-utf8.ts'
import type { DataFormat, RawRow } from '../types.ts'

/** A large file's lines, streamed after a streamed UTF-8 check. */
async function streamedLines(file: string): Promise<AsyncIterable<string>> {
  await assertUtf8(file)
  return createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })
}

/** Rows of a JSON Lines file; files over `wholeBytes` are streamed (both paths give the same rows and line numbers). */
export async function* readJsonl(file: string, wholeBytes = WHOLE_FILE_BYTES): AsyncIterable<RawRow> {
  const whole = await readSmallUtf8(file, wholeBytes)
  // Line breaks as readline takes them (\r\n, \n, or a lone \r), so line numbers agree between the two paths.
  const lines = whole !== null ? whole.split(/\r\n|\n|\r/) : await streamedLines(file)
  let n = 0
  for await (const raw of lines) {
    n++
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw
    if (!text.trim()) continue
    let row: unknown
    try {
      row = JSON.parse(text)
    } catch (e) {
      throw new RmbenchError('E_DATA_ROW', `${file}:${n}: not valid JSON (${(e as Error).message}). Each line of a .jsonl file must be one JSON object.`, { file, line: n })
    }
    assertNoDuplicateKey(text, file, n)
    yield { row, line: n }
  }
}

/** JSON Lines: one JSON value per line; blank lines are skipped. */
export const jsonl: DataFormat = {
  name: 'jsonl',
  extensions: ['jsonl', 'ndjson'],
  read: (file) => readJsonl(file),
}
