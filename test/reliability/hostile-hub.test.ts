import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import { loadDataset } from '../../src/data/load-dataset.ts'
import { isRmbenchError } from '../../src/errors.ts'
import { Hub } from '../../src/hub/hub-client.ts'
import { hubSettings } from '../../src/hub/settings.ts'
import type { SourceSpec } from '../../src/suite/types.ts'
import { FakeHub } from '../fake-hub/fake-hub.ts'
import { jsonl } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

// Class 9 (hub paths cannot escape the cache) and 10 (offline runs never drop data silently), against the local
// stand-in hub (test/fake-hub), here made hostile: it lists paths with '..', serves checksums that are paths and
// commits that are not shas. The property: a failed run, never a file written or read outside HF_HUB_CACHE.
const DS = { type: 'dataset' as const, name: 'org/evil' }
const figures = { hostile: 0, offline: 0, outside: 0 }
const rows = (n: number, from = 0) => jsonl(Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, prompt: 'q', chosen: 'c', rejected: 'r' })))

async function setup(t: { teardown(f: () => unknown): void }) {
  const fake = new FakeHub()
  await fake.start()
  t.teardown(() => fake.stop())
  const root = mkdtempSync(join(tmpdir(), 'rmbench-hostile-'))
  const cache = join(root, 'cache')
  const hub = (extra: Record<string, string> = {}) => new Hub(hubSettings({ env: { HF_ENDPOINT: fake.url, HF_HUB_CACHE: cache, ...extra } }))
  const load = (source: string, h: Hub, extra: Partial<SourceSpec> = {}) => loadDataset([{ source, ...extra } as SourceSpec], root, {}, { hub: () => h })
  return { fake, root, cache, hub, load }
}

/** Every path under `dir`, so a test can say nothing appeared outside the cache. */
const tree = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [])

async function code(f: () => Promise<unknown>): Promise<string | null> {
  try {
    await f()
    return null
  } catch (e) {
    if (!isRmbenchError(e)) throw e
    return `${e.code}: ${e.message}`
  }
}

t.test('a hostile hub: listed paths with .., checksums that are paths, commits that are not shas', async (t) => {
  const { fake, root, cache, hub, load } = await setup(t)
  const before = tree(root).filter((p) => !p.startsWith('cache'))
  // 1. A listing that names files outside the snapshot.
  const sha = fake.add('dataset', 'org/evil', { 'data/ok.jsonl': rows(2), 'data/../../../../escape.jsonl': rows(1) })
  t.match(await code(() => load(`hf://datasets/org/evil@${sha}/data/*.jsonl`, hub())), /E_HUB_HTTP: .*names a file path 'data\/\.\.\/\.\.\/\.\.\/\.\.\/escape\.jsonl' is not a safe path/)
  // 2. A checksum (etag) that is a path: the blob would be written outside blobs/.
  const sha2 = fake.add('dataset', 'org/evil', { 'data/a.jsonl': rows(2) }, { branch: 'b2' })
  fake.repos.get('datasets/org/evil')!.commits.get(sha2)!.get('data/a.jsonl')!.oid = '../../../../../tmp-escape'
  t.match(await code(() => load(`hf://datasets/org/evil@${sha2}/data/a.jsonl`, hub())), /E_HUB_HTTP: the hub's checksum '\.\.\/.*' is not a sha1 or sha256/)
  // 3. A branch that resolves to something that is not a commit sha.
  fake.add('dataset', 'org/evil', { 'data/b.jsonl': rows(1) }, { branch: 'b3', sha: '../../../../x'.padEnd(40, 'a') })
  t.match(await code(() => load('hf://datasets/org/evil@b3/data/b.jsonl', hub())), /E_HUB_(HTTP|NOT_FOUND)/)
  // 4. Revisions with .. (as a suite may spell them, %2F decoded): never a path under refs/.
  const h = hub()
  for (const rev of ['../../../x', 'refs/../../x', '..', '/etc']) t.match(await code(async () => h.cache.writeRef(DS, rev, sha)), /E_HUB_HTTP: revision .* is not a safe path/, `writeRef '${rev}'`)
  for (const rev of ['../../../x', '..']) t.match(await code(() => hub({ HF_HUB_OFFLINE: '1' }).resolveRevision(DS, rev)), /E_HUB_HTTP: revision .* is not a safe path/, `offline resolve '${rev}'`)
  figures.hostile += 10
  const after = tree(root).filter((p) => !p.startsWith('cache'))
  figures.outside = after.filter((p) => !before.includes(p)).length
  t.same(after, before, 'nothing was written outside the cache')
  t.notOk(existsSync(join(dirname(root), 'escape.jsonl')) || existsSync(join(dirname(root), 'tmp-escape')))
  t.ok(tree(cache).every((p) => !p.includes('..')), 'no cache path holds ..')
})

t.test('a snapshot link that points outside the cache is not used', async (t) => {
  const { fake, root, cache, hub, load } = await setup(t)
  const sha = fake.add('dataset', 'org/evil', { 'data/ok.jsonl': rows(3) })
  t.equal((await load(`hf://datasets/org/evil@${sha}/data/ok.jsonl`, hub())).examples.length, 3)
  const link = join(cache, 'datasets--org--evil', 'snapshots', sha, 'data', 'ok.jsonl')
  const outside = join(root, 'outside.jsonl')
  writeFileSync(outside, rows(1, 100))
  unlinkSync(link)
  symlinkSync(outside, link)
  figures.hostile++
  t.match(await code(() => load(`hf://datasets/org/evil@${sha}/data/ok.jsonl`, hub({ HF_HUB_OFFLINE: '1' }))), /E_HUB_OFFLINE: .*data\/ok\.jsonl/, 'offline: the planted link is not the cache\'s file')
  const online = await load(`hf://datasets/org/evil@${sha}/data/ok.jsonl`, hub())
  t.same(online.examples.map((e) => e.id), ['r0', 'r1', 'r2'], 'online: fetched again into the cache, the outside file never read')
})

t.test('offline, a glob or split whose files are partly cached is E_HUB_OFFLINE naming the missing files', async (t) => {
  const { fake, cache, hub, load } = await setup(t)
  const sha = fake.add('dataset', 'org/evil', { 'data/train-00000-of-00002.jsonl': rows(2), 'data/train-00001-of-00002.jsonl': rows(2, 2), 'README.md': '# x\n' })
  const online = await load(`hf://datasets/org/evil@${sha}/data/train-*.jsonl`, hub())
  t.equal(online.examples.length, 4)
  const split = await load(`hf://datasets/org/evil@${sha}`, hub(), { split: 'train' })
  t.equal(split.examples.length, 4)
  // A shard of the cache goes missing (a partial copy to an offline machine).
  rmSync(join(cache, 'datasets--org--evil', 'snapshots', sha, 'data', 'train-00001-of-00002.jsonl'))
  const off = hub({ HF_HUB_OFFLINE: '1' })
  for (const [what, f] of [['glob', () => load(`hf://datasets/org/evil@${sha}/data/train-*.jsonl`, off)], ['split', () => load(`hf://datasets/org/evil@${sha}`, off, { split: 'train' })]] as const) {
    figures.offline++
    t.match(await code(f), /E_HUB_OFFLINE: 1 of the 2 files of .* \(data\/train-00001-of-00002\.jsonl\) is not in the hub cache/, `${what}: the missing file named, never a run over half the data`)
  }
  // A cache laid out by another tool (no list recorded): a glob cannot know what is missing, so it says so.
  rmSync(join(cache, 'datasets--org--evil', 'rmbench-listings'), { recursive: true })
  figures.offline++
  t.match(await code(() => load(`hf://datasets/org/evil@${sha}/data/train-*.jsonl`, off)), /E_HUB_OFFLINE: the file list of .* \(data\/train-\*\.jsonl\) is not in the hub cache/)
  // An exact file that is cached still runs offline.
  t.equal((await load(`hf://datasets/org/evil@${sha}/data/train-00000-of-00002.jsonl`, off)).examples.length, 2)
})

t.teardown(() => recordFigures('9 hub paths and offline lists', { 'hostile hub answers refused': figures.hostile, 'partial offline caches refused': figures.offline, 'files written outside the cache': figures.outside }))
