// TEI's request and error rules, as the fake server applies them. Each rule names the upstream source it follows:
// huggingface/text-embeddings-inference, router/src/http/types.rs, router/src/http/server.rs and router/src/lib.rs,
// identical in v0.6.0, v1.0.0, v1.2.0, v1.5.0, v1.8.0 and v1.9.3 (read with the search tool's fetch, 2026-12-01).

/** One sequence: a single text or a text pair (types.rs `Sequence`). */
export type TeiSequence = [string] | [string, string]

/** A request TEI cannot read: axum's JSON rejection is a 422 with a plain-text body (the serde message). */
export class TeiReject extends Error {}

/**
 * `PredictInput` deserialisation (types.rs `impl Deserialize for PredictInput`): a string is one single input; a
 * list whose first element is a string is ONE input — one string a single text, two a pair, three or more
 * "invalid length"; a list whose first element is a list is a batch, each element a list of 1 or 2 strings.
 * Returns the sequences and whether the answer is a batch (nested) or single (flat).
 */
export function teiInputs(inputs: unknown): { sequences: TeiSequence[]; batch: boolean } {
  const isStr = (v: unknown): v is string => typeof v === 'string'
  if (isStr(inputs)) return { sequences: [[inputs]], batch: false }
  if (!Array.isArray(inputs) || inputs.length === 0) throw new TeiReject('Failed to deserialize the JSON body into the target type: inputs: invalid length 0, expected a string, a pair of strings [string, string] or a batch of mixed strings and pairs [[string], [string, string], ...]')
  if (isStr(inputs[0])) {
    if (inputs.length > 2 || !inputs.every(isStr)) throw new TeiReject(`Failed to deserialize the JSON body into the target type: inputs: invalid length ${inputs.length}, expected a string, a pair of strings [string, string] or a batch of mixed strings and pairs [[string], [string, string], ...]`)
    return { sequences: [inputs as TeiSequence], batch: false }
  }
  const sequences = inputs.map((s) => {
    if (!Array.isArray(s) || !s.every(isStr) || s.length < 1 || s.length > 2) throw new TeiReject(`Failed to deserialize the JSON body into the target type: inputs: invalid length ${Array.isArray(s) ? s.length : 0}, expected a string, a pair of strings [string, string] or a batch of mixed strings and pairs [[string], [string, string], ...]`)
    return s as TeiSequence
  })
  return { sequences, batch: true }
}

/** lib.rs `ErrorType` (serialised by name) and server.rs `impl From<&ErrorType> for StatusCode`. */
export const TEI_STATUS = { Unhealthy: 503, Backend: 424, Overloaded: 429, Validation: 422, Tokenizer: 422, Empty: 400 } as const

/** lib.rs `ErrorResponse`: `{"error": message, "error_type": "Validation"}`. */
export function teiError(type: keyof typeof TEI_STATUS, message: string): { status: number; body: object } {
  return { status: TEI_STATUS[type], body: { error: message, error_type: type } }
}

/**
 * core/src/tokenization.rs: an input longer than the model's max_input_length without `truncate` is a Validation
 * error naming both lengths; in a batch, server.rs collects every input's result and answers the first error for
 * the whole request.
 */
export function teiTooLong(tokens: number, max: number): { status: number; body: object } {
  return teiError('Validation', `Input validation error: \`inputs\` must have less than ${max} tokens. Given: ${tokens}`)
}
