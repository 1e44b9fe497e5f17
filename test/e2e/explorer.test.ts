import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import type { Browser, Page } from 'playwright-core'
import { parse } from 'yaml'
import { readExplorerItems, writeExplorer } from '../../src/report/explorer/explorer-page.ts'
import type { ExplorerItem } from '../../src/report/explorer/explorer-items.ts'
import { cli, jsonl, ROOT, tmp } from './helpers.ts'

// The example explorer, used as a person would in Chromium: every filter, the search, the sorts and an opened
// example are checked against numbers computed here from scores.jsonl and the dataset itself, never from the page.
const CHROMIUM = process.env.RMBENCH_CHROMIUM ?? '/usr/bin/chromium'
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (.ci/run installs it)` : false

interface Row { id: string; group: string; margin: number; credit: number; raw: { chars: { chosen: number[]; rejected: number[] } } }
const rowsOf = (dir: string): Row[] => readFileSync(join(dir, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const statusOf = (r: Row) => (r.margin === 0 ? 'tie' : r.credit === 1 ? 'right' : 'wrong')

let browser: Browser
async function openPage(file: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  if (!browser) {
    const { chromium } = await import('playwright-core')
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] })
    t.teardown(() => browser.close())
  }
  const page = await browser.newPage({ viewport: { width, height: 900 } })
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss() })
  await page.goto(pathToFileURL(file).href)
  return { page, problems }
}
const shown = async (page: Page) => Number(await page.textContent('#shown'))
const firstIds = (page: Page, n: number) => page.evaluate((n) => [...document.querySelectorAll('#list .row')].slice(0, n).map((r) => r.querySelector('.line')!.textContent!.replace(/^(right|wrong|tie|partial|none|failed|A |B )+/g, '').split(' · ')[0]), n)

t.test('a run explorer: counts of every filter equal the run\'s, search equals a scan of the data, sorts and an opened example', { skip }, async (t) => {
  const d = tmp()
  const out = join(d, 'run')
  const r = cli(['run', 'suites/quickstart', '--model', 'onnx:fixtures/quickstart-rm', '-q', '--out', out])
  t.equal(r.code, 0, r.stderr)
  t.match(readFileSync(join(out, 'report.html'), 'utf8'), /<a href="explorer.html">Explore all 320 examples/, 'report.html links the explorer')
  const rows = rowsOf(out)
  const data = readFileSync(join(ROOT, 'suites/quickstart/data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  const suite = parse(readFileSync(join(ROOT, 'suites/quickstart/suite.yaml'), 'utf8'))
  const { page, problems } = await openPage(join(out, 'explorer.html'))

  t.equal(await shown(page), rows.length, 'every example, not ten')
  t.ok((await page.locator('#list .row').count()) < 40, 'only the rows in view are in the DOM')
  for (const status of ['right', 'wrong', 'tie']) {
    // Only this outcome ticked.
    for (const other of ['right', 'wrong', 'tie']) await page.setChecked(`#f-outcome-${other}`, other === status)
    t.equal(await shown(page), rows.filter((x) => statusOf(x) === status).length, `outcome ${status}`)
  }
  await page.click('#f-reset')
  for (const g of [...new Set(rows.map((x) => x.group))]) {
    await page.selectOption('#f-group', g)
    t.equal(await shown(page), rows.filter((x) => x.group === g).length, `subset ${g}`)
  }
  await page.click('#f-reset')
  for (const [name, spec] of Object.entries(suite.sections as Record<string, unknown>)) {
    const groups = Array.isArray(spec) ? spec : Object.keys(spec as object)
    await page.selectOption('#f-section', name)
    t.equal(await shown(page), rows.filter((x) => groups.includes(x.group)).length, `section ${name}`)
  }
  await page.click('#f-reset')
  for (const word of ['rainbow', 'SORRY', 'concise-vs-padded-4', 'no such text anywhere']) {
    await page.fill('#f-q', word)
    const expected = data.filter((x) => [x.id, x.prompt, x.chosen, x.rejected].join('\n').toLowerCase().includes(word.toLowerCase())).length
    t.equal(await shown(page), expected, `search "${word}"`)
  }
  await page.click('#f-reset')
  await page.fill('#f-mmin', '0')
  t.equal(await shown(page), rows.filter((x) => x.margin >= 0).length, 'margin ≥ 0')
  await page.fill('#f-mmax', '5')
  t.equal(await shown(page), rows.filter((x) => x.margin >= 0 && x.margin <= 5).length, '0 ≤ margin ≤ 5')
  await page.click('#f-reset')
  const ld = (x: Row) => x.raw.chars.chosen[0] - x.raw.chars.rejected[0]
  await page.fill('#f-lmax', '-100')
  t.equal(await shown(page), rows.filter((x) => ld(x) <= -100).length, 'length difference ≤ −100')
  await page.click('#f-reset')

  const byMargin = rows.map((x, i) => ({ x, i })).sort((a, b) => b.x.margin - a.x.margin || a.i - b.i).map((e) => e.x.id)
  await page.selectOption('#f-sort', 'margin-desc')
  t.same(await firstIds(page, 5), byMargin.slice(0, 5), 'sorted by margin, highest first')
  await page.selectOption('#f-sort', 'margin-asc')
  t.same(await firstIds(page, 5), [...byMargin].reverse().slice(0, 5).sort((a, b) => rows.find((r) => r.id === a)!.margin - rows.find((r) => r.id === b)!.margin || rows.findIndex((r) => r.id === a) - rows.findIndex((r) => r.id === b)), 'lowest first')
  const byLen = rows.map((x, i) => ({ x, i })).sort((a, b) => ld(b.x) - ld(a.x) || a.i - b.i).map((e) => e.x.id)
  await page.selectOption('#f-sort', 'len-desc')
  t.same(await firstIds(page, 3), byLen.slice(0, 3), 'sorted by length difference')

  await page.locator('#list .row').nth(2).click()
  const id = byLen[2]
  const want = data.find((x) => x.id === id)
  const detail = await page.evaluate(() => ({ h: document.querySelector('#detail h2')!.textContent, prompt: document.querySelector('#detail .prompt')!.textContent, resps: [...document.querySelectorAll('#detail .resp pre')].map((p) => p.textContent) }))
  t.equal(detail.h, id, 'the clicked example opens')
  t.equal(detail.prompt, want.prompt)
  t.same(detail.resps, [want.chosen, want.rejected], 'both responses, side by side, as the data has them')
  t.same(problems, [], 'no page errors')
})

t.test('responses that differ in a few words have those words highlighted; hostile text stays text', { skip }, async (t) => {
  const rows = [
    { id: 'p1', subset: 'facts', prompt: 'Capital of France?', chosen: 'The capital of France is Paris, on the Seine.', rejected: 'The capital of France is Lyon, on the Seine.' },
    { id: 'p2', subset: 'facts', prompt: '</script><script>alert(1)</script>', chosen: '<img src=x onerror=alert(2)> fine answer', rejected: 'Something else entirely, not close at all to it.' },
  ]
  const d = tmp({ 'suite.yaml': 'name: diff\ntask: pairwise\ndata: { source: d.jsonl }\nstats: { bootstrap: 50 }\n', 'd.jsonl': jsonl(rows) })
  t.equal(cli(['run', d, '--model', 'baseline:length', '-q', '--out', join(d, 'run')]).code, 0)
  const { page, problems } = await openPage(join(d, 'run', 'explorer.html'))
  await page.selectOption('#f-sort', 'id')
  await page.locator('#list .row').nth(0).click()
  t.same(await page.$$eval('#detail .resp mark', (m) => m.map((e) => e.textContent)), ['Paris', 'Lyon'], 'the differing words, and only they')
  await page.locator('#list .row').nth(1).click()
  t.equal(await page.$$eval('#detail .resp mark', (m) => m.length), 0, 'different texts: nothing highlighted')
  t.equal(await page.textContent('#detail .prompt'), rows[1].prompt, 'markup shown as text')
  t.equal(await page.$$eval('img', (x) => x.length), 0)
  t.same(problems, [])
})

t.test('a self-preference run shows the judge\'s outputs', { skip }, async (t) => {
  const d = tmp()
  t.equal(cli(['run', 'suites/self-preference-mini', '--model', 'verdicts:./suites/self-preference-mini/judge-lm-verdicts.jsonl', '-q', '--out', join(d, 'sp')]).code, 0)
  const { page, problems } = await openPage(join(d, 'sp', 'explorer.html'))
  const rows = readFileSync(join(d, 'sp', 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.equal(await shown(page), rows.length)
  const first = rows.find((r) => typeof r.pAB === 'number')
  await page.fill('#f-q', first.id)
  const at = (await firstIds(page, 50)).indexOf(first.id)
  await page.locator('#list .row').nth(at).click()
  t.equal(await page.textContent('#detail h2'), first.id)
  const text = await page.textContent('#detail .kv')
  t.match(text, `P(A), AB order: ${first.pAB.toFixed(3)}`, 'the judge\'s P(A) in the shown order')
  t.match(text, `model A: ${first.models[0]}`)
  t.same(problems, [])
})

t.test('compare --html: the paired examples, opening on the discordant ones, counts equal McNemar\'s cells', { skip }, async (t) => {
  const d = tmp()
  for (const [m, o] of [['onnx:fixtures/quickstart-rm', 'a'], ['baseline:length', 'b']]) t.equal(cli(['run', 'suites/quickstart', '--model', m, '-q', '--out', join(d, o)]).code, 0)
  const html = join(d, 'cmp.html')
  const c = cli(['compare', join(d, 'a'), join(d, 'b'), '--json', '--html', html])
  t.equal(c.code, 0, c.stderr)
  const acc = JSON.parse(c.stdout).metrics.find((m: { metric: string }) => m.metric === 'accuracy')
  const [onlyA, onlyB] = acc.discordant as [number, number]
  const A = rowsOf(join(d, 'a'))
  const B = new Map(rowsOf(join(d, 'b')).map((r) => [r.id, r]))
  const { page, problems } = await openPage(html)
  t.equal(await page.inputValue('#f-pairs'), 'discordant', 'opens on the discordant pairs')
  t.equal(await shown(page), A.filter((r) => r.credit !== B.get(r.id)!.credit).length, 'discordant = credits differ')
  await page.selectOption('#f-pairs', 'a-better')
  t.equal(await shown(page), onlyA, 'A right, B wrong = McNemar\'s first cell')
  await page.selectOption('#f-pairs', 'b-better')
  t.equal(await shown(page), onlyB)
  await page.selectOption('#f-pairs', 'all')
  t.equal(await shown(page), A.length)
  t.match(await page.textContent('table.stats'), /accuracy/, 'the paired statistics on top')
  t.same(problems, [])
  const cmp = cli(['compare', join(d, 'a'), join(d, 'b'), '--html', join(d, 'no-such-dir', 'x.html')])
  t.equal(cmp.code, 2, 'an unwritable --html is a coded error')
  t.match(cmp.stderr, /E_IO.*no-such-dir/)
})

t.test('100,000 examples: the page opens, filters and keeps only the visible rows in the DOM', { skip }, async (t) => {
  const d = tmp()
  const groups = ['alpha', 'beta', 'gamma', 'delta']
  const items: ExplorerItem[] = Array.from({ length: 100_000 }, (_, i) => ({
    id: `ex-${i}`, g: groups[i % 4], sec: [], p: [['user', `question number ${i} about ${groups[(i * 7) % 4]}`]],
    r: [['chosen', `an answer of some length for ${i} `.repeat(3)], ['rejected', `a worse answer ${i % 97 === 0 ? 'needle' : ''}`]], nc: 1,
    lc: 100 + (i % 50), lr: 60, x: [{ c: i % 3 === 0 ? 0 : 1, m: (i % 200) - 50, t: 0, s: [1, 0] }],
  }))
  writeExplorer(d, { title: 'big', subtitle: '', runs: ['m'], marginLabel: 'm', stats: { head: [], rows: [] } }, items)
  t.equal(readExplorerItems(join(d, 'explorer.html'))!.length, 100_000)
  const { page, problems } = await openPage(join(d, 'explorer.html'))
  t.equal(await shown(page), 100_000)
  const timings: Record<string, number> = {}
  const time = async (what: string, act: () => Promise<void>, expected: number) => {
    await act()
    t.equal(await shown(page), expected, what)
    timings[what] = Number(await page.getAttribute('#count', 'data-ms'))
  }
  await time('subset', () => page.selectOption('#f-group', 'beta').then(() => undefined), 25_000)
  await time('outcome', () => page.setChecked('#f-outcome-wrong', false), 25_000 - items.filter((x, i) => i % 4 === 1 && x.x[0]!.c === 0).length)
  await page.click('#f-reset')
  await time('margin range', () => page.fill('#f-mmin', '100'), items.filter((x) => x.x[0]!.m! >= 100).length)
  await page.click('#f-reset')
  await time('text search (first: builds the index)', () => page.fill('#f-q', 'needle'), items.filter((_, i) => i % 97 === 0).length)
  await time('text search', () => page.fill('#f-q', 'needl'), items.filter((_, i) => i % 97 === 0).length)
  t.ok((await page.locator('#list .row').count()) < 60, 'only the visible rows are in the DOM')
  await page.evaluate(() => { const l = document.getElementById('list')!; l.scrollTop = l.scrollHeight / 2 })
  await page.waitForTimeout(100)
  t.ok((await page.locator('#list .row').count()) < 60, 'still so after scrolling')
  // Timing is reported, not asserted (the machine running the tests decides it): see the closing notes.
  t.comment(`filter times at 100,000 examples (ms, filter + sort in the page): ${JSON.stringify(timings)}`)
  t.same(problems, [])
})

t.test('a streamed run writes the explorer from its windows, with every example', async (t) => {
  const rows = Array.from({ length: 1200 }, (_, i) => ({ id: `s${i}`, subset: i % 2 ? 'odd' : 'even', prompt: `p${i}`, chosen: 'c'.repeat(i % 13), rejected: 'r'.repeat(i % 7) }))
  const d = tmp({ 'suite.yaml': 'name: streamed\ntask: pairwise\ndata: { source: d.jsonl }\nstats: { bootstrap: 50 }\n', 'd.jsonl': jsonl(rows) })
  const r = cli(['run', d, '--model', 'baseline:length', '--stream', '-q', '--out', join(d, 'run')])
  t.equal(r.code, 0, r.stderr)
  const items = readExplorerItems(join(d, 'run', 'explorer.html'))!
  t.same(items.map((i) => i.id), rows.map((x) => x.id), 'all examples, in data order')
  t.same(items.map((i) => i.x[0]!.m), rows.map((x) => x.chosen.length - x.rejected.length), 'margins of the length baseline')
})
