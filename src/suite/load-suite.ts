import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { bundledSuite, bundledSuites } from '../util/bundled.ts'
import { RmbenchError } from '../errors.ts'
import { didYouMean } from '../util/did-you-mean.ts'
import { assertRegularFile, readTextFile } from '../util/regular-file.ts'
import { judgeTemplates } from '../judges/judge-templates.ts'
import { hashOf } from '../util/hash.ts'
import { formatSchemaErrors } from './format-schema-errors.ts'
import { schemaErrors } from './schema.ts'
import type { Suite, SuiteSpec } from './types.ts'
import { parsePositioned, type PositionedYaml } from './yaml-positions.ts'

interface ParsedFile { file: string; yaml: PositionedYaml }

/**
 * Resolves a suite argument: a suite.yaml file, a folder holding one, or the name of a suite that ships with
 * rmbench (`quickstart`), which works from any folder, including outside a clone. A path that exists wins.
 */
export function resolveSuitePath(arg: string, cwd = process.cwd()): string {
  const p = resolve(cwd, arg)
  const bundled = existsSync(p) ? null : bundledSuite(arg)
  if (bundled) return bundled
  if (existsSync(p) && statSync(p).isDirectory()) {
    for (const name of ['suite.yaml', 'suite.yml'])
      if (existsSync(join(p, name))) {
        assertRegularFile(join(p, name), 'E_SUITE_NOT_FOUND', 'suite')
        return join(p, name)
      }
    throw new RmbenchError('E_SUITE_NOT_FOUND', `${arg}: folder has no suite.yaml. Point at a suite file or a folder that holds one (e.g. suites/quickstart).`, { file: p })
  }
  if (existsSync(p)) assertRegularFile(p, 'E_SUITE_NOT_FOUND', 'suite')
  if (!existsSync(p)) {
    const names = bundledSuites()
    throw new RmbenchError('E_SUITE_NOT_FOUND', `${arg}: no such suite file or folder, nor a bundled suite.${didYouMean(arg.replace(/^suites\//, '').replace(/\/$/, ''), names)} Bundled: ${names.join(', ')}.`, { file: p })
  }
  return p
}

function display(file: string): string {
  const r = relative(process.cwd(), file)
  return r.startsWith('..') ? file : r
}

function parseFile(file: string): ParsedFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new RmbenchError('E_SUITE_NOT_FOUND', `${display(file)}: cannot read suite file (${(e as NodeJS.ErrnoException).code ?? e}).`, { file })
  }
  try {
    const yaml = parsePositioned(text)
    if (yaml.value === null || typeof yaml.value !== 'object' || Array.isArray(yaml.value))
      throw new RmbenchError('E_SUITE_YAML', `${display(file)}:1: a suite must be a YAML mapping (name:, task:, data:, ...).`, { file, line: 1 })
    // YAML has .inf and .nan, which JSON Schema's "number" lets through: no suite setting means one.
    const bad = nonFinite(yaml.value, [])
    if (bad) {
      const { line, col } = yaml.lineOf(bad.path)
      throw new RmbenchError('E_SUITE_SCHEMA', `${display(file)}:${line}:${col} /${bad.path.join('/')}: ${bad.value} is not a finite number.`, { file, line })
    }
    return { file, yaml }
  } catch (e) {
    if (e instanceof RmbenchError) throw e
    const err = e as { linePos?: [{ line: number; col: number }]; message: string }
    const line = err.linePos?.[0]?.line ?? 1
    const first = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    throw new RmbenchError('E_SUITE_YAML', `${display(file)}:${line}: invalid YAML: ${first}. Fix the syntax at that line.`, { file, line })
  }
}

/** The first number in a parsed YAML value that is NaN or infinite, with its path. */
function nonFinite(v: unknown, path: (string | number)[]): { path: (string | number)[]; value: number } | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : { path, value: v }
  if (v === null || typeof v !== 'object') return null
  for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
    const hit = nonFinite(x, [...path, k])
    if (hit) return hit
  }
  return null
}

/** Includes first, then the including file on top: a suite overrides what it includes, key by key. */
function mergeIncludes(file: string, chain: string[], files: ParsedFile[]): Record<string, unknown> {
  if (chain.includes(file)) {
    const cycle = [...chain.slice(chain.indexOf(file)), file].map(display).join(' → ')
    throw new RmbenchError('E_SUITE_INCLUDE', `${display(chain[chain.length - 1])}: include cycle ${cycle}. Remove one of these includes.`, { file })
  }
  const parsed = parseFile(file)
  files.push(parsed)
  const own = parsed.yaml.value as Record<string, unknown>
  const inc = own.include
  const list = inc === undefined ? [] : Array.isArray(inc) ? inc : [inc]
  let merged: Record<string, unknown> = {}
  // Checked here, before merging: include is removed from the merged suite, so its schema never sees it.
  const where = `${display(file)}:${parsed.yaml.lineOf(['include']).line}`
  if (inc !== undefined && (list.length === 0 || list.some((i) => typeof i !== 'string' || i === '')))
    throw new RmbenchError('E_SUITE_INCLUDE', `${where}: include must be a path to a suite file, or a list of paths; got ${JSON.stringify(inc)?.slice(0, 80)}.`, { file })
  for (const item of list as string[]) {
    const target = resolve(dirname(file), item)
    if (!existsSync(target))
      throw new RmbenchError('E_SUITE_INCLUDE', `${where}: included file '${item}' does not exist (resolved to ${display(target)}).`, { file, include: item })
    if (!statSync(target).isFile())
      throw new RmbenchError('E_SUITE_INCLUDE', `${where}: included '${item}' is not a file (resolved to ${display(target)}); include a suite .yaml file.`, { file, include: item })
    merged = { ...merged, ...mergeIncludes(target, [...chain, file], files) }
  }
  const rest = { ...own }
  delete rest.include
  return { ...merged, ...rest }
}

/** Loads a suite file (or folder), merges its includes and validates it against suite.schema.json. */
export function loadSuite(arg: string, cwd = process.cwd()): Suite {
  const file = resolveSuitePath(arg, cwd)
  const files: ParsedFile[] = []
  const spec = mergeIncludes(file, [], files)
  const problems = formatSchemaErrors(schemaErrors('suite', spec))
  if (problems.length) {
    const lines = problems.map((p) => {
      // The value may come from the suite or from an include: report the first file that has the path.
      const owner = files.find((f) => hasPath(f.yaml.value, p.path)) ?? files[0]
      const { line, col } = owner.yaml.lineOf(p.path, p.key)
      return `${display(owner.file)}:${line}:${col} ${p.pointer}: ${p.message}`
    })
    throw new RmbenchError('E_SUITE_SCHEMA', `suite is invalid:\n  ${lines.join('\n  ')}\nSee schemas/suite.schema.json for the format.`, { file, problems })
  }
  const suite = spec as unknown as SuiteSpec
  readJudgePrompt(suite, dirname(file), file)
  return { spec: suite, file, dir: dirname(file), hash: hashOf(suite) }
}

/**
 * A judge.prompt that names no bundled prompt is a file beside the suite: its text becomes judge.template (an
 * inline template still wins), so the suite's hash changes when the file does.
 */
function readJudgePrompt(spec: SuiteSpec, dir: string, file: string): void {
  const prompt = spec.judge?.prompt
  if (prompt === undefined || judgeTemplates.has(prompt)) return
  const path = resolve(dir, prompt)
  if (!existsSync(path))
    throw new RmbenchError('E_SUITE_SCHEMA', `${display(file)}: judge.prompt '${prompt}' is neither a bundled prompt nor a file (${path} not found).${didYouMean(prompt, judgeTemplates.names())} Bundled: ${judgeTemplates.names().join(', ')}.`, { file, field: 'judge.prompt' })
  const text = readTextFile(path, 'E_SUITE_SCHEMA', 'judge prompt file')
  if (spec.judge!.template === undefined) spec.judge!.template = text.replace(/\n$/, '')
}

function hasPath(value: unknown, path: (string | number)[]): boolean {
  let cur: unknown = value
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !(seg in (cur as object))) return false
    cur = (cur as Record<string | number, unknown>)[seg]
  }
  return true
}
