import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from './helpers.ts'

// bin/rmbench.js runs dist/ only while no file or folder under src/ is newer than the build's stamp (dist/.built);
// otherwise the sources through tsx, so an edit never runs stale code. An installed package has no src/ (nor a
// stamp) and always runs dist/. A copy of the bin beside a stand-in build and stand-in sources says which one ran.
t.test('the bin runs the build only while it is newer than every source file and folder', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rmbench-bin-'))
  mkdirSync(join(d, 'bin'))
  mkdirSync(join(d, 'dist/cli'), { recursive: true })
  mkdirSync(join(d, 'src/cli/deep'), { recursive: true })
  copyFileSync(join(ROOT, 'bin/rmbench.js'), join(d, 'bin/rmbench.js'))
  writeFileSync(join(d, 'package.json'), '{"type":"module"}')
  symlinkSync(join(ROOT, 'node_modules'), join(d, 'node_modules'))
  writeFileSync(join(d, 'dist/cli/main.js'), "export async function runMain(argv) { process.stdout.write('built' + argv.join(',')) }\n")
  writeFileSync(join(d, 'dist/.built'), '')
  writeFileSync(join(d, 'src/cli/main.ts'), "export async function runMain(argv: string[]) { process.stdout.write('source' + argv.join(',')) }\n")
  writeFileSync(join(d, 'src/cli/deep/other.ts'), 'export {}\n')
  const at = (path: string, seconds: number) => utimesSync(join(d, path), seconds, seconds)
  const old = 1_700_000_000
  const age = () => {
    for (const p of ['src', 'src/cli', 'src/cli/deep', 'src/cli/main.ts', 'src/cli/deep/other.ts']) if (existsSync(join(d, p))) at(p, old)
    at('dist/.built', old + 100)
  }
  const ran = (env: Record<string, string> = {}, args: string[] = []) => spawnSync(process.execPath, [join(d, 'bin/rmbench.js'), ...args], { encoding: 'utf8', env: { ...process.env, RMBENCH_FROM_SOURCE: '', ...env } }).stdout

  age()
  t.equal(ran(), 'built', 'build newer than everything')
  t.equal(ran({}, ['a', 'b']), 'builta,b', 'the arguments are passed on')
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
  t.equal(ran(), 'built', 'all old again')
  unlinkSync(join(d, 'dist/.built'))
  t.equal(ran(), 'source', 'no stamp (a build that did not finish): the sources')
  rmSync(join(d, 'src'), { recursive: true })
  t.equal(ran(), 'built', 'no src/ (an installed package): the build, stamp or not')
  t.equal(ran({ RMBENCH_FROM_SOURCE: '1' }), 'built', 'RMBENCH_FROM_SOURCE=1 with no sources still runs')
})
