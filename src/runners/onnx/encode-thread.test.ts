import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'
import { runSuite } from '../../run/run-suite.ts'
import { loadSuite } from '../../suite/load-suite.ts'
import { createRunner, parseModelSpec } from '../registry.ts'
import type { RewardRequest, Runner } from '../types.ts'
import { EncodeThread } from './encode-thread.ts'
import { loadModelFolder } from './model-folder.ts'
import { RequestEncoder } from './request-encoder.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const DIR = join(ROOT, 'fixtures/quickstart-rm')
const settings = { template: 'chat', maxLength: 12, truncationSide: 'left' as const, addSpecialTokens: false }
const reqs: RewardRequest[] = [
  { prompt: [{ role: 'user', content: 'Why is the sky blue?' }], response: 'Sunlight scatters off air molecules, and blue light scatters the most.' },
  { prompt: [{ role: 'user', content: 'Hi' }], response: 'Hello' },
]
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10))
}

t.test('the tokenizer thread encodes exactly as the main thread does, truncation included', async (t) => {
  const folder = loadModelFolder(DIR)
  const main = new RequestEncoder(folder, settings)
  const thread = new EncodeThread({ dir: DIR, modelFile: folder.modelFile, settings, tokenizerHash: main.tokenizerHash })
  await until(() => thread.ready)
  t.ok(thread.ready, 'the thread loaded its tokenizer')
  t.same(await thread.encode(reqs, 'reward'), reqs.map((r) => main.encode(r)))
  t.ok((await thread.encode(reqs, 'reward'))[0].truncated, 'the long request was cut to max_length on the thread too')
  t.same(await thread.encode(reqs, 'lm'), reqs.map((r) => main.encodeLm(r)))
  await thread.close()
  t.notOk(thread.ready)
  await t.rejects(Promise.race([thread.encode(reqs, 'reward'), new Promise((_, no) => setTimeout(() => no(new Error('closed thread took a job')), 2000))]))
})

t.test('a thread that cannot load its tokenizer never becomes ready', async (t) => {
  const thread = new EncodeThread({ dir: join(ROOT, 'no-such-model'), modelFile: 'x.onnx', settings, tokenizerHash: '0'.repeat(16) })
  await until(() => (thread as unknown as { state: string }).state !== 'starting')
  t.equal((thread as unknown as { state: string }).state, 'failed')
  t.notOk(thread.ready)
  await thread.close()
})

t.test('a run tokenised on the thread gives the same scores as one tokenised on the main thread', async (t) => {
  // batch_size=2 makes 64-request chunks, several for the quickstart suite.
  const suite = loadSuite(join(ROOT, 'suites/quickstart'))
  const out = mkdtempSync(join(tmpdir(), 'rmbench-thread-'))
  const run = async (threads: number) => {
    const spec = `onnx:fixtures/quickstart-rm?batch_size=2&tokenize_threads=${threads}`
    const runner = (await createRunner(parseModelSpec(spec), { warn: () => {}, cwd: ROOT })) as Runner & { tokenizedOnThread: number; thread: EncodeThread | null }
    // Two calls start the thread (as a run's second chunk does); wait for it, so the suite's chunks all use it.
    await runner.reward!(reqs)
    await runner.reward!(reqs)
    await until(() => runner.thread?.ready ?? true)
    runner.tokenizedOnThread = 0
    const o = await runSuite({ suite, runner, modelSpec: spec, outDir: join(out, String(threads)) })
    const onThread = runner.tokenizedOnThread
    await runner.dispose?.()
    return { onThread, scores: readFileSync(join(out, String(threads), 'scores.jsonl'), 'utf8'), requests: o.result!.counts.unique }
  }
  const on = await run(1)
  const off = await run(0)
  t.ok(on.requests > 16, `${on.requests} requests: several chunks`)
  t.ok(on.onThread > 0, `${on.onThread} requests tokenised on the thread`)
  t.equal(off.onThread, 0)
  t.equal(on.scores, off.scores, 'scores.jsonl byte for byte')
})

t.test('tokenize_threads takes 0 or 1', async (t) => {
  await t.rejects(createRunner(parseModelSpec('onnx:fixtures/quickstart-rm?tokenize_threads=4'), { warn: () => {}, cwd: ROOT }), { code: 'E_MODEL_SPEC', message: /tokenize_threads=4: expected one of 0, 1/ })
})

t.test('a started tokenizer thread never keeps the process alive, even when the runner is not disposed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rmbench-thread-exit-'))
  const script = join(dir, 'run.mts')
  writeFileSync(script, [
    `import { createRunner, parseModelSpec } from ${JSON.stringify(join(ROOT, 'src/runners/registry.ts'))}`,
    `const runner = await createRunner(parseModelSpec('onnx:fixtures/quickstart-rm?batch_size=2&tokenize_threads=1'), { warn: () => {}, cwd: ${JSON.stringify(ROOT)} })`,
    `const reqs = [{ prompt: [{ role: 'user', content: 'Hi' }], response: 'Hello' }]`,
    `await runner.reward(reqs); await runner.reward(reqs)`,
    `for (let i = 0; i < 300 && !runner.thread?.ready; i++) await new Promise((r) => setTimeout(r, 10))`,
    `await runner.reward(reqs)`,
    `console.log('on thread', runner.tokenizedOnThread)`,
  ].join('\n'))
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
  t.equal(r.signal, null, 'exited by itself (not killed at the timeout)')
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /on thread 1/)
})
