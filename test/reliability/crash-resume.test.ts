import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createRng } from '../../src/stats/rng.ts'
import { cliAsync, ROOT, testEnv, tmp } from '../e2e/helpers.ts'
import { BIG, writeBenchModel } from '../../bench/make-bench-model.ts'
import { recordFigures } from './figures.ts'

// The bench's transformer-shaped model (2 blocks, hidden 256), batch size 1: many session.run calls, so a kill can
// land between any two of them, and each chunk of the quickstart takes tens of milliseconds (the quickstart's own
// linear model scores a chunk in a few, faster than a busy machine lets this test look at it).
const modelDir = join(tmp(), 'model')
writeBenchModel(modelDir, BIG)
const MODEL = `onnx:${modelDir}?batch_size=1`
const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [])
const scores = (dir: string) => readFileSync(join(dir, 'scores.jsonl'), 'utf8')
const figures = { 'runs killed (SIGKILL)': 0, 'runs stopped (Ctrl-C)': 0, 'runs resumed': 0, 'torn writes planted': 0, 'records compared': 0, 'records lost': 0, 'records duplicated': 0 }

let uninterrupted: Promise<{ ref: string; unique: number }> | undefined
/** The uninterrupted run every interrupted one is compared with (run once, shared by the tests). */
function reference(): Promise<{ ref: string; unique: number }> {
  uninterrupted ??= (async () => {
    const ref = join(tmp(), 'ref')
    const r = await cliAsync(['run', 'suites/quickstart', '-q', '--model', MODEL, '--out', ref])
    if (r.code !== 0) throw new Error(r.stderr)
    return { ref, unique: JSON.parse(readFileSync(join(ref, 'results.json'), 'utf8')).counts.unique }
  })()
  return uninterrupted
}

/** Blocks this thread for `ms`: a timer may oversleep on a busy machine, and the child runs for as long as it sleeps. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/**
 * Starts a run and sends `signal` once it has recorded `target` scores; resolves with how many records it left. The
 * child runs in slices of about a millisecond and its records are counted while it is stopped (SIGSTOP), so however
 * fast it scores a chunk (a few ms here) or however busy the machine is, it cannot run far past the target unseen.
 */
async function interrupted(out: string, signal: NodeJS.Signals, target: number): Promise<{ kept: number; code: number | null }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/rmbench.js'), 'run', 'suites/quickstart', '-q', '--model', MODEL, '--out', out], { cwd: ROOT, stdio: 'ignore', env: testEnv() })
  let exited = false
  const done = new Promise<number | null>((r) => child.on('exit', (c) => { exited = true; r(c) }))
  for (;;) {
    // A turn of the event loop, so that the child's exit is seen.
    await new Promise((r) => setImmediate(r))
    if (exited) break
    child.kill('SIGSTOP')
    if (lines(join(out, 'records.jsonl')).length >= target) break
    child.kill('SIGCONT')
    pause(1)
  }
  if (!exited) {
    child.kill(signal)
    // SIGKILL ends a stopped process at once; SIGINT is handled when it runs again.
    child.kill('SIGCONT')
  }
  const code = await done
  return { kept: lines(join(out, 'records.jsonl')).length, code }
}

/** Checks a resumed run against the uninterrupted one: same per-example scores, each request recorded once. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function same(t: { equal(...a: any[]): unknown }, out: string, ref: string, unique: number): void {
  const recs = lines(join(out, 'records.jsonl')).map((l) => JSON.parse(l) as { key: string })
  const keys = new Set(recs.map((r) => r.key))
  figures['records compared'] += recs.length
  figures['records lost'] += Math.max(0, unique - keys.size)
  figures['records duplicated'] += recs.length - keys.size
  t.equal(keys.size, unique, 'no request lost')
  t.equal(recs.length, keys.size, 'no request recorded twice')
  t.equal(scores(out), scores(ref), 'per-example scores identical to the uninterrupted run')
}

t.test('SIGKILL at random points, then resume: nothing lost, nothing duplicated, identical scores', async (t) => {
  const d = tmp()
  const { ref, unique } = await reference()
  const rng = createRng(2026)
  for (let i = 0; i < 5; i++) {
    const out = join(d, `k${i}`)
    const target = 1 + Math.floor(rng.next() * (unique - 2))
    const { kept } = await interrupted(out, 'SIGKILL', target)
    figures['runs killed (SIGKILL)']++
    t.ok(kept < unique, `killed after ${kept} of ${unique} records (aimed at ${target})`)
    t.notOk(existsSync(join(out, 'results.json')), 'no results.json from the killed run')
    const r = await cliAsync(['run', 'suites/quickstart', '-q', '--model', MODEL, '--out', out])
    figures['runs resumed']++
    t.equal(r.code, 0, r.stderr)
    same(t, out, ref, unique)
  }
})

t.test('Ctrl-C stops after the current batch with exit 130; the resumed run matches', async (t) => {
  const d = tmp()
  const { ref, unique } = await reference()
  const out = join(d, 'int')
  const { code, kept } = await interrupted(out, 'SIGINT', Math.floor(unique / 3))
  figures['runs stopped (Ctrl-C)']++
  t.ok(code === 130 || (code === 0 && kept === unique), `exit ${code} with ${kept} records`)
  const r = await cliAsync(['run', 'suites/quickstart', '-q', '--model', MODEL, '--out', out, '--resume'])
  figures['runs resumed']++
  t.equal(r.code, 0, r.stderr)
  same(t, out, ref, unique)
})

t.test('a torn last record (a write cut mid-line) is detected, discarded and recomputed', async (t) => {
  const d = tmp()
  const { ref, unique } = await reference()
  const out = join(d, 'torn')
  await interrupted(out, 'SIGKILL', Math.floor(unique / 2))
  appendFileSync(join(out, 'records.jsonl'), '{"fp":"0123456789abcdef","key":"00ff","val')
  figures['torn writes planted']++
  const r = await cliAsync(['run', 'suites/quickstart', '-q', '--model', MODEL, '--out', out])
  figures['runs resumed']++
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /1 torn or unsound line\(s\) \(an interrupted write, .*\) were discarded/)
  same(t, out, ref, unique)
})

t.teardown(() => recordFigures('2 crashes and interruptions', figures))
