import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT, testEnv, tmp } from './helpers.ts'

// What a user gets from `npm install rmbench`: the tarball `npm pack` makes, installed into an empty folder, run
// there with plain Node (no TypeScript loader, no sources). dist/ is already built (npm test's pretest): pack with
// --ignore-scripts, so this test never rebuilds the dist/ the other tests are running.
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', env: testEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }), timeout: 240_000 })

/** README's API example, exactly as README shows it. */
function readmeApiExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n## API'))
  const m = /```ts\n([\s\S]*?)```/.exec(section)
  if (!m) throw new Error('README has no ```ts block under ## API')
  return m[1]
}

t.test('npm pack + install into an empty folder: the CLI and the API example run on plain Node', async (t) => {
  const packs = tmp()
  const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packs], ROOT)) as { filename: string; files: { path: string }[] }[]
  const files = packed.files.map((f) => f.path)
  for (const f of ['bin/rmbench.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/config/define-config.d.ts', 'dist/suite/schema-validators.generated.js', 'schemas/suite.schema.json', 'suites/quickstart/suite.yaml', 'fixtures/quickstart-rm/model.onnx', 'examples/hf-reward-model/export_rm.py', 'examples/hf-reward-model/check_export.py', 'README.md'])
    t.ok(files.includes(f), `the tarball has ${f}`)
  t.same(files.filter((f) => /^(src|test|bench|scripts|\.ci)\//.test(f) || /\.test\.|\.built$|fixtures\/scripts|selftest|github-actions/.test(f)), [], 'and no sources, tests, benches or build scripts')
  t.same(files.filter((f) => f.endsWith('.d.ts') && /['"]\.{1,2}\/[^'"]+\.ts['"]/.test(readFileSync(join(ROOT, f), 'utf8'))), [], 'declarations import ./x.js, never ./x.ts')

  const app = tmp({ 'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }) })
  npm(['install', join(packs, packed.filename), '--prefer-offline'], app)
  const pkg = JSON.parse(readFileSync(join(app, 'node_modules/rmbench/package.json'), 'utf8'))
  t.notOk(existsSync(join(app, 'node_modules/tsx')), 'no TypeScript loader is installed with it')
  t.notOk('tsx' in pkg.dependencies, 'tsx is not a dependency')

  const env = testEnv({ ORT_DISABLE_TELEMETRY: undefined })
  const version = spawnSync('npx', ['--no-install', 'rmbench', '--version'], { cwd: app, env, encoding: 'utf8' })
  t.equal(version.stdout.trim(), pkg.version, `npx rmbench --version: ${version.stderr}`)
  const run = spawnSync('npx', ['--no-install', 'rmbench', 'run', 'quickstart', '--model', 'quickstart-rm', '--out', 'out', '-q'], { cwd: app, env, encoding: 'utf8', timeout: 120_000 })
  t.equal(run.status, 0, `npx rmbench run quickstart: ${run.stderr}`)
  const result = JSON.parse(readFileSync(join(app, 'out/results.json'), 'utf8'))
  t.equal(result.metrics.score.value, 1 / 3, 'the bundled model on the bundled suite: score 33.33 (one of its three sections right)')
  t.equal(result.counts.scored, 320)

  writeFileSync(join(app, 'api.mjs'), readmeApiExample())
  const api = spawnSync(process.execPath, ['api.mjs'], { cwd: app, env, encoding: 'utf8', timeout: 120_000 })
  t.equal(api.status, 0, `README's API example under plain Node: ${api.stderr}`)
  t.match(api.stdout, /value: 0\.\d+/, 'prints the score metric')
  t.ok(existsSync(join(app, 'reports/api/results.json')), 'and wrote its run folder')

  // The same example type-checks against the shipped declarations; the @ts-expect-error line fails the check if
  // the declarations resolved to `any` (a broken import in a .d.ts is silent under skipLibCheck).
  writeFileSync(join(app, 'api.ts'), `${readmeApiExample()}\n// @ts-expect-error loadSuite takes a path or a name\nloadSuite(42)\n`)
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] }, files: ['api.ts'] }))
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' })
  t.equal(tsc.status, 0, `tsc on README's API example against dist/*.d.ts: ${tsc.stdout}${tsc.stderr}`)
})
