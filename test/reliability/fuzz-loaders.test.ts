import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import t from 'tap'
import { stringify } from 'yaml'
import { loadDataset } from '../../src/data/load-dataset.ts'
import { isRmbenchError } from '../../src/errors.ts'
import { loadSuite } from '../../src/suite/load-suite.ts'
import { tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

const RUNS = 300
let tried = 0
let coded = 0
let loaded = 0

/** Runs `f`; a throw must be a coded RmbenchError (a crash of any other kind fails the property). */
async function codedOrOk(f: () => unknown): Promise<boolean> {
  tried++
  try {
    await f()
    loaded++
    return true
  } catch (e) {
    if (isRmbenchError(e)) {
      coded++
      return true
    }
    throw e
  }
}

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '\u0000', '<script>', '{{x}}', '\uFEFF', '\r\n', 'x'.repeat(5000)))
const jsonValue = fc.jsonValue({ maxDepth: 3 })

t.test('suite loader: random YAML documents and near-valid suites give coded errors or load', async (t) => {
  const d = tmp()
  const file = join(d, 'suite.yaml')
  const nearValid = fc.record({
    name: fc.oneof(text, jsonValue),
    task: fc.oneof(fc.constantFrom('pairwise', 'best-of-n', 'style-matrix', 'ranking-accuracy', 'self-preference'), text, jsonValue),
    data: fc.oneof(fc.record({ source: fc.oneof(text, fc.constant('d.jsonl')), fields: fc.option(fc.dictionary(fc.string(), jsonValue)) }), jsonValue),
    limit: fc.option(jsonValue),
    sections: fc.option(jsonValue),
    stats: fc.option(jsonValue),
    include: fc.option(fc.oneof(text, fc.array(text))),
  }, { requiredKeys: [] })
  await fc.assert(fc.asyncProperty(fc.oneof(text.map((s) => ({ raw: s })), nearValid.map((v) => ({ raw: stringify(v) }))), async ({ raw }) => {
    writeFileSync(file, raw)
    return codedOrOk(() => loadSuite(file, d))
  }), { numRuns: RUNS, seed: 42 })
  t.pass(`${RUNS} suites`)
})

t.test('dataset loader: random JSONL, JSON and CSV files give coded errors or load', async (t) => {
  const d = tmp()
  const row = fc.dictionary(fc.constantFrom('id', 'prompt', 'chosen', 'rejected', 'subset', 'x', ''), fc.oneof(text, jsonValue), { maxKeys: 6 })
  const files: [string, fc.Arbitrary<string>][] = [
    ['d.jsonl', fc.array(fc.oneof(row.map((r) => JSON.stringify(r)), text), { maxLength: 6 }).map((ls) => ls.join('\n'))],
    ['d.json', fc.oneof(fc.array(row, { maxLength: 5 }).map((rs) => JSON.stringify(rs)), jsonValue.map((v) => JSON.stringify(v)), text)],
    ['d.csv', fc.array(fc.array(fc.oneof(text, fc.constantFrom('id', 'prompt', 'chosen', 'rejected', '"', ',')), { minLength: 1, maxLength: 5 }), { maxLength: 5 }).map((rs) => rs.map((r) => r.join(',')).join('\n'))],
  ]
  for (const [name, content] of files) {
    await fc.assert(fc.asyncProperty(content, async (body) => {
      writeFileSync(join(d, name), body)
      return codedOrOk(() => loadDataset([{ source: name }], d))
    }), { numRuns: RUNS, seed: 7 })
  }
  // Raw bytes, including invalid UTF-8.
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
    writeFileSync(join(d, 'b.jsonl'), bytes)
    return codedOrOk(() => loadDataset([{ source: 'b.jsonl' }], d))
  }), { numRuns: RUNS, seed: 9 })
  t.pass('datasets')
})

t.teardown(() => recordFigures('1b fuzzed loaders', { 'fuzzed inputs (fast-check)': tried, 'coded errors': coded, 'loaded cleanly': loaded, 'other crashes': tried - coded - loaded }))
