import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import t from 'tap'
import { loadDataset } from '../../src/data/load-dataset.ts'
import { isRmbenchError } from '../../src/errors.ts'
import type { SourceSpec } from '../../src/suite/types.ts'
import { cli, jsonl, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

// Class 1 (strict values) and 2 (duplicates) of the reliability suite, as properties: for each field of each
// format, a wrong-typed value is a coded error naming file, line and field; a valid value loads as a strict
// reference reading of the same row (written here, by hand) says it should.
const RUNS = 150
const counts = { wrongTyped: 0, valid: 0, duplicates: 0, cliCases: 0 }

/** A value that is never a valid name, number or label: what Number()/String() would have turned into one. */
const junk = fc.oneof(
  fc.constantFrom(null, true, false, '', [], {}, [1], ['a'], { a: 1 }, 1.5, -0.25, '1.0', ' 1', '2.0', 'NaN', 'Infinity'),
  fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { minKeys: 1, maxKeys: 2 }),
)

async function load(d: string, file: string, text: string, source: Partial<SourceSpec> = {}) {
  writeFileSync(join(d, file), text)
  return loadDataset([{ source: `./${file}`, ...source } as SourceSpec], d)
}

/** The coded error a load throws (or null when it loads). */
async function codeOf(f: () => Promise<unknown>): Promise<{ code: string; message: string; field?: string } | null> {
  try {
    await f()
    return null
  } catch (e) {
    if (!isRmbenchError(e)) throw e
    return { code: e.code, message: e.message, field: (e.details as { field?: string } | undefined)?.field }
  }
}

const row = (extra: Record<string, unknown>) => ({ id: 'a', subset: 's', prompt: 'q', chosen: 'c', rejected: 'r', ...extra })

t.test('ids, subsets, labels, alpha: a wrong-typed value is a coded error naming file, line and field', async (t) => {
  const d = tmp()
  const fields: [string, (v: unknown) => Record<string, unknown>, Partial<SourceSpec>, RegExp, boolean][] = [
    // field, the row, the source's field map, what the message names, whether `junk` may include valid values
    ['id', (v) => row({ id: v }), {}, /id 'id'/, false],
    ['group', (v) => row({ subset: v }), {}, /group 'subset'/, false],
    ['label', (v) => ({ id: 'a', q: 'q', o1: 'x', o2: 'y', label: v }), { fields: { prompt: 'q', responses: ['o1', 'o2'], label: 'label' } }, /label 'label'/, false],
    ['alpha', (v) => row({ agree: v }), { fields: { alpha: 'agree' } }, /alpha column 'agree'/, false],
  ]
  for (const [name, make, source, names] of fields) {
    await fc.assert(fc.asyncProperty(junk, async (v) => {
      // a non-empty string or an integer is a valid id or subset name: those are checked below
      fc.pre(!((name === 'id' || name === 'group') && ((typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && v !== ''))))
      fc.pre(!(name === 'alpha' && typeof v === 'number' && v >= 0 && v <= 1))
      counts.wrongTyped++
      const e = await codeOf(() => load(d, 'x.jsonl', jsonl([make(v)]), source))
      return e !== null && e.code === 'E_DATA_FIELD' && e.message.includes('x.jsonl:1: ') && names.test(e.message)
    }), { numRuns: RUNS })
    t.pass(`${name}: ${RUNS} wrong-typed values rejected with file:line and the field`)
  }
  // The same rules through CSV, where every value is text: only the canonical decimal forms are numbers/labels.
  for (const [label, ok] of [['2', true], ['1', true], ['2.0', false], [' 2', false], ['02', false], ['', false], ['true', false], ['3', false]] as const) {
    counts.wrongTyped++
    const e = await codeOf(() => load(d, 'x.csv', `id,q,o1,o2,label\na,q,x,y,${label}\n`, { fields: { prompt: 'q', responses: ['o1', 'o2'], label: 'label' } }))
    t.equal(e === null, ok, `CSV label ${JSON.stringify(label)}: ${ok ? 'read' : 'a coded error'}${e ? ` (${e.message})` : ''}`)
  }
  for (const [alpha, ok] of [['0.5', true], ['1', true], ['.25', true], ['1e-1', true], ['0.5x', false], ['', false], ['NaN', false], ['1.5', false]] as const) {
    const e = await codeOf(() => load(d, 'x.csv', `id,prompt,chosen,rejected,agree\na,q,c,r,${alpha}\n`, { fields: { alpha: 'agree' } }))
    t.equal(e === null, ok, `CSV alpha ${JSON.stringify(alpha)}`)
  }
  // JSON (not CSV) keeps types: a number written as a string is not a number.
  t.match(await codeOf(() => load(d, 'x.jsonl', jsonl([row({ agree: '0.5' })]), { fields: { alpha: 'agree' } })), { code: 'E_DATA_FIELD' })
})

t.test('hostile column names never reach Object.prototype', async (t) => {
  const d = tmp()
  for (const col of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'constructor.name', '__proto__.x']) {
    const e = await codeOf(() => load(d, 'x.jsonl', jsonl([row({})]), { fields: { group: col } }))
    t.match(e, { code: 'E_DATA_FIELD', message: new RegExp(`column '${col.replace(/[.$]/g, '\\$&')}' \\(for group\\) not found`) }, `group mapped to '${col}': a missing column`)
    counts.wrongTyped++
  }
  // As data, such keys are ordinary own keys of a parsed row: read as values, strictly.
  const r = await load(d, 'x.jsonl', '{"id":"a","subset":"s","prompt":"q","chosen":"c","rejected":"r","constructor":"k"}\n', { fields: { group: 'constructor' } })
  t.equal(r.examples[0].group, 'k', 'a column really named constructor is read')
})

t.test('valid values load as a strict reference reading says: integer names canonical, "1" and 1 one id', async (t) => {
  const d = tmp()
  const name = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: -1e6, max: 1e6 }))
  await fc.assert(fc.asyncProperty(fc.array(fc.record({ id: name, subset: name, agree: fc.double({ min: 0, max: 1, noNaN: true }), label: fc.constantFrom(1, 2) }), { minLength: 1, maxLength: 6 }), async (rows) => {
    counts.valid++
    // The reference: names are the string itself or the integer's decimal form; a repeated id is an error.
    const ids = rows.map((r) => (typeof r.id === 'number' ? String(r.id) : r.id))
    const dupe = ids.findIndex((x, i) => ids.indexOf(x) !== i)
    const data = rows.map((r, i) => ({ id: r.id, subset: r.subset, prompt: `q${i}`, o1: 'x', o2: 'y', label: r.label, agree: r.agree }))
    const got = await codeOf(async () => {
      const ds = await load(d, 'v.jsonl', jsonl(data), { fields: { responses: ['o1', 'o2'], label: 'label', alpha: 'agree' } })
      const want = rows.map((r, i) => ({ id: ids[i], group: typeof r.subset === 'number' ? String(r.subset) : r.subset, chosen: [r.label === 1 ? 'x' : 'y'], rejected: [r.label === 1 ? 'y' : 'x'], alpha: r.agree }))
      const have = ds.examples.map((e) => ({ id: e.id, group: e.group, chosen: e.chosen, rejected: e.rejected, alpha: e.alpha }))
      if (JSON.stringify(have) !== JSON.stringify(want)) throw new Error(`read ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`)
    })
    return dupe < 0 ? got === null : got !== null && /duplicate id/.test(got.message)
  }), { numRuns: RUNS })
  t.pass(`${RUNS} generated files of valid values`)
})

t.test('duplicates are errors: a CSV column twice, a JSON key twice, a YAML key twice, "1" and 1 as ids', async (t) => {
  const d = tmp()
  const cases: [string, string, RegExp][] = [
    ['x.csv', 'id,prompt,chosen,rejected,chosen\na,q,c,r,c2\n', /x\.csv:1: the header names column 'chosen' twice \(columns 3 and 5\)/],
    ['x.jsonl', '{"id":"a","prompt":"q","chosen":"c","rejected":"r","chosen":"evil"}\n', /x\.jsonl:1: key 'chosen' appears twice/],
    ['x.json', '[{"id":"a","prompt":"q","chosen":"c","rejected":"r"},{"id":"b","prompt":"q","chosen":"c","rejected":"r","prompt":"p"}]', /x\.json:2: key 'prompt' appears twice in one object \(item 2\)/],
    ['x.jsonl', '{"id":"1","prompt":"q","chosen":"c","rejected":"r"}\n{"id":1,"prompt":"q","chosen":"c","rejected":"r"}\n', /x\.jsonl:2: duplicate id '1' \(first at \S*x\.jsonl:1\)/],
  ]
  for (const [file, text, msg] of cases) {
    counts.duplicates++
    t.match((await codeOf(() => load(d, file, text)))?.message, msg)
  }
  // Through the CLI: exit 2, the coded line, no results.json; a suite YAML with a key twice too.
  const bad = tmp({ 'suite.yaml': 'name: dup\ntask: pairwise\ndata: { source: d.jsonl }\n', 'd.jsonl': cases[1][1] })
  const r = cli(['run', bad, '--model', 'baseline:length', '--out', join(bad, 'out'), '-q'])
  t.equal(r.code, 2)
  t.match(r.stderr, /^rmbench: error E_DATA_ROW: .*key 'chosen' appears twice/m)
  t.notOk(r.stderr.includes('    at '))
  const yamlDup = tmp({ 'suite.yaml': 'name: dup\ntask: pairwise\ntask: best-of-n\ndata: { source: d.jsonl }\n', 'd.jsonl': jsonl([row({})]) })
  const y = cli(['validate', join(yamlDup, 'suite.yaml')])
  t.equal(y.code, 2)
  t.match(y.stderr, /E_SUITE_YAML.*suite\.yaml:3.*[Mm]ap keys must be unique/)
  counts.duplicates += 2
  counts.cliCases += 2
})

t.teardown(() => recordFigures('1c strict values', {
  'wrong-typed values tried': counts.wrongTyped,
  'valid files checked against a reference': counts.valid,
  'duplicate cases': counts.duplicates,
  'CLI cases (exit 2, no results)': counts.cliCases,
}))
