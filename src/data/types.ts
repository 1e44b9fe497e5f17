/** One chat message of a prompt. */
export interface Message { role: string; content: string }

/** Score a (prompt, response) with a reward model; `ref` says which example and completion it is. */
export interface RewardRequest {
  prompt: Message[]
  response: string
  /** Whose turn `response` is (default assistant); a follow-up scored after the response is the user's. */
  turnRole?: string
  /** A judge's verdict labels when `response` is one of them (A/B, or a rating scale): an answer none of them matches is unparseable. */
  choices?: string[]
  /** For judges that answer in text (served chat models): the verdict rule that reads the answer and how long it may be. */
  verdict?: VerdictAsk
  /** The example id, role and position in [chosen…, rejected…]: for runners that look scores up by id. */
  ref?: { exampleId: string; role: string; position: number }
}

/** How a text-answering judge is asked and read: the rule (src/judges/verdict-rules.ts), its labels and scale, the token budget. */
export interface VerdictAsk { parse: string; maxTokens: number; labels: [string, string]; scale: [number, number] }

/** A raw row read from a data file, with where it came from (for error messages). */
export interface RawRow { row: unknown; line: number }

/** A preference example (a pair, or chosen/rejected lists), normalised from any source by a field map. */
export interface Example {
  id: string
  group: string
  /** The conversation before the response; a plain-string prompt becomes one user message. */
  prompt: Message[]
  /** Preferred response(s): one for pairwise data, several for best-of-n and style variants. */
  chosen: string[]
  /** Dispreferred response(s). */
  rejected: string[]
  /** Raters' agreement on this pair, when the suite maps an alpha column. */
  alpha?: number
  /**
   * Judge data (self-preference): the model that wrote each response (chosen[0] is response A, rejected[0] is
   * response B — positions, not preferences) and the gold verdict as P(A wins); pointwise items have one response,
   * one model and the gold score.
   */
  judge?: { models: string[]; gold: number }
  /** The data showed the rejected response first (a label-indexed pair whose second response won): a judge's AB order shows it first too. */
  swapped?: true
  /** File and line (1-based; item index for JSON arrays, row for parquet) of the raw row. */
  origin: { file: string; line: number }
}

/** A data format: streams raw rows of a file. */
export interface DataFormat {
  name: string
  /** File extensions (without dot) that select this format by default. */
  extensions: string[]
  /** Every value is text (CSV): numbers and labels are read from their decimal form, strictly. */
  textual?: boolean
  read(file: string): AsyncIterable<RawRow>
}
