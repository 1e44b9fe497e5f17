import { createHash } from 'node:crypto'
import { htmlText } from '../report/html-report.ts'
import { formatPercent } from '../report/metric-format.ts'
import type { BoardRow, Leaderboard, SuiteBoard } from './build-leaderboard.ts'

const pct = formatPercent

// Sorting and filtering, the page's only script. The CSP allows exactly this text (by hash): nothing injected runs.
const SCRIPT = `
for (const table of document.querySelectorAll('table.board')) {
  const body = table.tBodies[0]
  table.querySelectorAll('th button').forEach((btn, col) => {
    btn.addEventListener('click', () => {
      const th = btn.parentElement
      // Numbers sort best-first on the first click, names A to Z; a second click reverses.
      const first = th.classList.contains('num') ? 'descending' : 'ascending'
      const dir = th.getAttribute('aria-sort') === first ? (first === 'descending' ? 'ascending' : 'descending') : first
      table.querySelectorAll('th').forEach((h) => h.removeAttribute('aria-sort'))
      th.setAttribute('aria-sort', dir)
      const key = (tr) => {
        const td = tr.children[col]
        const v = td.dataset.value
        return v !== undefined ? Number(v) : (td.dataset.text ?? td.textContent).trim().toLowerCase()
      }
      const rows = [...body.rows].sort((a, b) => {
        const x = key(a), y = key(b)
        const c = typeof x === 'number' && typeof y === 'number' ? (Number.isNaN(x) ? -Infinity : x) - (Number.isNaN(y) ? -Infinity : y) : String(x).localeCompare(String(y))
        return dir === 'ascending' ? c : -c
      })
      body.append(...rows)
    })
  })
}
const filter = document.getElementById('filter')
filter.addEventListener('input', () => {
  const q = filter.value.trim().toLowerCase()
  for (const tr of document.querySelectorAll('table.board tbody tr')) tr.hidden = q !== '' && !tr.dataset.model.toLowerCase().includes(q)
})
`

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; max-width: 1200px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { padding: .3rem .6rem; border-bottom: 1px solid #eee; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; }
th[aria-sort="descending"] button::after { content: " ▼"; } th[aria-sort="ascending"] button::after { content: " ▲"; }
.g1 { background: #eef7ee; } .flag { color: #b35900; font-size: .85rem; } .gen { display: inline-block; margin-left: .4em; padding: 0 .35em; border: 1px solid #6a51a3; border-radius: 3px; color: #6a51a3; font-size: .75rem; } .muted { color: #666; font-size: .9rem; }
input[type=search] { font: inherit; padding: .3rem .5rem; width: 20rem; max-width: 100%; box-sizing: border-box; }
.wide { overflow-x: auto; max-width: 100%; } p, h2 { overflow-wrap: anywhere; }
`

function cells(s: SuiteBoard, r: BoardRow): string {
  const num = (v: number) => `<td class="num" data-value="${Number.isFinite(v) ? v : 'NaN'}">${pct(v)}</td>`
  const ci = r.ci ? `${pct(r.ci[0])} – ${pct(r.ci[1])}` : ''
  const prov = [r.provenance.revision ? `rev ${r.provenance.revision.slice(0, 12)}` : `fp ${r.provenance.fingerprint.slice(0, 12)}`, r.provenance.date.slice(0, 10), `rmbench ${r.provenance.rmbenchVersion}`].map(htmlText).join(' · ')
  return [
    `<td class="num" data-value="${r.rank || 'NaN'}">${r.rank || '—'}</td>`,
    `<td class="num" data-value="${r.group ?? 'NaN'}">${r.group ?? '—'}</td>`,
    `<td data-text="${htmlText(r.model)}"><a href="${htmlText(r.page)}">${htmlText(r.model)}</a>${r.generative ? '<span class="gen" title="an LLM judge: its verdicts, not rewards, made the score">generative</span>' : ''}${r.flags.map((f) => `<div class="flag">⚠ ${htmlText(f)}</div>`).join('')}</td>`,
    num(r.score),
    `<td class="num">${ci}</td>`,
    ...s.columns.map((c) => num(r.columns[c] ?? NaN)),
    `<td class="num" data-value="${r.scored}">${r.scored}/${r.examples}</td>`,
    `<td class="muted">${prov}</td>`,
  ].join('')
}

function table(s: SuiteBoard, rows: BoardRow[]): string {
  const th = (label: string, num = true) => `<th${num ? ' class="num"' : ''}><button type="button">${htmlText(label)}</button></th>`
  const head = [th('rank'), th('group'), th('model', false), th('score'), '<th class="num">CI</th>', ...s.columns.map((c) => th(c)), th('scored'), '<th>provenance</th>'].join('')
  const body = rows.map((r) => `<tr data-model="${htmlText(r.model)}"${r.group === 1 ? ' class="g1"' : ''}>${cells(s, r)}</tr>`).join('\n')
  // A table wider than a phone scrolls inside its own box; the page itself never scrolls sideways.
  return `<div class="wide"><table class="board"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
}

/** index.html: one sortable, filterable table per suite; works from file:// with no network. */
export function leaderboardHtml(lb: Leaderboard): string {
  const hash = createHash('sha256').update(SCRIPT).digest('base64')
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'`
  const parts = ['<h1>Reward model leaderboard</h1>', '<p><label>Filter models: <input type="search" id="filter" placeholder="model name"></label></p>']
  for (const s of lb.suites) {
    parts.push(`<h2>${htmlText(s.suite)} <span class="muted">(${htmlText(s.task)}, suite ${htmlText(s.hash.slice(0, 12))}; columns: ${htmlText(s.columnKind || 'none')})</span></h2>`, table(s, s.rows))
    if (s.otherVersions.length) parts.push('<p class="muted">Runs of other versions of this suite — not ranked with the table above:</p>', table(s, s.otherVersions))
  }
  parts.push(`<p class="muted" id="groups-note">Group: the best model opens group 1; every model whose score is not significantly different from it (paired test on the examples both scored: exact McNemar for accuracy, else paired bootstrap with ${lb.resamples} resamples; α = ${lb.alpha}) joins it. The best model left opens group 2, and so on. Models in one group are statistically tied; a model without per-example scores (scores.jsonl) is not tested (—). Click a column to sort; a model name opens its report.</p>`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Reward model leaderboard</title><style>${CSS}</style></head>
<body>
${parts.join('\n')}
<script>${SCRIPT}</script>
</body></html>
`
}
