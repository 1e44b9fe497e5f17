import { readFileSync } from 'node:fs'
import t from 'tap'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { GENERATED, validatorModule } from './compile-schemas.ts'
import { schemaPath } from './schema-files.ts'
import { schemaErrors } from './schema.ts'

t.test('the precompiled validators are those the schemas compile to today', async (t) => {
  // Stale when a schema (or ajv) changed without `npm run schemas`.
  t.equal(readFileSync(GENERATED, 'utf8'), validatorModule(), 'schema-validators.generated.js is current: run `npm run schemas` if not')
})

t.test('the precompiled validators give the errors ajv compiled at run time gives (verbose, all errors)', async (t) => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, verbose: true })
  const live = ajv.compile(JSON.parse(readFileSync(schemaPath('suite'), 'utf8')))
  const cases = [
    { name: 'x', task: 'pairwise', data: { source: 'a.jsonl' } },
    { name: 'x', task: 'pairwise', data: { source: 'a.jsonl', formt: 'csv' }, extra: 1 },
    { name: 3, task: 'nope', data: [] },
    { task: 'pairwise', data: { source: 'a.jsonl' }, sections: { chat: { weight: -1 } } },
  ]
  for (const c of cases) {
    live(c)
    t.same(schemaErrors('suite', c), live.errors ?? [], JSON.stringify(c))
  }
  t.ok(schemaErrors('suite', cases[1]).every((e) => e.parentSchema !== undefined && 'data' in e), 'verbose: each error carries its schema and data')
  t.ok(schemaErrors('suite', cases[2]).length > 1, 'all errors, not the first only')
})
