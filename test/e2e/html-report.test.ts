import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cli, tmp } from './helpers.ts'

const CHROMIUM = process.env.RMBENCH_CHROMIUM ?? '/usr/bin/chromium'
const EVIL = '<img src=x onerror=alert(1)>'
const SCRIPT = '<script>window.pwned = 1</script>'

/** A pairwise suite whose prompts, answers and a subset name carry markup, with the length-bias analysis. */
function evilRun(t: { equal(a: unknown, b: unknown, m: string): unknown }): string {
  const rows = Array.from({ length: 24 }, (_, i) => ({
    id: `r${i}`,
    subset: i % 3 === 0 ? EVIL : i % 3 === 1 ? 'plain' : SCRIPT,
    prompt: i % 2 ? EVIL : `question ${i}`,
    chosen: `${i % 2 ? SCRIPT : 'answer'} ${'detail '.repeat(i % 5)}`,
    rejected: `${EVIL} ${'pad '.repeat((i * 7) % 6)}`,
  }))
  const d = tmp({ 'suite.yaml': 'name: evil-html\ntask: pairwise\ndata: { source: d.jsonl }\nanalyses: [length-bias]\nstats: { bootstrap: 200 }\n', 'd.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') + '\n' })
  const out = join(d, 'out')
  const r = cli(['run', d, '-q', '--out', out, '--model', 'baseline:length', '--png'])
  t.equal(r.code, 0, r.stderr)
  return out
}

t.test('report.html is self-contained, escapes dataset text, and has every chart as SVG; .vl.json and PNG beside it', async (t) => {
  const out = evilRun(t)
  const html = readFileSync(join(out, 'report.html'), 'utf8')
  t.notOk(html.includes(EVIL), 'the raw <img> never appears')
  t.notOk(html.includes('<script'), 'no script element at all')
  t.notMatch(html, /\b(src|href)=["']?(https?:)?\/\//, 'nothing loads from the network')
  t.match(html, /Content-Security-Policy" content="default-src 'none'/)
  const charts = readdirSync(join(out, 'charts')).sort()
  const names = ['length-accuracy', 'margin-distribution', 'reward-length', 'subset-accuracy']
  t.same(charts.filter((f) => f.endsWith('.vl.json')), names.map((n) => `${n}.vl.json`))
  t.same(charts.filter((f) => f.endsWith('.png')), names.map((n) => `${n}.png`))
  for (const n of names) {
    const png = readFileSync(join(out, 'charts', `${n}.png`))
    t.same([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${n}.png is a PNG`)
    const spec = JSON.parse(readFileSync(join(out, 'charts', `${n}.vl.json`), 'utf8'))
    t.match(spec.$schema, /vega-lite\/v6/)
    t.match(html, new RegExp(`data-chart="${n}"><svg`), `${n} is inline SVG in the page`)
  }
})

t.test('report --stdout --format html|json|md and run --format', async (t) => {
  const out = evilRun(t)
  const html = cli(['report', out, '--stdout', '--format', 'html'])
  t.equal(html.code, 0, html.stderr)
  t.match(html.stdout, /^<!doctype html>/)
  t.equal(JSON.parse(cli(['report', out, '--stdout', '--format', 'json']).stdout).suite.name, 'evil-html')
  const bad = cli(['report', out, '--format', 'pdf'])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /E_USAGE: --format pdf: expected one of md, html, json/)
  const md = cli(['run', 'suites/quickstart', '-q', '--model', 'baseline:length', '--out', join(out, 'q'), '--format', 'md'])
  t.equal(md.code, 0, md.stderr)
  t.equal(md.stdout, readFileSync(join(out, 'q', 'report.md'), 'utf8'))
})

t.test('headless Chromium: every chart renders with marks, no console errors, dataset markup is text', { skip: !existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (.ci/run installs it)` : false }, async (t) => {
  const out = evilRun(t)
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] })
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  const problems: string[] = []
  const requests: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss() })
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()) })
  await page.goto(`file://${join(out, 'report.html')}`)
  const figures = await page.$$eval('figure[data-chart]', (fs) => fs.map((f) => ({
    name: f.getAttribute('data-chart'),
    svg: f.querySelector('svg') !== null,
    // vega draws each mark set as a g.mark-<type>; a chart with data has drawn items (paths, lines, text) in them.
    marks: f.querySelectorAll('g[class*="mark-"] > path, g[class*="mark-"] > line, g[class*="mark-"] > text, g[class*="mark-"] > rect').length,
    width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
  })))
  t.same(figures.map((f) => f.name).sort(), ['length-accuracy', 'margin-distribution', 'reward-length', 'subset-accuracy'])
  for (const f of figures) {
    t.ok(f.svg, `${f.name}: an <svg>`)
    t.ok(f.marks > 0, `${f.name}: ${f.marks} drawn marks`)
    t.ok(f.width > 100, `${f.name}: laid out (${f.width}px wide)`)
  }
  const body = await page.evaluate(() => document.body.innerText)
  t.ok(body.includes(EVIL), 'the <img> tag shows as text')
  t.ok(body.includes(SCRIPT), 'the <script> tag shows as text')
  t.equal(await page.$$eval('img', (x) => x.length), 0, 'no <img> element was created')
  t.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, 'no dataset script ran')
  t.same(problems, [], 'no console errors, warnings, page errors or dialogs')
  t.same(requests, [], 'the page made no network request')
})
