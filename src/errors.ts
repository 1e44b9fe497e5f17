/**
 * Errors a user can act on. Each has a stable `code` (documented in README) and a message that names
 * the file, row or field at fault and says what to do next. Only `cli/main.ts` turns them into exit codes.
 */

/** Every stable error code rmbench raises. */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_SUITE_NOT_FOUND'
  | 'E_SUITE_YAML'
  | 'E_SUITE_SCHEMA'
  | 'E_SUITE_INCLUDE'
  | 'E_UNKNOWN_NAME'
  | 'E_DATA_NOT_FOUND'
  | 'E_DATA_FORMAT'
  | 'E_DATA_ROW'
  | 'E_DATA_EMPTY'
  | 'E_DATA_FIELD'
  | 'E_MODEL_SPEC'
  | 'E_MODEL_NOT_FOUND'
  | 'E_MODEL_LOAD'
  | 'E_MODEL_INPUTS'
  | 'E_MODEL_OUTPUT'
  | 'E_TOKENIZER'
  | 'E_VOCAB_MISMATCH'
  | 'E_TEMPLATE'
  | 'E_CONFIG'
  | 'E_RESULTS'
  | 'E_SCORE_STORE'
  | 'E_OUT_IN_USE'
  | 'E_IO'
  | 'E_HUB_URI'
  | 'E_HUB_NOT_FOUND'
  | 'E_HUB_AUTH'
  | 'E_HUB_HTTP'
  | 'E_HUB_UNREACHABLE'
  | 'E_HUB_OFFLINE'
  | 'E_HUB_CORRUPT'
  | 'E_DATA_HASH'
  | 'E_COMPARE'
  | 'E_LEADERBOARD'
  | 'E_HTTP_UNREACHABLE'
  | 'E_HTTP_SERVER'
  | 'E_MERGE'
  | 'E_AUDIT'
  | 'E_INTERNAL'

/** An error the user can fix; carries a stable code and a message with the fix. */
export class RmbenchError extends Error {
  readonly code: ErrorCode
  /** Extra machine-readable detail (file, row, pointer, ...). */
  readonly details: Record<string, unknown>

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.name = 'RmbenchError'
    this.code = code
    this.details = details
  }
}

/** True for errors rmbench raised on purpose (as opposed to bugs). */
export function isRmbenchError(e: unknown): e is RmbenchError {
  return e instanceof RmbenchError
}

/** Message of any thrown value, without a stack. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
