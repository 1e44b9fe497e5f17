import { RmbenchError } from '../errors.ts'
import type { FieldMap } from '../suite/types.ts'
import { goldVerdict } from './gold-verdict.ts'
import { labelValue, nameValue, numberValue, ownField, type ValueSource } from './strict-values.ts'
import type { Example, Message } from './types.ts'

/** Columns read when a suite maps none: RewardBench's own names. */
export const DEFAULT_FIELDS = { id: 'id', prompt: 'prompt', chosen: 'chosen', rejected: 'rejected', group: 'subset' } as const

function fail(where: ValueSource, msg: string, field?: string): never {
  throw new RmbenchError(field ? 'E_DATA_FIELD' : 'E_DATA_ROW', `${where.file}:${where.line}: ${msg}`, { ...where, field })
}

function required(row: Record<string, unknown>, column: string, field: string, where: ValueSource): unknown {
  const v = ownField(row, column)
  if (v === undefined) {
    const cols = Object.keys(row).slice(0, 12).join(', ')
    fail(where, `column '${column}' (for ${field}) not found; the row has: ${cols}. Map the right column in the suite's data.fields.${field}.`, field)
  }
  return v
}

function text(v: unknown, field: string, where: ValueSource): string {
  if (typeof v === 'string') return v
  fail(where, `${field} must be a string, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}. Map a text column, or fix the row.`, field)
}

function isMessage(m: unknown): m is Message {
  return Boolean(m) && typeof m === 'object' && typeof (m as Message).role === 'string' && typeof (m as Message).content === 'string'
}

function isConversation(v: unknown): v is Message[] {
  return Array.isArray(v) && v.length > 0 && v.every(isMessage)
}

/** A response as a conversation (UltraFeedback, HH in messages form): the text is its final assistant turn. */
function finalTurn(v: Message[], field: string, where: ValueSource): string {
  const last = v[v.length - 1]
  if (last.role !== 'assistant') fail(where, `${field} is a conversation whose last message is from '${last.role}'; a response must end with the assistant's turn.`, field)
  return last.content
}

/**
 * A response column holds one text, a conversation ending with the assistant's turn, or a non-empty list of
 * either (best-of-n, style variants).
 */
function texts(v: unknown, field: string, where: ValueSource): string[] {
  if (typeof v === 'string') return [v]
  if (isConversation(v)) return [finalTurn(v, field, where)]
  if (Array.isArray(v) && v.length > 0) return v.map((x, i) => (isConversation(x) ? finalTurn(x, `${field}[${i}]`, where) : text(x, `${field}[${i}]`, where)))
  return [text(v, field, where)]
}

/** The turns before the response, when the response column is a whole conversation (and the data has no prompt column). */
function promptFromConversation(row: Record<string, unknown>, columns: string[], where: ValueSource): Message[] | undefined {
  const convs = columns.map((c) => ownField(row, c))
  if (!convs.every(isConversation)) return undefined
  const heads = (convs as Message[][]).map((c) => c.slice(0, -1))
  if (heads[0].length === 0) return undefined
  for (let i = 1; i < heads.length; i++)
    if (JSON.stringify(heads[i]) !== JSON.stringify(heads[0])) fail(where, `'${columns[0]}' and '${columns[i]}' are conversations with different turns before the response; map a prompt column (data.fields.prompt).`, 'prompt')
  return heads[0].map((m) => ({ role: m.role, content: m.content }))
}

/** A prompt is a string or a list of {role, content} messages (multi-turn). */
function messages(v: unknown, where: ValueSource): Message[] {
  if (typeof v === 'string') return [{ role: 'user', content: v }]
  if (isConversation(v)) return v.map((m) => ({ role: m.role, content: m.content }))
  fail(where, `prompt must be a string or a non-empty list of {role, content} messages, got ${JSON.stringify(v)?.slice(0, 80)}.`, 'prompt')
}

/** Whether a numbered label (label_base, label_base + 1) names the first response. */
function numberedLabel(row: Record<string, unknown>, fields: FieldMap, where: ValueSource): boolean {
  const base = fields.label_base ?? 1
  return labelValue(required(row, fields.label!, 'label', where), [base, base + 1], `label '${fields.label}'`, where, ` (data.fields.label_base is ${base})`) === base
}

/** Whether a text label (one of label_names, exactly) names the first response. */
function namedLabel(v: unknown, names: [string, string], field: string, where: ValueSource): boolean {
  if (typeof v === 'string' && names.includes(v)) return v === names[0]
  fail(where, `${field} is ${JSON.stringify(v)?.slice(0, 60)}; expected ${JSON.stringify(names[0])} (the first response is better) or ${JSON.stringify(names[1])} (data.fields.label_names).`, 'label')
}

/** Maps one raw row to an Example with the suite's field map (chosen/rejected or label-indexed responses). */
export function mapRow(raw: unknown, fields: FieldMap | undefined, where: ValueSource, defaults: { group?: string; idPrefix: string }): Example {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, `a row must be an object with named columns, got ${Array.isArray(raw) ? 'array' : typeof raw}.`)
  const row = raw as Record<string, unknown>
  const f = { ...DEFAULT_FIELDS, ...fields }
  // Without a prompt column, conversation-shaped responses carry the prompt as their leading turns.
  const pairColumns = fields?.models && fields.responses ? fields.responses : [f.chosen, f.rejected]
  const fromConversation = ownField(row, f.prompt) === undefined && !fields?.prompt && (!fields?.responses || fields.models) && !fields?.ranked && !fields?.model ? promptFromConversation(row, pairColumns, where) : undefined
  const prompt = fromConversation ?? messages(required(row, f.prompt, 'prompt', where), where)
  let chosen: string[]
  let rejected: string[]
  let judge: Example['judge']
  let swapped: true | undefined
  if (fields?.models) {
    // Judge data: A and B by position; who wrote each and the gold verdict travel beside them.
    const [ca, cb] = fields.responses ?? [f.chosen, f.rejected]
    chosen = texts(required(row, ca, 'responses[0]', where), `responses[0] ('${ca}')`, where).slice(-1)
    rejected = texts(required(row, cb, 'responses[1]', where), `responses[1] ('${cb}')`, where).slice(-1)
    const models = fields.models.map((c, i) => text(required(row, c, `models[${i}]`, where), `models[${i}] ('${c}')`, where)) as [string, string]
    const column = fields.gold ?? 'winner'
    const raw = required(row, column, 'gold', where)
    const gold = goldVerdict(raw, models)
    if (gold === undefined) fail(where, `gold verdict '${column}' is ${JSON.stringify(raw)?.slice(0, 80)}; expected A, B or tie (model_a / model_b / tie), one of the row's model names (${models.join(', ')}), P(A) in [0, 1], or a list of those.`, 'gold')
    judge = { models, gold }
  } else if (fields?.model) {
    chosen = [text(required(row, fields.response ?? 'response', 'response', where), 'response', where)]
    rejected = []
    const model = text(required(row, fields.model, 'model', where), `model ('${fields.model}')`, where)
    const column = fields.gold_score ?? 'gold_score'
    const gold = numberValue(required(row, column, 'gold_score', where), `gold score '${column}'`, where)
    judge = { models: [model], gold }
  } else if (fields?.ranked) {
    chosen = texts(required(row, fields.ranked, 'ranked', where), `ranked ('${fields.ranked}')`, where)
    if (chosen.length < 2) fail(where, `ranked column '${fields.ranked}' needs at least 2 responses, got ${chosen.length}.`, 'ranked')
    rejected = []
  } else if (fields?.responses) {
    const [a, b] = fields.responses.map((c, i) => text(required(row, c, `responses[${i}]`, where), `responses[${i}] ('${c}')`, where))
    const firstWins = fields.label_names ? namedLabel(required(row, fields.label!, 'label', where), fields.label_names, `label '${fields.label}'`, where) : numberedLabel(row, fields, where)
    ;[chosen, rejected] = firstWins ? [[a], [b]] : [[b], [a]]
    if (!firstWins) swapped = true
  } else {
    chosen = texts(required(row, f.chosen, 'chosen', where), `chosen ('${f.chosen}')`, where)
    rejected = texts(required(row, f.rejected, 'rejected', where), `rejected ('${f.rejected}')`, where)
  }
  // id and group are optional unless the suite maps them explicitly.
  const idRaw = fields?.id ? required(row, f.id, 'id', where) : ownField(row, f.id)
  // A source's constant group wins over the default 'subset' column; an explicitly mapped column wins over both.
  const groupRaw = fields?.group ? required(row, f.group, 'group', where) : defaults.group !== undefined ? defaults.group : ownField(row, f.group)
  // Absent, they default; present, they are names (a string or an integer), read strictly.
  const id = idRaw === undefined ? `${defaults.idPrefix}:${where.line}` : nameValue(idRaw, `id '${f.id}'`, where)
  const group = groupRaw === undefined ? (defaults.group ?? 'default') : nameValue(groupRaw, `group '${f.group}'`, where)
  const alpha = fields?.alpha ? numberValue(required(row, fields.alpha, 'alpha', where), `alpha column '${fields.alpha}'`, where, [0, 1]) : undefined
  return { id, group, prompt, chosen, rejected, ...(alpha !== undefined ? { alpha } : {}), ...(judge ? { judge } : {}), ...(swapped ? { swapped } : {}), origin: { file: where.file, line: where.line } }
}
