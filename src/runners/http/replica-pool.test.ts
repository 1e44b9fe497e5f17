import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { HttpFailure, parseRetryAfter } from './http-failure.ts'
import { ReplicaPool, type PoolEvent, type PoolOptions } from './replica-pool.ts'

/** A tiny real HTTP server whose behaviour per request is scripted; it tracks requests in flight. */
async function server(handle: (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>) {
  const s = { url: '', count: 0, inFlight: 0, maxInFlight: 0, times: [] as number[], auth: [] as (string | undefined)[], srv: null as Server | null }
  s.srv = createServer(async (req, res) => {
    const n = ++s.count
    s.times.push(Date.now())
    s.auth.push(req.headers.authorization)
    s.inFlight++
    s.maxInFlight = Math.max(s.maxInFlight, s.inFlight)
    res.on('close', () => s.inFlight--)
    for await (const _ of req);
    await handle(req, res, n)
  })
  await new Promise<void>((r) => s.srv!.listen(0, '127.0.0.1', r))
  s.url = `http://127.0.0.1:${(s.srv.address() as AddressInfo).port}`
  return s
}
const ok = (res: ServerResponse, body: unknown = { ok: true }, delay = 0): void => void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)), delay)
const opts = (o: Partial<PoolOptions> = {}): PoolOptions => ({ concurrency: 4, retries: 4, timeoutMs: 2000, backoffMs: 5, maxBackoffMs: 20, ejectAfter: 3, cooldownMs: 200, ...o })
const close = (...ss: { srv: Server | null }[]) => Promise.all(ss.map((s) => new Promise((r) => s.srv!.close(r))))
const read = (j: unknown) => j

t.test('Retry-After reads seconds and HTTP dates', async (t) => {
  t.equal(parseRetryAfter('2'), 2000)
  t.equal(parseRetryAfter(new Date(Date.now() + 3000).toUTCString(), Date.now()) ! > 1000, true)
  t.equal(parseRetryAfter(null), undefined)
  t.equal(parseRetryAfter('soon'), undefined)
})

t.test('spreads requests over replicas by fewest in flight, never over the per-replica limit', async (t) => {
  const ss = await Promise.all([0, 1, 2].map(() => server((_q, res) => ok(res, { ok: true }, 20))))
  const pool = new ReplicaPool(ss.map((s) => s.url), opts({ concurrency: 3 }))
  await Promise.all(Array.from({ length: 60 }, () => pool.post('/x', {}, read)))
  t.equal(ss.reduce((n, s) => n + s.count, 0), 60)
  for (const s of ss) t.ok(s.count >= 12, `each replica takes a fair share with equal latency (${ss.map((x) => x.count)})`)
  for (const s of ss) t.ok(s.maxInFlight <= 3, `at most 3 in flight (saw ${s.maxInFlight})`)
  t.equal(Math.max(...ss.map((s) => s.maxInFlight)), 3, 'the limit is used')
  await close(...ss)
})

t.test('a slow replica gets fewer requests', async (t) => {
  const fast = await server((_q, res) => ok(res, {}, 5))
  const slow = await server((_q, res) => ok(res, {}, 150))
  const pool = new ReplicaPool([fast.url, slow.url], opts({ concurrency: 2 }))
  await Promise.all(Array.from({ length: 40 }, () => pool.post('/x', {}, read)))
  t.ok(fast.count > 3 * slow.count, `fast ${fast.count} vs slow ${slow.count}`)
  await close(fast, slow)
})

t.test('retries 500, malformed JSON, a dropped body and a timeout; then succeeds', async (t) => {
  const s = await server((_q, res, n) => {
    if (n === 1) return void res.writeHead(500).end('{"message":"boom"}')
    if (n === 2) return void res.writeHead(200).end('{"data": [')
    if (n === 3) {
      res.writeHead(200, { 'content-length': '500' }).write('{"data":')
      return void setTimeout(() => res.socket!.destroy(), 5)
    }
    if (n === 4) return void ok(res, {}, 400) // past the 150 ms timeout
    ok(res, { fine: 1 })
  })
  const events: PoolEvent[] = []
  const pool = new ReplicaPool([s.url], opts({ timeoutMs: 150, ejectAfter: 10, onEvent: (e) => events.push(e) }))
  t.same(await pool.post('/x', {}, read), { fine: 1 })
  t.same(events.map((e) => (e.type === 'retry' ? e.failure.code : e.type)), ['E_HTTP_500', 'E_HTTP_MALFORMED', 'E_HTTP_NETWORK', 'E_HTTP_TIMEOUT'])
  t.same(pool.stats.retries, 4)
  await close(s)
})

t.test('429 with Retry-After pauses that replica for as long as asked', async (t) => {
  const s = await server((_q, res, n) => (n === 1 ? void res.writeHead(429, { 'retry-after': '1' }).end('{}') : ok(res)))
  const pool = new ReplicaPool([s.url], opts())
  await pool.post('/x', {}, read)
  t.equal(s.count, 2)
  t.ok(s.times[1] - s.times[0] >= 990, `second attempt ${s.times[1] - s.times[0]} ms after the first (asked: 1 s)`)
  await close(s)
})

t.test('429 on one replica sends the retry to another at once', async (t) => {
  const busy = await server((_q, res) => void res.writeHead(429, { 'retry-after': '30' }).end('{}'))
  const free = await server((_q, res) => ok(res))
  const pool = new ReplicaPool([busy.url, free.url], opts({ concurrency: 1 }))
  const t0 = Date.now()
  await Promise.all([pool.post('/x', {}, read), pool.post('/x', {}, read)])
  t.ok(Date.now() - t0 < 5000, 'did not wait out the 30 s pause')
  t.ok(free.count >= 2)
  await close(busy, free)
})

t.test('4xx is not retried; the failure names status and server message, never the key', async (t) => {
  const s = await server((_q, res) => void res.writeHead(400, { 'content-type': 'application/json' }).end('{"object":"error","message":"This model\'s maximum context length is 512 tokens"}'))
  const pool = new ReplicaPool([s.url], opts({ headers: { authorization: 'Bearer sk-secret-123' } }))
  const err = (await pool.post('/x', {}, read).catch((e: unknown) => e)) as HttpFailure
  t.ok(err instanceof HttpFailure)
  t.equal(err.code, 'E_HTTP_400')
  t.match(err.message, /maximum context length is 512/)
  t.notMatch(err.message, /sk-secret/)
  t.equal(s.count, 1)
  t.same(s.auth, ['Bearer sk-secret-123'], 'the key is sent')
  await close(s)
})

t.test('a replica that is down is taken out; the others carry the load; it comes back', async (t) => {
  const up = await server((_q, res) => ok(res, {}, 5))
  const down = await server((_q, res) => ok(res))
  const downUrl = down.url
  await close(down)
  const events: PoolEvent[] = []
  const pool = new ReplicaPool([downUrl, up.url], opts({ concurrency: 2, onEvent: (e) => events.push(e) }))
  await Promise.all(Array.from({ length: 30 }, () => pool.post('/x', {}, read)))
  t.equal(up.count, 30, 'every request answered by the live replica')
  t.ok(events.some((e) => e.type === 'eject' && e.endpoint === downUrl), 'the dead one was taken out')
  t.ok(pool.stats.byKind.E_HTTP_NETWORK >= 3)
  await close(up)
})

t.test('gives up after the retries, with the last failure', async (t) => {
  const s = await server((_q, res) => void res.writeHead(503).end('{"message":"overloaded"}'))
  const pool = new ReplicaPool([s.url], opts({ retries: 2 }))
  const err = (await pool.post('/x', {}, read).catch((e: unknown) => e)) as HttpFailure
  t.equal(err.code, 'E_HTTP_503')
  t.equal(s.count, 3, 'first attempt + 2 retries')
  t.equal(pool.stats.failed, 1)
  await close(s)
})

t.test('an abort stops at once and is not retried', async (t) => {
  const s = await server((_q, res) => ok(res, {}, 2000))
  const pool = new ReplicaPool([s.url], opts())
  const ac = new AbortController()
  setTimeout(() => ac.abort(new Error('stop')), 50)
  const t0 = Date.now()
  const err = (await pool.post('/x', {}, read, ac.signal).catch((e: unknown) => e)) as HttpFailure
  t.match(err.message, /stop/)
  t.ok(Date.now() - t0 < 1500)
  t.equal(s.count, 1)
  await close(s)
})

t.test('a well-formed answer of the wrong shape is not retried', async (t) => {
  const s = await server((_q, res) => ok(res, { nope: 1 }))
  const pool = new ReplicaPool([s.url], opts())
  const err = (await pool.post('/x', {}, () => { throw new Error("'data' is not a list") }).catch((e: unknown) => e)) as HttpFailure
  t.equal(err.code, 'E_HTTP_SHAPE')
  t.equal(s.count, 1)
  await close(s)
})
