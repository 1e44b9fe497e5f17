import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from './helpers.ts'

// bin/rmbench.js runs the bundle only while no file or folder under src/ is newer than it; otherwise the sources
// through tsx, so an edit never runs stale code. A copy of the bin beside a stand-in bundle and stand-in sources
// says which one ran.
t.test('the bin runs the bundle only while it is newer than every source file and folder', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rmbench-bin-'))
  mkdirSync(join(d, 'bin'))
  mkdirSync(join(d, 'dist/cli'), { recursive: true })
  mkdirSync(join(d, 'src/cli/deep'), { recursive: true })
  copyFileSync(join(ROOT, 'bin/rmbench.js'), join(d, 'bin/rmbench.js'))
  writeFileSync(join(d, 'package.json'), '{"type":"module"}')
  symlinkSync(join(ROOT, 'node_modules'), join(d, 'node_modules'))
  writeFileSync(join(d, 'dist/cli/rmbench.cjs'), "exports.runMain = async () => process.stdout.write('bundle')\n")
  writeFileSync(join(d, 'src/cli/main.ts'), "export async function runMain() { process.stdout.write('source') }\n")
  writeFileSync(join(d, 'src/cli/deep/other.ts'), 'export {}\n')
  const at = (path: string, seconds: number) => utimesSync(join(d, path), seconds, seconds)
  const old = 1_700_000_000
  const age = () => {
    for (const p of ['src', 'src/cli', 'src/cli/deep', 'src/cli/main.ts', 'src/cli/deep/other.ts']) if (existsSync(join(d, p))) at(p, old)
    at('dist/cli/rmbench.cjs', old + 100)
  }
  const ran = (env: Record<string, string> = {}) => spawnSync(process.execPath, [join(d, 'bin/rmbench.js')], { encoding: 'utf8', env: { ...process.env, RMBENCH_FROM_SOURCE: '', ...env } }).stdout

  age()
  t.equal(ran(), 'bundle', 'bundle newer than everything')
  t.equal(ran({ RMBENCH_FROM_SOURCE: '1' }), 'source', 'RMBENCH_FROM_SOURCE=1 forces the sources')
  at('src/cli/deep/other.ts', old + 200)
  t.equal(ran(), 'source', 'a file edited in a nested folder')
  age()
  unlinkSync(join(d, 'src/cli/deep/other.ts'))
  t.equal(ran(), 'source', 'a file deleted (only its folder changed)')
  age()
  renameSync(join(d, 'src/cli/deep'), join(d, 'src/cli/moved'))
  at('src/cli/moved', old)
  t.equal(ran(), 'source', 'a folder renamed (its parent changed)')
  at('src/cli', old)
  t.equal(ran(), 'bundle', 'all old again')
  unlinkSync(join(d, 'dist/cli/rmbench.cjs'))
  t.equal(ran(), 'source', 'no bundle')
})

t.test("the bundle runs with V8's code cache, kept for its exact text only; import() goes through the bin", async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rmbench-bin-'))
  mkdirSync(join(d, 'bin'))
  mkdirSync(join(d, 'dist/cli'), { recursive: true })
  mkdirSync(join(d, 'src'))
  copyFileSync(join(ROOT, 'bin/rmbench.js'), join(d, 'bin/rmbench.js'))
  writeFileSync(join(d, 'package.json'), '{"type":"module"}')
  utimesSync(join(d, 'src'), 1_700_000_000, 1_700_000_000)
  const bundle = join(d, 'dist/cli/rmbench.cjs')
  // Two bundles of the same length: V8 knows a cached script's source only by its length.
  const text = (v: string) => `exports.runMain = async (argv) => { const { join } = await __rmbenchHostImport('node:path'); process.stdout.write(join('${v}', argv[0])) }\n`
  const ran = (arg: string) => spawnSync(process.execPath, [join(d, 'bin/rmbench.js'), arg], { encoding: 'utf8' })
  writeFileSync(bundle, text('A'))
  const first = ran('x')
  t.equal(first.stdout, 'A/x', 'runs, and its import() is served')
  t.equal(first.status, 0)
  const cache = readFileSync(`${bundle}.v8-cache`)
  t.equal(cache.subarray(0, 64).toString(), createHash('sha256').update(text('A')).digest('hex'), 'the cache starts with the bundle\'s sha256')
  t.ok(cache.length > 64, 'and holds V8\'s code')
  t.equal(ran('y').stdout, 'A/y', 'a run from the cache, import() still served')
  t.ok(readFileSync(`${bundle}.v8-cache`).equals(cache), 'an accepted cache is not rewritten')
  writeFileSync(bundle, text('B'))
  t.equal(ran('z').stdout, 'B/z', 'a rebuilt bundle of the same length runs its own code, not the cached code')
  t.equal(readFileSync(`${bundle}.v8-cache`).subarray(0, 64).toString(), createHash('sha256').update(text('B')).digest('hex'), 'and its cache replaces the old one')
  writeFileSync(`${bundle}.v8-cache`, 'garbage')
  t.equal(ran('w').stdout, 'B/w', 'a damaged cache is ignored')
})
