import type { Chart } from '../charts/chart-types.ts'
import type { Metrics } from '../tasks/types.ts'
import { formatCi, formatMetric, metricTables } from './metric-format.ts'
import type { RunResult } from './types.ts'
import type { WorstExample } from './worst-examples.ts'
import { judgeLine, worstIntro } from './judge-line.ts'

/** A chart with its rendered SVG, or the reason it could not be drawn. */
export interface RenderedChart { chart: Chart; svg?: string; error?: string; /** The spec as written to charts/<name>.vl.json. */ specJson: string }

/** Text made inert in HTML (element content and quoted attributes): dataset strings contain markup and script-like text. */
export function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

// No script, no external resource: the policy makes that a property of the page, not only of our escaping.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.headline { font-size: 1.25rem; margin: .5rem 0 1rem; } .headline b { font-size: 1.6rem; }
.warn { background: #fff4e5; border-left: 4px solid #e67e22; padding: .5rem .75rem; }
/* One column where two would not fit (min(100%, …) keeps a narrow screen from overflowing), charts scaled down
   to their card, never cut off behind a scrollbar; the SVG's viewBox keeps its proportions. */
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 480px), 1fr)); gap: 1.25rem; }
figure { margin: 0; border: 1px solid #e5e5e5; border-radius: 6px; padding: .5rem; min-width: 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .85rem; margin-top: .25rem; }
table { border-collapse: collapse; margin: .5rem 0; max-width: 100%; } th, td { padding: .25rem .6rem; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal; white-space: nowrap; }
.worst td { max-width: 28rem; white-space: pre-wrap; word-break: break-word; font-size: .85rem; }
/* On a phone seven text columns leave a few letters a line: each example becomes a card of labelled fields. */
@media (max-width: 720px) {
  .worst thead { display: none; }
  .worst tr { display: block; border-top: 1px solid #ccc; padding: .4rem 0; }
  .worst td { display: block; max-width: none; border: 0; padding: .15rem 0; text-align: left; }
  .worst td::before { content: attr(data-label); display: block; font-weight: 600; font-size: .75rem; color: #555; }
}
.muted { color: #666; } code { font-size: .85em; }
h1, h2, p, li, figcaption { overflow-wrap: anywhere; }
`

function metricRows(m: Metrics, keys: string[], strip: string): string {
  return keys.map((k) => `<tr><td>${htmlText(k.slice(strip.length))}</td><td class="num">${formatMetric(k, m[k].value)}</td><td class="num">${formatCi(k, m[k])}</td><td class="num">${m[k].n}</td></tr>`).join('\n')
}

function figure(c: RenderedChart): string {
  const body = c.svg ?? `<p class="warn">This chart could not be drawn: ${htmlText(c.error ?? 'unknown error')}</p>`
  return `<figure id="chart-${htmlText(c.chart.name)}" data-chart="${htmlText(c.chart.name)}">${body}<figcaption>${htmlText(c.chart.caption)}</figcaption></figure>`
}

/** report.html: one self-contained page (inline CSS and SVG, no script, no network) with the numbers, charts and worst examples. */
export function htmlReport(r: RunResult, worst: WorstExample[], charts: RenderedChart[], o: { backLink?: string; explorer?: string } = {}): string {
  const m = r.metrics
  const title = `${r.suite.name} · ${r.model.spec}`
  const level = r.stats ? `${Math.round(r.stats.confidence * 100)}% CI` : 'CI'
  const parts: string[] = [...(o.backLink ? [`<p><a href="${htmlText(o.backLink)}">← leaderboard</a></p>`] : []), `<h1>${htmlText(title)}</h1>`, `<p class="muted">${htmlText(r.suite.task)} suite, ${r.counts.scored} of ${r.counts.examples} examples scored, ${r.provenance.startedAt}</p>`]
  if (m.score) {
    const ci = m.score.ci ? ` <span class="muted">(${level} ${formatCi('score', m.score)})</span>` : ''
    parts.push(`<p class="headline">score <b>${formatMetric('score', m.score.value)}</b>${ci} over ${m.score.n} examples${m.score.label ? ` — ${htmlText(m.score.label)}` : ''}</p>`)
  }
  if (o.explorer) parts.push(`<p class="explore"><a href="${htmlText(o.explorer)}">Explore all ${r.counts.examples} examples →</a> <span class="muted">filter by subset, outcome, margin, length; search the texts; each example side by side</span></p>`)
  if (!r.complete) parts.push(`<p class="warn"><b>Incomplete run:</b> ${r.counts.failed} of ${r.counts.examples} examples failed; metrics cover the ${r.counts.scored} scored.</p>`)
  if (charts.length) parts.push('<h2>Charts</h2>', `<div class="charts">${charts.map(figure).join('\n')}</div>`)
  for (const t of metricTables(m)) {
    parts.push(`<h2>${t.title}</h2>`, '<table><thead><tr><th>metric</th><th class="num">value</th><th class="num">CI</th><th class="num">n</th></tr></thead><tbody>', metricRows(m, t.keys, t.strip), '</tbody></table>')
  }
  if (worst.length) {
    parts.push('<h2>Worst-scored examples</h2>', `<p class="muted">${htmlText(worstIntro(r))} Text is the dataset's, shown as text.${o.explorer ? ` Every example is in the <a href="${htmlText(o.explorer)}">explorer</a>.` : ''}</p>`)
    const judged = worst.some((w) => w.judge !== undefined)
    parts.push(`<table class="worst"><thead><tr><th>id</th><th>subset</th><th class="num">margin</th><th>prompt</th><th>chosen</th><th>rejected</th>${judged ? '<th>judge said</th>' : ''}</tr></thead><tbody>`)
    const td = (label: string, text: string, cls = '') => `<td data-label="${label}"${cls ? ` class="${cls}"` : ''}>${text}</td>`
    for (const w of worst) parts.push(`<tr>${td('id', htmlText(w.id))}${td('subset', htmlText(w.group))}${td('margin', w.margin.toPrecision(4), 'num')}${td('prompt', htmlText(w.prompt))}${td('chosen', htmlText(w.chosen))}${td('rejected', htmlText(w.rejected))}${judged ? td('judge said', htmlText(w.judge ?? '')) : ''}</tr>`)
    parts.push('</tbody></table>')
  }
  const p = r.provenance
  const prov = [
    `rmbench ${htmlText(p.rmbenchVersion)}, ${htmlText(p.node)} on ${htmlText(p.platform)}; ${htmlText(p.startedAt)}, ${(p.durationMs / 1000).toFixed(1)} s`,
    `suite hash <code>${htmlText(p.suiteHash)}</code>, data hash <code>${htmlText(p.datasetHash)}</code>, model fingerprint <code>${htmlText(p.modelFingerprint)}</code>`,
    ...(p.dataSources ?? []).map((s) => `data ${htmlText(s.source)}${s.commit ? ` @ <code>${htmlText(s.commit)}</code>` : ''}`),
    ...(p.modelSource ? [`model ${htmlText(p.modelSource.repo)} @ <code>${htmlText(p.modelSource.commit)}</code>`] : []),
    ...(judgeLine(r) ? [htmlText(judgeLine(r)!)] : []),
    ...(r.stats ? [`intervals: ${htmlText(r.stats.method)} bootstrap within subsets, ${r.stats.resamples} resamples (${r.stats.genericResamples} for recomputed metrics), seed ${r.stats.seed}`] : []),
  ]
  parts.push('<h2>Provenance</h2>', `<ul>${prov.map((l) => `<li>${l}</li>`).join('')}</ul>`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${htmlText(title)}</title><style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`
}
