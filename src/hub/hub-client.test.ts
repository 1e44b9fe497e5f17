import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { FakeHub } from '../../test/fake-hub/fake-hub.ts'
import { Hub } from './hub-client.ts'
import { hubSettings } from './settings.ts'

const DS = { type: 'dataset', name: 'org/prefs' } as const
const big = Buffer.from(Array.from({ length: 5000 }, (_, i) => `row ${i}\n`).join(''))

async function setup(t: { teardown(f: () => unknown): void }, env: Record<string, string> = {}) {
  const fake = new FakeHub()
  const sha = fake.add('dataset', 'org/prefs', { 'data/test-00000-of-00001.jsonl': big, 'README.md': '# prefs\n' })
  await fake.start()
  t.teardown(() => fake.stop())
  const cache = mkdtempSync(join(tmpdir(), 'rmbench-hub-'))
  const make = (extra: Record<string, string> = {}) => new Hub(hubSettings({ env: { HF_ENDPOINT: fake.url, HF_HUB_CACHE: cache, ...env, ...extra } }))
  return { fake, sha, cache, make }
}


t.test('resolves a branch to its commit, records refs/, and lists files', async (t) => {
  const { sha, cache, make } = await setup(t)
  const hub = make()
  t.equal(await hub.resolveRevision(DS, 'main'), sha)
  t.equal(readFileSync(join(cache, 'datasets--org--prefs', 'refs', 'main'), 'utf8'), sha, 'refs/main holds the sha, as huggingface_hub writes it')
  const files = await hub.listFiles(DS, sha)
  t.same(files.map((f) => f.path), ['README.md', 'data/test-00000-of-00001.jsonl'])
  t.ok(files[1].lfsSha256, 'large files are LFS with a sha256')
})

t.test('downloads into blobs/ with a relative snapshot link; a second call is served from the cache', async (t) => {
  const { fake, sha, cache, make } = await setup(t)
  const hub = make()
  const [readme, data] = await hub.listFiles(DS, sha)
  const p = await hub.download(DS, sha, data)
  t.same(readFileSync(p), big)
  t.ok(lstatSync(p).isSymbolicLink())
  t.equal(readlinkSync(p), `../../../blobs/${data.lfsSha256}`, 'snapshots/<sha>/data/x → ../../../blobs/<sha256>')
  t.ok(existsSync(join(cache, 'datasets--org--prefs', 'blobs', readme.oid!)) === false, 'only what was asked is downloaded')
  const before = fake.log.length
  await hub.download(DS, sha, data)
  t.equal(fake.log.length, before, 'no request for a cached file')
})

t.test('a dropped connection resumes from where it stopped (Range) and the blob is verified', async (t) => {
  const { fake, sha, make } = await setup(t)
  const hub = make()
  const [, data] = await hub.listFiles(DS, sha)
  fake.faults.dropAfter = { bytes: 10_000, count: 1 }
  const p = await hub.download(DS, sha, data)
  t.same(readFileSync(p), big)
  // The socket is cut after at most 10,000 bytes (fewer may arrive before the cut): the retry starts where they ended.
  const resumed = fake.log.map((r) => /^bytes=(\d+)-/.exec(r.range ?? '')).filter((m) => m && Number(m[1]) > 0).map((m) => Number(m![1]))
  t.ok(resumed.length === 1 && resumed[0] <= 10_000, `the retry asked for the missing bytes only (from ${resumed})`)
})

t.test('corrupt bytes are discarded and downloaded again; persistent corruption is a coded error with no cache entry', async (t) => {
  const { fake, sha, cache, make } = await setup(t)
  const hub = make()
  const [, data] = await hub.listFiles(DS, sha)
  fake.faults.corrupt = { count: 1 }
  t.same(readFileSync(await hub.download(DS, sha, data)), big, 'one bad download is retried')

  const other = mkdtempSync(join(tmpdir(), 'rmbench-hub-'))
  const hub2 = make({ HF_HUB_CACHE: other })
  fake.faults.corrupt = { count: 100 }
  await t.rejects(hub2.download(DS, sha, data), { code: 'E_HUB_CORRUPT', message: /do not match the hub's checksum/ })
  const blobs = join(other, 'datasets--org--prefs', 'blobs')
  t.same(existsSync(blobs) ? readdirSync(blobs) : [], [], 'no blob, no partial file left')
  t.notOk(hub2.cache.has(DS, sha, data.path))
  t.ok(cache)
})

t.test('hub errors are coded and say what to do', async (t) => {
  const { fake, sha, make } = await setup(t)
  fake.add('dataset', 'org/gated', { 'a.jsonl': '{}\n' }, { gated: true })
  fake.add('dataset', 'org/private', { 'a.jsonl': '{}\n' }, { private: true })
  const hub = make()
  await t.rejects(hub.resolveRevision(DS, 'v9'), { code: 'E_HUB_NOT_FOUND', message: /revision not found in org\/prefs/ })
  await t.rejects(hub.resolveRevision({ type: 'dataset', name: 'org/nope' }, 'main'), { code: 'E_HUB_AUTH', message: /private, gated or does not exist.*Set HF_TOKEN/ })
  await t.rejects(hub.resolveRevision({ type: 'dataset', name: 'org/gated' }, 'main'), { code: 'E_HUB_AUTH', message: /is gated.*Set HF_TOKEN/ })
  await t.rejects(hub.download(DS, sha, { path: 'missing.jsonl', size: 3, oid: 'a'.repeat(40) }), { code: 'E_HUB_NOT_FOUND', message: /no such file/ })

  const bad = make({ HF_TOKEN: 'hf_wrongtoken123' })
  const e = await bad.resolveRevision({ type: 'dataset', name: 'org/private' }, 'main').catch((x) => x)
  t.equal(e.code, 'E_HUB_AUTH')
  t.match(e.message, /token from HF_TOKEN has no access/)
  t.notMatch(e.message, /hf_wrongtoken123/, 'the token is never echoed')

  const good = make({ HF_TOKEN: fake.token })
  t.match(await good.resolveRevision({ type: 'dataset', name: 'org/private' }, 'main'), /^[0-9a-f]{40}$/)
  t.ok(fake.log.some((r) => r.authorised), 'the token was sent as a bearer header')

  await t.rejects(make({ HF_TOKEN: 'not-a-token' }).resolveRevision(DS, 'main'), { code: 'E_HUB_AUTH', message: /not a Hugging Face access token/ })
})

t.test('unreachable hub and offline mode', async (t) => {
  const { fake, sha, make } = await setup(t)
  const hub = make()
  const [, data] = await hub.listFiles(DS, sha)
  await hub.resolveRevision(DS, 'main')
  await hub.download(DS, sha, data)
  await fake.stop()
  await t.rejects(make().resolveRevision(DS, 'dev'), { code: 'E_HUB_UNREACHABLE', message: /rmbench fetch.*--offline/ })
  const off = make({ HF_HUB_OFFLINE: '1' })
  t.equal(await off.resolveRevision(DS, 'main'), sha, 'refs/ answer offline')
  t.same((await off.listFiles(DS, sha)).map((f) => f.path), ['README.md', 'data/test-00000-of-00001.jsonl'], 'offline: the list recorded online, not only the files cached')
  t.ok(off.listingKnown(DS, sha), 'and it is known to be whole')
  t.notOk(off.listingKnown(DS, sha, 'data'), 'a folder never listed online is not')
  t.same(readFileSync(await off.download(DS, sha, { path: data.path, size: data.size })), big)
  await t.rejects(off.resolveRevision(DS, 'dev'), { code: 'E_HUB_OFFLINE', message: /revision 'dev' of hf:\/\/datasets\/org\/prefs@dev is not in the hub cache/ })
  await t.rejects(off.download(DS, sha, { path: 'README.md', size: 8 }), { code: 'E_HUB_OFFLINE', message: /README\.md is not in the hub cache/ })
})

t.test("reads a cache laid out by Python's huggingface_hub", async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'rmbench-hub-'))
  const sha = 'c'.repeat(40)
  const repo = join(cache, 'datasets--allenai--reward-bench')
  mkdirSync(join(repo, 'blobs'), { recursive: true })
  mkdirSync(join(repo, 'refs'))
  mkdirSync(join(repo, 'snapshots', sha, 'data'), { recursive: true })
  writeFileSync(join(repo, 'blobs', 'e'.repeat(64)), 'hello')
  writeFileSync(join(repo, 'refs', 'main'), sha)
  symlinkSync('../../../blobs/' + 'e'.repeat(64), join(repo, 'snapshots', sha, 'data', 'filtered-00000-of-00001.parquet'))
  const hub = new Hub(hubSettings({ env: { HF_HOME: join(cache, '..', 'unused'), HF_HUB_CACHE: cache, HF_HUB_OFFLINE: 'true' } }))
  const rb = { type: 'dataset', name: 'allenai/reward-bench' } as const
  t.equal(await hub.resolveRevision(rb, 'main'), sha)
  const [f] = await hub.listFiles(rb, sha, 'data')
  t.equal(f.path, 'data/filtered-00000-of-00001.parquet')
  t.equal(readFileSync(await hub.download(rb, sha, f), 'utf8'), 'hello')
})
