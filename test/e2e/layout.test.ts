import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { cli, ROOT, tmp } from './helpers.ts'

// Pages as people see them, measured in Chromium at a phone's, a laptop's and a desktop's width: nothing wider
// than the viewport, no chart outside its card, no card that scrolls sideways, no text cut by overflow: hidden.
// Screenshots of every page at every width go to test/e2e/.screenshots/ (git-ignored), to be looked at.
const CHROMIUM = process.env.RMBENCH_CHROMIUM ?? '/usr/bin/chromium'
const WIDTHS = [360, 1280, 1920]
const SHOTS = join(ROOT, 'test/e2e/.screenshots')

/** Runs in the page: plain JavaScript text (a TypeScript loader's helpers do not exist there). */
const MEASURE = `(() => {
        const out = []
        const doc = document.documentElement
        if (doc.scrollWidth > window.innerWidth) out.push(\`the page is \${doc.scrollWidth}px wide in a \${window.innerWidth}px viewport\`)
        const name = (e) => \`\${e.tagName.toLowerCase()}\${e.id ? '#' + e.id : ''}\${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''}\`
        for (const fig of document.querySelectorAll('figure')) {
          const box = fig.getBoundingClientRect()
          if (fig.scrollWidth > fig.clientWidth + 1) out.push(\`\${name(fig)} scrolls sideways (\${fig.scrollWidth} > \${fig.clientWidth})\`)
          const svg = fig.querySelector('svg')
          if (!svg) continue
          const s = svg.getBoundingClientRect()
          if (s.left < box.left - 1 || s.right > box.right + 1 || s.top < box.top - 1 || s.bottom > box.bottom + 1) out.push(\`\${name(fig)}: the chart (\${Math.round(s.width)}px) lies outside its card (\${Math.round(box.width)}px)\`)
        }
        for (const e of document.querySelectorAll('body *')) {
          const st = getComputedStyle(e)
          const r = e.getBoundingClientRect()
          if (r.width === 0 || st.position === 'fixed') continue
          if (r.right > window.innerWidth + 1 && !e.closest('.wide')) out.push(\`\${name(e)} reaches \${Math.round(r.right)}px, past the \${window.innerWidth}px viewport\`)
          // An explorer row's one-line preview is cut on purpose (the whole text is one click away, in the example view).
          if ((st.overflowX === 'hidden' || st.overflow === 'hidden' || st.textOverflow === 'ellipsis') && e.scrollWidth > e.clientWidth + 1 && !e.hasAttribute('data-preview')) out.push(\`\${name(e)} clips its text (\${e.scrollWidth} > \${e.clientWidth})\`)
          else if (st.overflowX === 'visible' && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && !e.closest('svg') && !e.closest('.wide')) out.push(\`\${name(e)}: its content spills out of it (\${e.scrollWidth} > \${e.clientWidth})\`)
        }
        return [...new Set(out)].slice(0, 12)
})()`

t.test('report, self-preference report, ranking report, judge report, leaderboard and its model pages fit at 360, 1280 and 1920 px', { skip: !existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (.ci/run installs it)` : false }, async (t) => {
  const d = tmp()
  const run = (args: string[], out: string) => {
    const r = cli([...args, '-q', '--out', join(d, out)])
    t.equal(r.code, 0, r.stderr)
    return join(d, out)
  }
  const pages: [string, string][] = [
    ['report', join(run(['run', 'suites/quickstart', '--model', 'onnx:fixtures/quickstart-rm'], 'rm'), 'report.html')],
    ['report-length', join(run(['run', 'suites/quickstart', '--model', 'baseline:length'], 'len'), 'report.html')],
    ['self-preference', join(run(['run', 'suites/self-preference-mini', '--model', 'verdicts:./suites/self-preference-mini/judge-lm-verdicts.jsonl'], 'sp'), 'report.html')],
    ['ranking', join(run(['run', 'suites/ranking-accuracy-mini', '--model', 'tiny-lm-policy', '--lm', 'ref=tiny-lm-ref'], 'rank'), 'report.html')],
    ['judge', join(run(['run', 'suites/judgebench-example', '--model', 'verdicts:./suites/judgebench-example/judge-log.jsonl'], 'judge'), 'report.html')],
  ]
  t.equal(cli(['leaderboard', join(d, 'rm'), join(d, 'len'), '--out', join(d, 'site')]).code, 0)
  const modelPages = readdirSync(join(d, 'site', 'models')).filter((f) => f.endsWith('.html') && !f.endsWith('.explorer.html')).sort()
  pages.push(['leaderboard', join(d, 'site', 'index.html')], ['model-page', join(d, 'site', 'models', modelPages[0])])
  t.ok(existsSync(pages[pages.length - 1][1]), 'a model page')
  // The explorers: a run's (an example opens by itself), a judge's, the copy a model page links, a comparison's.
  t.equal(cli(['compare', join(d, 'rm'), join(d, 'len'), '--html', join(d, 'compare.html')]).code, 0)
  pages.push(['explorer', join(d, 'rm', 'explorer.html')], ['explorer-self-preference', join(d, 'sp', 'explorer.html')], ['explorer-judge', join(d, 'judge', 'explorer.html')], ['explorer-ranking', join(d, 'rank', 'explorer.html')],
    ['explorer-model-page', join(d, 'site', 'models', modelPages[0].replace(/\.html$/, '.explorer.html'))], ['explorer-compare', join(d, 'compare.html')])
  t.equal(cli(['audit', join(d, 'rm'), join(d, 'len'), '--out', join(d, 'audit'), '-q']).code, 0)
  pages.push(['audit', join(d, 'audit', 'audit.html')])
  for (const [name, file] of pages) t.ok(existsSync(file), `${name}: ${file}`)
  mkdirSync(SHOTS, { recursive: true })
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] })
  t.teardown(() => browser.close())
  for (const width of WIDTHS) {
    const page = await browser.newPage({ viewport: { width, height: 900 } })
    for (const [name, file] of pages) {
      await page.goto(pathToFileURL(file).href)
      const problems = (await page.evaluate(MEASURE)) as string[]
      t.same(problems, [], `${name} at ${width}px`)
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true })
    }
    await page.close()
  }
})
