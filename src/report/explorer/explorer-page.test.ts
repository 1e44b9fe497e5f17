import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { Example } from '../../data/types.ts'
import { explorerItem, MAX_EXPLORER_TEXT } from './explorer-items.ts'
import { ExplorerWriter, readExplorerItems, scriptJson, writeExplorer, type ExplorerMeta } from './explorer-page.ts'

const meta: ExplorerMeta = { title: 'demo <b>', subtitle: 's', runs: ['m'], marginLabel: 'chosen − rejected', stats: { head: ['metric'], rows: [['<i>x</i>']] } }
const ex = (id: string, chosen: string, rejected = 'no'): Example => ({ id, group: 'g', prompt: [{ role: 'user', content: 'q' }], chosen: [chosen], rejected: [rejected], origin: { file: 'f', line: 1 } })
const run = { c: 1, m: 0.5, t: 0 as const, s: [1, 0.5] }

t.test('scriptJson: no text can end the data block or open a comment, and it parses back to the same value', async (t) => {
  const hostile = ['</script><script>alert(1)</script>', '<!-- x', '</SCRIPT >', '\u2028\u2029', '<\u0000>']
  const text = scriptJson(hostile)
  t.notMatch(text, /<\/script|<!--|</i)
  t.same(JSON.parse(text), hostile)
})

t.test('the page: one script, whose hash is the only one the policy admits; data read back as written', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rmb-ex-'))
  const items = [explorerItem(ex('a', '</script><img src=x onerror=alert(1)>'), ['chosen', 'rejected'], [run]), explorerItem(ex('b', 'x'.repeat(MAX_EXPLORER_TEXT + 5)), ['chosen', 'rejected'], [null], [], ['E_X: failed'])]
  const file = writeExplorer(d, meta, items)
  const html = readFileSync(file, 'utf8')
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])
  t.equal(scripts.length, 1, 'one executable script')
  const policy = /content="([^"]+)"/.exec(html)![1]
  const hash = createHash('sha256').update(scripts[0]).digest('base64')
  t.match(policy, `script-src 'sha256-${hash}'`)
  t.notMatch(policy, /unsafe-inline'[^;]*script|script-src[^;]*unsafe/, 'no unsafe script source')
  t.notMatch(html, /<img/, 'dataset markup is inert data')
  t.match(html, /<title>demo &lt;b&gt; · explorer<\/title>/)
  t.match(html, /<td>&lt;i&gt;x&lt;\/i&gt;<\/td>/)
  const back = readExplorerItems(file)!
  t.same(back.map((i) => i.id), ['a', 'b'])
  t.equal(back[0].r[0][1], '</script><img src=x onerror=alert(1)>', 'text read back whole')
  t.match(back[1].r[0][1], /^x{20000}\n… \[cut here: 5 more characters in the dataset\]$/, 'a long text is cut and says by how much')
  t.same(back[1].x, [null])
  t.same(back[1].e, ['E_X: failed'])
  t.same(readdirSync(d), ['explorer.html'], 'no temporary file left')
  t.equal(readExplorerItems(join(d, 'missing.html')), null)
})

t.test('past its budget the page keeps numbers whole and texts as previews, and says how many', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rmb-ex-'))
  const w = new ExplorerWriter(join(d, 'explorer.html'), 3000)
  for (let i = 0; i < 10; i++) w.add(explorerItem(ex(`e${i}`, 'y'.repeat(1000)), ['chosen', 'rejected'], [run]))
  w.finish(meta)
  const back = readExplorerItems(join(d, 'explorer.html'))!
  t.equal(back.length, 10)
  const cut = back.filter((i) => i.r[0][1].includes('[preview:'))
  t.equal(cut.length, 7, 'the three that fit are whole, the seven after are previews')
  t.same(cut.map((i) => i.x), Array(7).fill([run]), 'numbers whole')
  t.match(readFileSync(join(d, 'explorer.html'), 'utf8'), /The last 7 of 10 examples show 400-character previews/)
})

t.test('abandon leaves nothing behind', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rmb-ex-'))
  const w = new ExplorerWriter(join(d, 'explorer.html'))
  w.add(explorerItem(ex('a', 'x'), ['chosen', 'rejected'], [run]))
  w.abandon()
  t.same(readdirSync(d), [])
  t.notOk(existsSync(join(d, 'explorer.html')))
})
