import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadSuite } from './load-suite.ts'
import { schemaPath } from './schema-files.ts'
import { tasks } from '../tasks/registry.ts'

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'rmbench-suite-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text)
  return d
}

const OK = 'name: s\ntask: pairwise\ndata:\n  source: d.jsonl\n'

t.test('loads a folder holding suite.yaml, and hashes it', async (t) => {
  const s = loadSuite(dir({ 'suite.yaml': OK }))
  t.equal(s.spec.name, 's')
  t.match(s.hash, /^[0-9a-f]{16}$/)
  t.not(loadSuite(dir({ 'suite.yaml': OK + 'limit: 3\n' })).hash, s.hash, 'a changed suite has another hash')
})

t.test('bundled quickstart suite is valid', async (t) => {
  t.equal(loadSuite('suites/quickstart').spec.task, 'pairwise')
})

t.test('schema errors name file, line, pointer and the nearest valid name', async (t) => {
  const d = dir({ 'suite.yaml': 'name: s\ntask: pairwize\ndata:\n  source: d.jsonl\n  fields: { prompt: p, chosn: c }\nscore: { ties: wrongg }\n' })
  const e = t.throws(() => loadSuite(d), { code: 'E_SUITE_SCHEMA' }) as unknown as Error
  t.match(e.message, /suite\.yaml:2:7 \/task: 'pairwize' is not one of best-of-n, pairwise, ranking-accuracy, self-preference, style-matrix\. Did you mean 'pairwise'\?/)
  t.match(e.message, /suite\.yaml:5:\d+ \/data\/fields: unknown field 'chosn'\. Did you mean 'chosen'\?/)
  t.match(e.message, /suite\.yaml:6:\d+ \/score\/ties: 'wrongg'.*Did you mean 'wrong'\?/)
})

t.test('missing required field and wrong type', async (t) => {
  const e = t.throws(() => loadSuite(dir({ 'suite.yaml': 'name: s\ntask: pairwise\nlimit: many\n' }))) as unknown as Error
  t.match(e.message, /missing required field 'data'/)
  t.match(e.message, /suite\.yaml:3:\d+ \/limit: must be integer, got string/)
})

t.test('YAML syntax errors give the line', async (t) => {
  const e = t.throws(() => loadSuite(dir({ 'suite.yaml': 'name: s\ntask: [\n' })), { code: 'E_SUITE_YAML' }) as unknown as Error
  t.match(e.message, /suite\.yaml:\d+: invalid YAML/)
  t.throws(() => loadSuite(dir({ 'suite.yaml': '- a\n- b\n' })), { code: 'E_SUITE_YAML' })
  t.throws(() => loadSuite(dir({ 'suite.yaml': 'name: a\nname: b\n' })), { code: 'E_SUITE_YAML' }, 'duplicate keys')
})

t.test('missing suite', async (t) => {
  t.throws(() => loadSuite('/nonexistent/suite.yaml'), { code: 'E_SUITE_NOT_FOUND' })
  t.throws(() => loadSuite(dir({})), { code: 'E_SUITE_NOT_FOUND' })
})

t.test('include merges, the including file wins; errors point into the file that holds the value', async (t) => {
  const d = dir({ 'base.yaml': 'task: pairwise\ndata:\n  source: base.jsonl\nlimit: 5\n', 'suite.yaml': 'include: base.yaml\nname: s\nlimit: 7\n' })
  const s = loadSuite(join(d, 'suite.yaml'))
  t.same([s.spec.task, s.spec.limit, (s.spec.data as { source: string }).source], ['pairwise', 7, 'base.jsonl'])
  const bad = dir({ 'base.yaml': 'task: pairwise\ndata:\n  source: x\n  formt: csv\n', 'suite.yaml': 'include: base.yaml\nname: s\n' })
  const e = t.throws(() => loadSuite(join(bad, 'suite.yaml'))) as unknown as Error
  t.match(e.message, /base\.yaml:4:\d+ \/data: unknown field 'formt'\. Did you mean 'format'\?/)
})

t.test('include cycles and missing includes are coded errors', async (t) => {
  const d = dir({ 'a.yaml': 'include: b.yaml\nname: a\n', 'b.yaml': 'include: a.yaml\n' })
  const e = t.throws(() => loadSuite(join(d, 'a.yaml')), { code: 'E_SUITE_INCLUDE' }) as unknown as Error
  t.match(e.message, /include cycle .*a\.yaml → .*b\.yaml → .*a\.yaml/)
  t.throws(() => loadSuite(dir({ 'suite.yaml': 'include: nope.yaml\n' + OK })), { code: 'E_SUITE_INCLUDE' })
})

t.test("the schema's task names are exactly the task registry's", async (t) => {
  const schema = JSON.parse(readFileSync(schemaPath('suite'), 'utf8')) as { properties: { task: { enum: string[] } } }
  t.same(schema.properties.task.enum.slice().sort(), tasks.names())
})

t.test("the schema's analysis names are exactly the analysis registry's", async (t) => {
  const { analyses } = await import('../tasks/analyses.ts')
  const schema = JSON.parse(readFileSync(schemaPath('suite'), 'utf8')) as { properties: { analyses: { items: { enum: string[] } } } }
  t.same(schema.properties.analyses.items.enum.slice().sort(), analyses.names())
})
