import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { rmbenchVersion } from '../run/provenance.ts'
import { codeStamp, codeStampOf, newestMtime } from './code-stamp.ts'

t.test('the code stamp: the newest file or folder under the code\'s own tree (src/ or dist/)', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'rmbench-stamp-'))
  mkdirSync(join(root, 'src/util'), { recursive: true })
  mkdirSync(join(root, 'src/run/deep'), { recursive: true })
  mkdirSync(join(root, 'dist/util'), { recursive: true })
  for (const f of ['src/util/code-stamp.ts', 'src/run/deep/x.ts', 'dist/util/code-stamp.js', 'dist/cli.js']) writeFileSync(join(root, f), '')
  const at = (p: string, s: number) => utimesSync(join(root, p), s, s)
  for (const p of ['src/util/code-stamp.ts', 'src/run/deep/x.ts', 'src/run/deep', 'src/run', 'src/util', 'src']) at(p, 1000)
  for (const p of ['dist/util/code-stamp.js', 'dist/util', 'dist']) at(p, 4000)
  at('dist/cli.js', 5000)
  const self = join(root, 'src/util/code-stamp.ts')
  t.equal(newestMtime(join(root, 'src')), 1_000_000)
  t.equal(codeStampOf(self), `${rmbenchVersion()}:1000000`)
  t.equal(codeStampOf(join(root, 'dist/util/code-stamp.js')), `${rmbenchVersion()}:5000000`, 'compiled: the newest file under dist/, not the module itself')
  at('src/run/deep/x.ts', 2000)
  t.equal(codeStampOf(self), `${rmbenchVersion()}:2000000`, 'a file edited in another folder')
  at('src/run/deep/x.ts', 1000)
  rmSync(join(root, 'src/run/deep/x.ts'))
  t.not(codeStampOf(self), `${rmbenchVersion()}:1000000`, 'a file deleted changes its folder')
  t.match(codeStamp(), new RegExp(`^${rmbenchVersion().replace(/\./g, '\\.')}:\\d+(\\.\\d+)?$`), 'this process: from the sources')
  t.equal(codeStamp(), codeStamp(), 'worked out once')
})
