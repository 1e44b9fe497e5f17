import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'
import { ScoreCache } from '../run/score-cache.ts'
import { loadConfig } from './load-config.ts'

const ROOT = resolve(import.meta.dirname, '../..')
/** A project folder inside the repository, so `rmbench/config` resolves as it does for a user's install. */
const project = (files: Record<string, string>) => {
  mkdirSync(join(ROOT, '.cache'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, '.cache', 'config-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

t.test('a TypeScript config with the rmbench/config helper, a local import and a built-in', async (t) => {
  const dir = project({
    'bench.config.ts': "import { defineConfig } from 'rmbench/config'\nimport { join } from 'node:path'\nimport { shared } from './models.ts'\nconst size: number = 2\nexport default defineConfig({ defaultModel: 'a', models: { ...shared, b: join('onnx:', 'x') }, reportsDir: `out${size}` })\n",
    'models.ts': "export const shared: Record<string, string> = { a: 'baseline:length' }\n",
  })
  const c = await loadConfig(dir)
  t.equal(c.defaultModel, 'a')
  t.equal(c.models.a, 'baseline:length')
  t.equal(c.models.b, 'onnx:/x')
  t.equal(c.reportsDir, 'out2')
  t.equal(c.root, dir)
})

t.test('a TypeScript config that imports a package goes through the loader and still works', async (t) => {
  const dir = project({ 'bench.config.ts': "import { parse } from 'yaml'\nexport default { defaultModel: parse('name: m').name as string }\n" })
  t.equal((await loadConfig(dir)).defaultModel, 'm')
})

t.test('the library entry works as the helper too', async (t) => {
  const dir = project({ 'bench.config.ts': "import { defineConfig } from 'rmbench'\nexport default defineConfig({ defaultModel: 'z' })\n" })
  t.equal((await loadConfig(dir)).defaultModel, 'z')
})

t.test('JavaScript configs, and broken ones as coded errors naming the file', async (t) => {
  t.equal((await loadConfig(project({ 'bench.config.mjs': "export default { defaultModel: 'j' }\n" }))).defaultModel, 'j')
  const broken = project({ 'bench.config.ts': 'export default {\n  defaultModel: ,\n}\n' })
  await t.rejects(loadConfig(broken), { code: 'E_CONFIG', message: new RegExp(`${join(broken, 'bench.config.ts').replace(/[/.]/g, '\\$&')}: cannot load config`) })
  await t.rejects(loadConfig(project({ 'bench.config.ts': 'export default { colour: 1 }\n' })), { code: 'E_CONFIG', message: /unknown config field 'colour'/ })
})

t.test('a remembered build is reused while every file it was built from is unchanged', async (t) => {
  const memoDir = mkdtempSync(join(tmpdir(), 'rmbench-config-memo-'))
  const memo = new ScoreCache(memoDir)
  const dir = project({
    'bench.config.ts': "import { shared } from './models.ts'\nexport default { defaultModel: shared }\n",
    'models.ts': "export const shared: string = 'first'\n",
  })
  t.equal((await loadConfig(dir, undefined, memo)).defaultModel, 'first')
  const [entry] = readdirSync(join(memoDir, 'configs'))
  const file = join(memoDir, 'configs', entry)
  const kept = JSON.parse(readFileSync(file, 'utf8')) as { code: string; inputs: [string, string][] }
  t.same(kept.inputs.map(([f]) => f).sort(), [join(dir, 'bench.config.ts'), join(dir, 'models.ts')])
  // Mark the remembered code: a load that used it shows the mark, one that rebuilt would not.
  writeFileSync(file, JSON.stringify({ ...kept, code: kept.code.replace('"first"', '"remembered"') }))
  t.equal((await loadConfig(dir, undefined, memo)).defaultModel, 'remembered', 'not built again')
  writeFileSync(join(dir, 'models.ts'), "export const shared: string = 'second'\n")
  t.equal((await loadConfig(dir, undefined, memo)).defaultModel, 'second', 'an imported file changed: built again')
  t.equal((await loadConfig(dir, undefined, memo)).defaultModel, 'second')

  const withPackage = project({ 'bench.config.ts': "import { parse } from 'yaml'\nexport default { defaultModel: parse('name: p').name as string }\n" })
  t.equal((await loadConfig(withPackage, undefined, memo)).defaultModel, 'p')
  t.equal((await loadConfig(withPackage, undefined, memo)).defaultModel, 'p', 'remembered as one for the loader')
})
