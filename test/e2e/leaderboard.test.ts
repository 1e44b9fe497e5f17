import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cli, precomputedSuite, tmp } from './helpers.ts'

const CHROMIUM = process.env.RMBENCH_CHROMIUM ?? '/usr/bin/chromium'
const EVIL = '<img src=x onerror=alert(1)>'
const N = 400

/**
 * Five runs of one 400-pair suite and one of an edited version of it:
 * top 80% right; close 79.25% (3 pairs fewer: not significantly different, same group); mid 60% (significantly
 * worse: group 2); an HTML-named model at 50%; a partial run (40 ids missing); `old` ran a different suite version.
 */
function board() {
  const { d, model } = precomputedSuite(N)
  const runs = {
    top: model('top', (i) => i >= 320),
    close: model('close', (i) => i >= 320 || i < 3),
    mid: model('mid', (i) => i >= 320 || i < 80),
    evil: model(EVIL, (i) => i % 2 === 0),
    partial: model('partial', (i) => i >= 320, { skip: (i) => i >= 360 }),
  }
  const v2 = tmp({ 'suite.yaml': readFileSync(join(d, 'suite.yaml'), 'utf8') + 'description: edited\n', 'd.jsonl': readFileSync(join(d, 'd.jsonl'), 'utf8') })
  const old = model('old', (i) => i >= 300, { suiteDir: v2 })
  return { d, runs, old }
}

t.test('leaderboard: ranks, significance groups, flags, md/csv/json, model pages', async (t) => {
  const { d } = board()
  const out = join(d, 'site')
  const r = cli(['leaderboard', join(d, 'runs/*'), '--out', out])
  t.equal(r.code, 0, r.stderr)
  const lb = JSON.parse(readFileSync(join(out, 'leaderboard.json'), 'utf8'))
  t.equal(lb.suites.length, 1)
  const s = lb.suites[0]
  const rows = s.rows.map((x: { model: string; rank: number; group: number; score: number; flags: string[] }) => [x.model, x.rank, x.group, x.score])
  // partial: 320 right of 360 scored = 0.8889 — ranked first, but flagged.
  t.same(rows, [
    ['precomputed-partial', 1, 1, 320 / 360],
    ['precomputed-top', 2, 1, 0.8],
    ['precomputed-close', 3, 1, 317 / 400],
    ['precomputed-mid', 4, 2, 0.6],
    [`precomputed-${EVIL}`, 5, 3, 0.5],
  ])
  t.match(s.rows[0].flags, ['partial: 360 of 400 examples scored'])
  t.same(s.columns, ['a', 'b'])
  t.equal(s.otherVersions.length, 1)
  t.match(s.otherVersions[0].flags[0], /^different suite version .*not ranked/)
  const md = readFileSync(join(out, 'leaderboard.md'), 'utf8')
  t.match(md, /\| 2 \| 1 \| precomputed-top \| 80\.00 \| [\d.]+ – [\d.]+ \| 80\.00 \| 80\.00 \| 400\/400 \|  \|/)
  t.match(md, /precomputed-&lt;img src=x onerror=alert\(1\)&gt;/)
  t.notOk(md.includes(EVIL))
  const csv = readFileSync(join(out, 'leaderboard.csv'), 'utf8').trim().split('\n')
  t.equal(csv.length, 1 + 6)
  t.match(csv[0], /^suite,rank,group,model,spec,score,ci_low,ci_high,col:a,col:b,scored,examples,complete,ranked,flags/)
  t.match(csv[6], /^gated,,,precomputed-old,/, 'the other-version run is listed, unranked')
  for (const row of s.rows) t.ok(existsSync(join(out, row.page)), `page ${row.page}`)
  t.notOk(readFileSync(join(out, 'index.html'), 'utf8').includes(EVIL), 'the model name is escaped in the index')
})

t.test('leaderboard bad input: duplicate model names, nothing found, hand-edited results (exit 2)', async (t) => {
  const { d, runs } = board()
  const copy = tmp()
  writeFileSync(join(copy, 'results.json'), readFileSync(join(runs.top, 'results.json')))
  const dup = cli(['leaderboard', runs.top, copy, '--out', join(d, 'x')])
  t.equal(dup.code, 2)
  t.match(dup.stderr, /E_LEADERBOARD: model 'precomputed-top' appears twice on suite 'gated'/)
  const empty = cli(['leaderboard', tmp(), '--out', join(d, 'x')])
  t.equal(empty.code, 2)
  t.match(empty.stderr, /E_RESULTS: .*no results\.json there/)
  const edited = JSON.parse(readFileSync(join(runs.mid, 'results.json'), 'utf8'))
  delete edited.counts
  writeFileSync(join(runs.mid, 'results.json'), JSON.stringify(edited))
  const bad = cli(['leaderboard', join(d, 'runs'), '--out', join(d, 'x')])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /E_RESULTS: .*mid.*results\.json does not match schemas\/results\.schema\.json/)
  t.notMatch(bad.stderr, /\n\s+at /)
})

t.test('headless Chromium: sort by a column, filter, follow a model link; names escaped; no errors', { skip: !existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM}` : false }, async (t) => {
  const { d } = board()
  const out = join(d, 'site')
  t.equal(cli(['leaderboard', join(d, 'runs'), '--out', out]).code, 0)
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] })
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('dialog', (dg) => { problems.push(`dialog: ${dg.message()}`); void dg.dismiss() })
  await page.goto(`file://${join(out, 'index.html')}`)
  const models = () => page.$$eval('table.board >> nth=0 >> tbody tr:not([hidden])', (trs) => trs.map((tr) => tr.getAttribute('data-model')))
  t.same(await models(), ['precomputed-partial', 'precomputed-top', 'precomputed-close', 'precomputed-mid', `precomputed-${EVIL}`], 'ranked order first')
  await page.click('table.board >> nth=0 >> th:has-text("score") button')
  t.same(await models(), ['precomputed-partial', 'precomputed-top', 'precomputed-close', 'precomputed-mid', `precomputed-${EVIL}`], 'score descending')
  await page.click('table.board >> nth=0 >> th:has-text("score") button')
  t.same(await models(), [`precomputed-${EVIL}`, 'precomputed-mid', 'precomputed-close', 'precomputed-top', 'precomputed-partial'], 'score ascending on the second click')
  await page.click('table.board >> nth=0 >> th:has-text("model") button')
  const byName = await models()
  t.same(byName, [...byName].sort((a, b) => a!.toLowerCase().localeCompare(b!.toLowerCase())), 'text columns sort A to Z on the first click')
  t.equal(byName[1], 'precomputed-close')
  await page.fill('#filter', 'TOP')
  t.same(await models(), ['precomputed-top'], 'the filter box keeps matching rows, case-insensitively')
  await page.fill('#filter', '')
  t.equal((await models()).length, 5)
  t.ok((await page.evaluate(() => document.body.innerText)).includes(EVIL), 'the HTML-named model shows as text')
  t.equal(await page.$$eval('img', (x) => x.length), 0)
  await page.click(`a:has-text("precomputed-mid")`)
  t.match(page.url(), /models\/gated--precomputed-mid\.html$/)
  t.match(await page.textContent('h1'), /gated · precomputed:/)
  t.ok(await page.$$eval('figure[data-chart] svg', (x) => x.length) >= 3, 'the model page has its charts')
  await page.click('text=← leaderboard')
  t.match(page.url(), /index\.html$/)
  t.same(problems, [], 'no console errors (a blocked script would be one), page errors or dialogs')
})
