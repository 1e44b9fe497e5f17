import { createRequire } from 'node:module'
import type { MathNode } from 'mathjs'

// mathjs takes ~1.5 s to import; only expr: models need it, so it loads on first use, not with every command.
let mathParse: ((s: string) => MathNode) | undefined
const parse = (s: string): MathNode => (mathParse ??= (createRequire(import.meta.url)('mathjs') as typeof import('mathjs')).parse)(s)
import { RmbenchError } from '../../errors.ts'
import { didYouMean } from '../../util/did-you-mean.ts'

/** One LM quantity an expression reads: log p or token count of the response (or of a follow-up after it). */
export interface LmUse { fn: 'logp' | 'tokens'; lm: string; followup?: string }

/** A parsed, checked reward expression. */
export interface RewardExpression {
  source: string
  /** The distinct LM quantities it needs, keyed by `useKey`. */
  uses: LmUse[]
  /** Evaluates with the LM values of one request (keyed by useKey) and the constants. */
  evaluate(values: Map<string, { logp: number; tokens: number }>): number
}

/** Identifies an LM quantity independent of fn: logp and tokens of one text come from one scoring. */
export function useKey(u: { lm: string; followup?: string }): string {
  return u.followup === undefined ? u.lm : `${u.lm}\u0000${u.followup}`
}

const MATH: Record<string, (...xs: number[]) => number> = {
  log: Math.log, exp: Math.exp, abs: Math.abs, sqrt: Math.sqrt, tanh: Math.tanh, min: Math.min, max: Math.max,
}
const OPS: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b, '^': (a, b) => a ** b,
}

/**
 * Parses `logp(policy) - logp(ref)`, `logp(policy) / tokens(policy)`, `logp(strong) - logp(weak)`,
 * `logp(policy, followup="Thanks!")` with mathjs's parser, then checks and evaluates the tree itself: only
 * numbers, + − × ÷ ^, parentheses, the named constants, logp/tokens over the declared LMs and a few math
 * functions (log, exp, abs, sqrt, tanh, min, max). No assignments, function definitions or imports.
 */
export function compileRewardExpression(source: string, lms: string[], constants: Record<string, number>): RewardExpression {
  let root: MathNode
  try {
    root = parse(source)
  } catch (e) {
    throw new RmbenchError('E_MODEL_SPEC', `reward expression '${source}' does not parse: ${(e as Error).message}.`)
  }
  const fail = (msg: string): never => { throw new RmbenchError('E_MODEL_SPEC', `reward expression '${source}': ${msg}`) }
  const uses = new Map<string, LmUse>()
  const known = [...Object.keys(constants), 'pi', 'e']
  const lmOf = (n: MathNode): string => {
    if (n.type !== 'SymbolNode') fail(`the first argument of logp/tokens must be an LM name (${lms.join(', ')}).`)
    const name = (n as unknown as { name: string }).name
    if (!lms.includes(name)) fail(`unknown LM '${name}'.${didYouMean(name, lms)} Known LMs: ${lms.join(', ') || 'none (declare them with --lm name=spec or lms: in bench.config.ts)'}.`)
    return name
  }
  const check = (n: MathNode): ((v: Map<string, { logp: number; tokens: number }>) => number) => {
    const node = n as unknown as Record<string, unknown> & { type: string }
    switch (node.type) {
      case 'ConstantNode': {
        if (typeof node.value !== 'number') fail(`only numbers may appear as constants, got ${JSON.stringify(node.value)}.`)
        const v = node.value as number
        return () => v
      }
      case 'ParenthesisNode':
        return check(node.content as MathNode)
      case 'SymbolNode': {
        const name = node.name as string
        if (name in constants) return () => constants[name]
        if (name === 'pi') return () => Math.PI
        if (name === 'e') return () => Math.E
        if (lms.includes(name)) fail(`'${name}' is an LM: use logp(${name}) or tokens(${name}).`)
        return fail(`unknown name '${name}'.${didYouMean(name, [...known, ...lms])} Known: ${[...known, 'logp(lm)', 'tokens(lm)'].join(', ')}.`)
      }
      case 'OperatorNode': {
        const args = (node.args as MathNode[]).map(check)
        const op = node.op as string
        if (args.length === 1 && (op === '-' || op === '+')) return op === '-' ? (v) => -args[0](v) : args[0]
        if (args.length === 2 && OPS[op]) return (v) => OPS[op](args[0](v), args[1](v))
        return fail(`operator '${op}' is not allowed (use + - * / ^).`)
      }
      case 'FunctionNode': {
        const fname = (node.fn as { name?: string }).name ?? ''
        const rawArgs = node.args as MathNode[]
        if (fname === 'logp' || fname === 'tokens') {
          if (rawArgs.length < 1 || rawArgs.length > 2) fail(`${fname} takes an LM name and optionally followup="…".`)
          const lm = lmOf(rawArgs[0])
          let followup: string | undefined
          if (rawArgs[1]) {
            const a = rawArgs[1] as unknown as { type: string; object?: { name?: string }; value?: { type: string; value: unknown } }
            if (a.type !== 'AssignmentNode' || a.object?.name !== 'followup' || a.value?.type !== 'ConstantNode' || typeof a.value.value !== 'string')
              fail(`the second argument of ${fname} must be followup="<text>".`)
            followup = a.value!.value as string
          }
          const use: LmUse = { fn: fname, lm, followup }
          uses.set(`${fname}:${useKey(use)}`, use)
          const key = useKey(use)
          return (v) => {
            const got = v.get(key)
            if (!got) throw new Error(`no value for ${fname}(${lm})`)
            return fname === 'logp' ? got.logp : got.tokens
          }
        }
        const f = MATH[fname]
        if (!f) fail(`unknown function '${fname}'.${didYouMean(fname, ['logp', 'tokens', ...Object.keys(MATH)])} Allowed: logp, tokens, ${Object.keys(MATH).join(', ')}.`)
        const args = rawArgs.map(check)
        return (v) => f(...args.map((a) => a(v)))
      }
      default:
        return fail(`${node.type.replace(/Node$/, '').toLowerCase()} expressions are not allowed; use numbers, + - * / ^, logp(lm), tokens(lm).`)
    }
  }
  const run = check(root)
  if (uses.size === 0) fail('it uses no LM: include logp(<lm>) or tokens(<lm>).')
  return { source, uses: [...uses.values()], evaluate: run }
}
