import { Environment, Interpreter, parse, tokenize } from '@huggingface/jinja'

/**
 * Chat templates rendered with Python Jinja2's semantics, as transformers' apply_chat_template renders them.
 * @huggingface/jinja follows JavaScript where the two differ; each difference below was found by
 * fixtures/tokenizer-reference (transformers' own renderings) and is corrected here, in an Interpreter subclass:
 * - `==`/`!=` compare as Python does: `'' == false` and `'1' == 1` are False, `1 == true` and `[1] == [1]` True;
 * - `strip()`/`lstrip()`/`rstrip()` and `|trim` remove Python's whitespace (U+001C–U+001F and U+0085 yes, the
 *   BOM U+FEFF no: JavaScript's trim is the other way round) and take the optional `chars` argument;
 * - booleans and none print as `True`, `False`, `None`, also through `~`;
 * - a string's `|length` counts code points, as Python's len() does (an emoji outside the BMP is one, not two).
 * The library declares these methods private but they are ordinary prototype methods; its version is pinned in
 * package.json and the reference test fails if a new one moves them.
 */

/** A runtime value of the interpreter (the library does not export the classes). */
interface Value { type: string; value: unknown; toString(): string }
type Ctor = new (value: unknown) => Value

const probe = new Environment()
probe.set('s', '')
probe.set('b', true)
probe.set('f', () => null)
probe.set('i', 0)
const StringValue = probe.lookupVariable('s').constructor as unknown as Ctor
const BooleanValue = probe.lookupVariable('b').constructor as unknown as Ctor
const FunctionValue = probe.lookupVariable('f').constructor as unknown as Ctor
const IntegerValue = probe.lookupVariable('i').constructor as unknown as Ctor

/** Python's str.isspace() characters: what strip() with no argument removes. */
const PY_SPACE = new Set([...'\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000'])

/** Python's str.strip/lstrip/rstrip, on code points. */
export function pyStrip(s: string, chars: string | null | undefined, left: boolean, right: boolean): string {
  const set = chars === null || chars === undefined ? PY_SPACE : new Set([...chars])
  const cps = [...s]
  let i = 0
  let j = cps.length
  if (left) while (i < j && set.has(cps[i])) i++
  if (right) while (j > i && set.has(cps[j - 1])) j--
  return cps.slice(i, j).join('')
}

const NUMERIC = new Set(['IntegerValue', 'FloatValue', 'BooleanValue'])

/** Python's == on two runtime values. */
export function pyEquals(a: Value, b: Value): boolean {
  if (NUMERIC.has(a.type) && NUMERIC.has(b.type)) return Number(a.value) === Number(b.value)
  if (a.type !== b.type) return false
  switch (a.type) {
    case 'StringValue':
      return a.value === b.value
    case 'NullValue':
    case 'UndefinedValue':
      return true
    case 'ArrayValue':
    case 'TupleValue': {
      const x = a.value as Value[]
      const y = b.value as Value[]
      return x.length === y.length && x.every((v, i) => pyEquals(v, y[i]))
    }
    case 'ObjectValue': {
      const x = a.value as Map<string, Value>
      const y = b.value as Map<string, Value>
      return x.size === y.size && [...x].every(([k, v]) => y.has(k) && pyEquals(v, y.get(k)!))
    }
    default:
      return a === b
  }
}

/** How Jinja2 prints a value (str()). */
function pyStr(v: Value): string {
  if (v.type === 'BooleanValue') return v.value ? 'True' : 'False'
  if (v.type === 'NullValue') return 'None'
  if (v.type === 'UndefinedValue') return ''
  return v.toString()
}

interface Node { type: string; operator?: { value: string }; left?: Node; right?: Node; object?: Node; property?: Node & { value?: string }; computed?: boolean; callee?: Node & { value?: string }; args?: Node[]; value?: string }
type Methods = Record<string, (this: Interp, ...a: never[]) => Value>
type Interp = { evaluate(node: Node, env: Environment): Value; evaluateArguments(args: Node[], env: Environment): [Value[], Map<string, Value>] }
const base = Interpreter.prototype as unknown as Methods & Record<string, (...a: unknown[]) => Value>

const STRIPS: Record<string, [boolean, boolean]> = { strip: [true, true], lstrip: [true, false], rstrip: [false, true] }

// Typed by hand: the library's declarations import './runtime' without an extension, which this project's module
// resolution does not follow.
const InterpreterBase = Interpreter as unknown as new (env: Environment) => { run(program: unknown): Value }
class Jinja2Interpreter extends InterpreterBase {}
Object.assign(Jinja2Interpreter.prototype, {
  evaluateBinaryExpression(this: Interp, node: Node, env: Environment): Value {
    const op = node.operator!.value
    if (op === '==' || op === '!=' || op === '~') {
      const l = this.evaluate(node.left!, env)
      const r = this.evaluate(node.right!, env)
      if (op === '~') return new StringValue(pyStr(l) + pyStr(r))
      return new BooleanValue(pyEquals(l, r) === (op === '=='))
    }
    return base.evaluateBinaryExpression.call(this, node, env)
  },
  evaluateMemberExpression(this: Interp, expr: Node, env: Environment): Value {
    const name = !expr.computed && expr.property?.type === 'Identifier' ? expr.property.value! : ''
    if (name in STRIPS) {
      const obj = this.evaluate(expr.object!, env)
      if (obj.type === 'StringValue') {
        const [l, r] = STRIPS[name]
        return new FunctionValue((args: Value[]) => new StringValue(pyStrip(obj.value as string, args.length ? (args[0].value as string | null) : null, l, r)))
      }
    }
    return base.evaluateMemberExpression.call(this, expr, env)
  },
  applyFilter(this: Interp, operand: Value, filter: Node, env: Environment): Value {
    if (operand.type === 'StringValue') {
      if (filter.type === 'Identifier' && (filter.value === 'length' || filter.value === 'count')) return lengthOf(operand.value as string)
      if (filter.type === 'Identifier' && filter.value === 'trim') return new StringValue(pyStrip(operand.value as string, null, true, true))
      if (filter.type === 'CallExpression' && filter.callee?.type === 'Identifier' && filter.callee.value === 'trim') {
        const [args] = this.evaluateArguments(filter.args ?? [], env)
        return new StringValue(pyStrip(operand.value as string, args.length ? (args[0].value as string | null) : null, true, true))
      }
    }
    return base.applyFilter.call(this, operand, filter, env)
  },
  evaluateBlock(this: Interp, statements: Node[], env: Environment): Value {
    let out = ''
    for (const s of statements) {
      const v = this.evaluate(s, env)
      // Statements (set, if, for…) evaluate to null and print nothing; a printed expression's none prints "None".
      if (v.type === 'UndefinedValue' || (v.type === 'NullValue' && !isOutput(s))) continue
      out += pyStr(v)
    }
    return new StringValue(out)
  },
})

/** Python's len() of a string: code points, not UTF-16 units. */
function lengthOf(s: string): Value {
  return new IntegerValue([...s].length)
}

/** Statements whose value is printed: `{{ … }}` expressions (a `{% set %}` or `{% if %}` evaluates to null). */
function isOutput(s: Node): boolean {
  return !['Set', 'If', 'For', 'Macro', 'CallStatement', 'FilterStatement', 'Break', 'Continue', 'Comment'].includes(s.type)
}

/** Python's range() as a template global. */
function range(...args: number[]): number[] {
  const [start, stop, step] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1]
  if (step === 0) throw new Error('range() arg 3 must not be zero')
  const out: number[] = []
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i)
  return out
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** transformers' strftime_now global: the local time formatted by Python's strftime codes. */
function strftimeNow(format: string): string {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  const codes: Record<string, () => string> = {
    d: () => p(d.getDate()), m: () => p(d.getMonth() + 1), Y: () => String(d.getFullYear()), y: () => p(d.getFullYear() % 100),
    H: () => p(d.getHours()), I: () => p(d.getHours() % 12 || 12), M: () => p(d.getMinutes()), S: () => p(d.getSeconds()),
    p: () => (d.getHours() < 12 ? 'AM' : 'PM'), b: () => MONTHS[d.getMonth()].slice(0, 3), B: () => MONTHS[d.getMonth()],
    a: () => DAYS[d.getDay()].slice(0, 3), A: () => DAYS[d.getDay()], '%': () => '%',
  }
  return format.replace(/%(.)/g, (all, c: string) => {
    const f = codes[c]
    if (!f) throw new Error(`strftime_now: format code %${c} is not supported`)
    return f()
  })
}

/** A parsed template rendered with Jinja2 semantics and transformers' globals. */
export class Jinja2Template {
  private readonly parsed: ReturnType<typeof parse>

  /** Parses with trim_blocks and lstrip_blocks, as transformers' environment does. */
  constructor(source: string) {
    this.parsed = parse(tokenize(source, { lstrip_blocks: true, trim_blocks: true }))
  }

  /** Renders with `items` as template variables. */
  render(items: Record<string, unknown>): string {
    const env = new Environment()
    for (const [k, v] of Object.entries({ false: false, true: true, none: null, False: false, True: true, None: null })) env.set(k, v)
    env.set('raise_exception', (message: unknown) => {
      throw new Error(String(message))
    })
    env.set('range', range)
    env.set('strftime_now', strftimeNow)
    for (const [k, v] of Object.entries(items)) env.set(k, v)
    return new Jinja2Interpreter(env).run(this.parsed).value as string
  }
}
