import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { RmbenchError } from '../errors.ts'
import { ScoreStore } from '../run/score-store.ts'
import { DurableAppends } from './durable-appends.ts'

t.test('text is in the file when append returns; settled waits for every sync', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'rmbench-appends-')), 'log.jsonl')
  const calls: (() => void)[] = []
  // A sync that finishes only when the test says so: settled() must wait for it.
  const a = new DurableAppends((e) => e, (fd, done) => calls.push(() => done(null)))
  a.append(file, 'one\n')
  a.append(file, 'two\n')
  t.equal(readFileSync(file, 'utf8'), 'one\ntwo\n', 'written before any sync finished')
  let settled = false
  const waiting = a.settled().then(() => (settled = true))
  await new Promise((r) => setImmediate(r))
  t.notOk(settled, 'not settled while a sync is in flight')
  calls.shift()!()
  await new Promise((r) => setImmediate(r))
  t.notOk(settled, 'one of two syncs is not enough')
  calls.shift()!()
  await waiting
  t.ok(settled)
})

t.test('the real fsync settles', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'rmbench-appends-')), 'log.jsonl')
  const a = new DurableAppends((e) => e)
  for (let i = 0; i < 20; i++) a.append(file, `${i}\n`)
  await a.settled()
  t.equal(readFileSync(file, 'utf8').split('\n').length, 21)
})

t.test("a failed sync is the store's coded error, from flush() and from every later append", async (t) => {
  // EIO from fsync cannot be caused on a healthy disk: the sync function is the one thing replaced.
  const store = new ScoreStore(join(mkdtempSync(join(tmpdir(), 'rmbench-appends-')), 'records.jsonl'))
  const eio = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
  const cannotWrite = (e: unknown) => (store as unknown as { cannotWrite(e: unknown): Error }).cannotWrite(e)
  Object.assign(store, { syncs: new DurableAppends(cannotWrite, (fd, done) => setImmediate(() => done(eio))) })
  store.append('0123456789abcdef', ['k'], [{ value: 1 }])
  const err = await store.flush().then(() => null, (e: unknown) => e)
  t.ok(err instanceof RmbenchError)
  t.equal((err as RmbenchError).code, 'E_SCORE_STORE')
  t.match((err as Error).message, /records\.jsonl \(EIO\)/)
  t.throws(() => store.append('0123456789abcdef', ['k2'], [{ value: 2 }]), { code: 'E_SCORE_STORE' }, 'no further scores are taken after a lost sync')
})
