import { existsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { RmbenchError } from '../errors.ts'
import { globBase, globToRegExp, hasGlob } from '../hub/glob.ts'
import { walkFiles } from '../util/walk-files.ts'

/**
 * The results.json files named by leaderboard arguments: a results.json, a run folder, a folder of run folders
 * (searched below), or a glob (`reports/*`, `runs/**\/results.json`). Sorted, each once.
 */
export function collectResultFiles(args: string[], cwd: string): string[] {
  if (!args.length) throw new RmbenchError('E_USAGE', 'name the runs: rmbench leaderboard <results.json | run folders | globs…> --out <dir>.')
  const found = new Set<string>()
  for (const arg of args) {
    const before = found.size
    if (hasGlob(arg)) {
      const base = resolve(cwd, globBase(arg))
      const re = globToRegExp(resolve(cwd, arg).slice(base.length + 1))
      for (const f of walkFiles(base)) {
        const full = join(base, f.path)
        // A glob may name run folders (reports/*) or the files themselves (reports/*/results.json).
        if (f.path.endsWith('results.json') && (re.test(f.path) || re.test(dirname(f.path)))) found.add(full)
      }
    } else {
      const p = resolve(cwd, arg)
      if (!existsSync(p)) throw new RmbenchError('E_RESULTS', `${arg} not found. Name results.json files, run folders, or globs.`, { file: arg })
      if (statSync(p).isDirectory()) for (const f of walkFiles(p)) { if (f.path === 'results.json' || f.path.endsWith('/results.json')) found.add(join(p, f.path)) }
      else found.add(p)
    }
    if (found.size === before) throw new RmbenchError('E_RESULTS', `${arg}: no results.json there. Run a suite first (rmbench run … --out <dir>).`, { file: arg })
  }
  return [...found].sort()
}
