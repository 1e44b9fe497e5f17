import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLValidator } from 'fast-xml-parser'
import t from 'tap'
import { cliAsync, jsonl, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

const CHROMIUM = process.env.RMBENCH_CHROMIUM ?? '/usr/bin/chromium'
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>window.pwned = 1</script>',
  '<a href="javascript:alert(1)">click</a>',
  'javascript:alert(document.domain)',
  '"><svg onload=alert(1)>',
  '\u0000\u0001\u0007\u001b[31mred\u001b[0m\u007f\u202eevil\u202c',
  ']]></name><injected/>',
  '`rm -rf` | **bold** [link](javascript:alert(1))',
  '=HYPERLINK("http://x")',
  'x'.repeat(200_000),
]
const figures = { 'hostile strings': HOSTILE.length, 'pages opened in Chromium': 0, 'Markdown/CSV files checked': 0, 'JUnit files validated': 0, 'scripts run / dialogs': 0 }

t.test('hostile dataset text and model names: escaped in HTML, Markdown, CSV and JUnit; nothing runs in Chromium', async (t) => {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    id: `r${i}`,
    subset: HOSTILE[i % 5],
    prompt: HOSTILE[i % HOSTILE.length],
    chosen: `${HOSTILE[(i + 3) % HOSTILE.length]} ${'ok '.repeat(i % 7)}`,
    rejected: `${HOSTILE[(i + 5) % HOSTILE.length]} ${'no '.repeat((i * 3) % 5)}`,
  }))
  const d = tmp({ 'suite.yaml': 'name: hostile\ntask: pairwise\ndata: { source: d.jsonl }\nanalyses: [length-bias]\nstats: { bootstrap: 200 }\n', 'd.jsonl': jsonl(rows) })
  const evilName = '<img src=x onerror=alert(2)>'
  writeFileSync(join(d, 'c.mjs'), `export default { models: { ${JSON.stringify(evilName)}: 'baseline:length', 'javascript:alert(3)': 'baseline:random' } }\n`)
  const runs = join(d, 'runs')
  for (const [name, m] of [['a', evilName], ['b', 'javascript:alert(3)']]) {
    const r = await cliAsync(['run', d, '-q', '--config', join(d, 'c.mjs'), '--model', m, '--out', join(runs, name)])
    t.equal(r.code, 0, r.stderr)
  }
  const au = await cliAsync(['audit', join(runs, 'a'), join(runs, 'b'), '--out', join(d, 'audit'), '-q'])
  t.equal(au.code, 0, au.stderr)
  const lb = await cliAsync(['leaderboard', runs, '--out', join(d, 'board')])
  t.equal(lb.code, 0, lb.stderr)
  const junit = join(d, 'gate.xml')
  const md = join(d, 'gate.md')
  const cmp = await cliAsync(['compare', '--baseline', join(runs, 'a'), '--candidate', join(runs, 'b'), '--max-drop', '0', '--junit', junit, '--markdown', md])
  t.ok(cmp.code === 0 || cmp.code === 1, cmp.stderr)

  // Markdown and CSV: no live markup, no control characters, formulas defused.
  const texts = [join(runs, 'a', 'report.md'), join(d, 'board', 'leaderboard.md'), join(d, 'board', 'leaderboard.csv'), md]
  for (const f of texts) {
    const s = readFileSync(f, 'utf8')
    figures['Markdown/CSV files checked']++
    if (!f.endsWith('.csv')) t.notMatch(s, /<img|<script|<svg|<a href/i, `${f}: no raw markup (CSV is not markup: its cells are data)`)
    t.notMatch(s, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/, `${f}: no control characters`)
    t.notMatch(s, /(?<!\\)\]\(javascript:/, `${f}: no javascript: link (brackets are escaped)`)
  }
  t.notMatch(readFileSync(join(d, 'board', 'leaderboard.csv'), 'utf8'), /(^|,)=HYPERLINK/m, 'CSV formula defused')
  const xml = readFileSync(junit, 'utf8')
  figures['JUnit files validated']++
  t.equal(XMLValidator.validate(xml), true, 'JUnit is valid XML')
  t.notMatch(xml, /<injected\/>/)

  if (!existsSync(CHROMIUM) && !process.env.CI) return void t.comment(`skipped the browser part: no Chromium at ${CHROMIUM} (.ci/run installs it)`)
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] })
  t.teardown(() => browser.close())
  const pages = [join(runs, 'a', 'report.html'), join(d, 'audit', 'audit.html'), join(runs, 'a', 'explorer.html'), join(runs, 'b', 'explorer.html'), join(d, 'board', 'index.html'), ...readdirSync(join(d, 'board')).filter((f) => f.endsWith('.html') && f !== 'index.html').map((f) => join(d, 'board', f))]
  const modelPages = existsSync(join(d, 'board', 'models')) ? readdirSync(join(d, 'board', 'models')).filter((f) => f.endsWith('.html')).map((f) => join(d, 'board', 'models', f)) : []
  for (const file of [...pages, ...modelPages]) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('dialog', (dlg) => { problems.push(`dialog: ${dlg.message()}`); void dlg.dismiss() })
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
    await page.goto(`file://${file}`)
    figures['pages opened in Chromium']++
    // An explorer renders an example's texts when it is opened: open every one of them.
    if (file.endsWith('explorer.html')) {
      await page.focus('#list')
      const opened = new Set([await page.textContent('#detail h2')])
      for (let i = 1; i < rows.length; i++) {
        await page.keyboard.press('ArrowDown')
        opened.add(await page.textContent('#detail h2'))
      }
      t.equal(opened.size, rows.length, `${file}: every example opened (arrow keys)`)
    }
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { pwned?: number }).pwned,
      imgs: document.querySelectorAll('img').length,
      jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href')!)).length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    }))
    figures['scripts run / dialogs'] += problems.filter((p) => p.startsWith('dialog')).length + (state.pwned ? 1 : 0)
    t.same(problems, [], `${file}: no dialogs, page errors or console errors`)
    t.equal(state.pwned, undefined, `${file}: no dataset script ran`)
    t.equal(state.imgs, 0, `${file}: no <img> created`)
    t.equal(state.jsLinks, 0, `${file}: no javascript: link`)
    t.equal(state.handlers, 0, `${file}: no inline event handler attribute`)
    t.ok(state.overflow <= 0, `${file}: a 200,000-character line does not widen the page (overflow ${state.overflow}px)`)
    await page.close()
  }
})

t.teardown(() => recordFigures('4 untrusted text', figures))
