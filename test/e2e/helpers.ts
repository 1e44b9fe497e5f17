import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** Absolute path of the repository root. */
export const ROOT = resolve(import.meta.dirname, '../..')

/**
 * The environment of a CLI under test: the shared score cache is off unless a test turns it on (with its own
 * RMBENCH_CACHE_DIR), so no test is answered from scores another test, or the developer's runs, left behind.
 */
export function testEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, RMBENCH_NO_CACHE: '1', ...env }
}

/** Runs the real CLI (bin/rmbench.js) in a child process. */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/rmbench.js'), ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env: testEnv(opts.env), timeout: 120_000 })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** A fresh temp folder with the given files. */
export function tmp(files: Record<string, string | Uint8Array> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'rmbench-e2e-'))
  for (const [name, data] of Object.entries(files)) writeFileSync(join(d, name), data)
  return d
}

/** Runs the real CLI without blocking the event loop (needed when the test process also serves HTTP). */
export function cliAsync(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/rmbench.js'), ...args], { cwd: opts.cwd ?? ROOT, env: testEnv(opts.env) })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }))
  })
}

/** JSON lines of the given rows. */
export const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

/**
 * A pairwise suite of n pairs (subsets a/b alternating) in a temp folder, and a way to run precomputed "models" on
 * it: `wrong(i)` says which pairs the model ranks the wrong way; ids left out by `skip(i)` are unscored.
 */
export function precomputedSuite(n: number, suiteExtra = '') {
  const d = tmp({
    'suite.yaml': `name: gated\ntask: pairwise\ndata: { source: d.jsonl }\nstats: { bootstrap: 2000 }\n${suiteExtra}`,
    'd.jsonl': jsonl(Array.from({ length: n }, (_, i) => ({ id: `p${i}`, subset: i % 2 ? 'a' : 'b', prompt: 'q', chosen: 'c', rejected: 'r' }))),
  })
  const model = (name: string, wrong: (i: number) => boolean, o: { skip?: (i: number) => boolean; suiteDir?: string } = {}) => {
    const file = join(d, `${name}.jsonl`)
    writeFileSync(file, jsonl(Array.from({ length: n }, (_, i) => i).filter((i) => !o.skip?.(i)).map((i) => ({ id: `p${i}`, chosen: wrong(i) ? 0 : 1, rejected: wrong(i) ? 1 : 0 }))))
    const out = join(d, 'runs', name.replace(/[^a-z0-9-]/gi, '_'))
    // Skipped ids are failures the test means to make: allowed, so the run exits 0.
    const r = cli(['run', o.suiteDir ?? d, '-q', '--model', `precomputed:${file}`, '--out', out, ...(o.skip ? ['--max-failures', '100%'] : [])])
    if (r.code !== 0) throw new Error(r.stderr)
    return out
  }
  return { d, model }
}
