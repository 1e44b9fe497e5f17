import type { Example } from '../data/types.ts'
import { htmlText } from '../report/html-report.ts'
import type { AuditResult, Share } from './audit.ts'
import type { PairStrength } from './strength.ts'

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
const MAX_LISTED = 200
const MAX_TEXT = 2000

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h1, h2, p, li { overflow-wrap: anywhere; } .muted { color: #666; } .warn { background: #fff4e5; border-left: 4px solid #e67e22; padding: .5rem .75rem; }
figure { margin: 0; border: 1px solid #e5e5e5; border-radius: 6px; padding: .5rem; } figure svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: .5rem 0; max-width: 100%; } th, td { padding: .25rem .6rem; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal; }
.wide { overflow-x: auto; max-width: 100%; }
@media (max-width: 700px) { table { font-size: .8rem; } th, td { padding: .2rem .35rem; } th:first-child, td:first-child { min-width: 7rem; } }
.pairs td { white-space: pre-wrap; word-break: break-word; font-size: .85rem; max-width: 24rem; }
`

const pct = (s: Share) => (Number.isFinite(s.value) ? `${(100 * s.value).toFixed(1)}%` : '—')
const ci = (s: Share) => (Number.isFinite(s.ci[0]) ? `${(100 * s.ci[0]).toFixed(1)} – ${(100 * s.ci[1]).toFixed(1)}` : '—')
const num = (x: number | null, d = 3) => (x !== null && Number.isFinite(x) ? x.toFixed(d) : '—')
const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)} …` : s)

function table(head: string[], rows: string[][], numeric: boolean[] = []): string {
  const cell = (tag: string, i: number, v: string) => `<${tag}${numeric[i] ? ' class="num"' : ''}>${v}</${tag}>`
  // A wide table scrolls inside its own box on a narrow screen; the page itself never does.
  return `<div class="wide"><table><thead><tr>${head.map((h, i) => cell('th', i, htmlText(h))).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((v, i) => cell('td', i, v)).join('')}</tr>`).join('\n')}</tbody></table></div>`
}

/** audit.html: one self-contained page (no script) with the figures, the strength histogram and the suspect pairs. */
export function auditPage(a: AuditResult, pairs: PairStrength[], examples: Example[], chart: { svg?: string; error?: string; caption: string } | null): string {
  const byId = new Map(examples.map((e) => [e.id, e]))
  const level = `${Math.round(a.thresholds.confidence * 100)}% CI`
  const parts: string[] = [
    `<h1>Audit of ${htmlText(a.suite.name)}</h1>`,
    `<p class="muted">${a.counts.pairs} pairs, voted on by ${a.voters.length} models: ${a.voters.map((v) => `<code>${htmlText(v.model)}</code>`).join(', ')}. Thresholds: strength ±${a.thresholds.strength}, majority ${num(a.thresholds.majority, 2)}.</p>`,
    ...a.notes.map((n) => `<p class="warn">${htmlText(n)}</p>`),
    '<h2>The set</h2>',
    table(['figure', 'value', level, 'n'], [
      ['suspect pairs (a confident majority prefers the rejected answer)', pct(a.shares.suspect), ci(a.shares.suspect), String(a.shares.suspect.n)],
      ['ambiguous pairs (weak or split)', pct(a.shares.ambiguous), ci(a.shares.ambiguous), String(a.shares.ambiguous.n)],
      ['consistent pairs', pct(a.shares.consistent), ci(a.shares.consistent), String(a.shares.consistent.n)],
      ['label-flip rate ε (mirrored mixture on strengths, EM)', `${(100 * a.flipRate.epsilon).toFixed(1)}%`, `${(100 * a.flipRate.ci[0]).toFixed(1)} – ${(100 * a.flipRate.ci[1]).toFixed(1)}`, String(a.shares.suspect.n)],
      ['inter-model agreement (Fleiss\' κ)', num(a.agreement.fleissKappa), '', String(a.agreement.items)],
      ...(a.planted ? [[`planted flips found (recall; precision ${a.planted.precision === null ? '—' : `${(100 * a.planted.precision).toFixed(1)}%`})`, `${a.planted.found} of ${a.planted.count}`, '', String(a.planted.count)]] : []),
    ].map((r) => r.map((v, i) => (i === 0 ? v : htmlText(v)))), [false, true, true, true]),
    `<p class="muted">Strength: ${htmlText(a.scale)}. ε: ${htmlText(a.flipRate.method)}; μ/σ = ${num(a.flipRate.separation, 2)}.</p>`,
  ]
  if (chart) parts.push('<h2>Strength per subset</h2>', `<figure>${chart.svg ?? `<p class="warn">The chart could not be drawn: ${htmlText(chart.error ?? '')}</p>`}<figcaption class="muted">${htmlText(chart.caption)}</figcaption></figure>`)
  parts.push('<h2>Subsets</h2>', table(['subset', 'pairs', 'mean strength', 'suspect', level, 'ambiguous', 'consistent'], a.subsets.map((s) => [htmlText(s.group), String(s.n), num(s.meanStrength, 2), pct(s.suspect), ci(s.suspect), pct(s.ambiguousShare), String(s.consistent)]), [false, true, true, true, true, true, true]))
  parts.push('<h2>Scores under doubt</h2>', '<p class="muted">Each model\'s accuracy on all pairs and by class. A voter helped pick the consistent pairs, so its accuracy there flatters it; "consistent by the others" leaves its own vote out.</p>')
  parts.push(table(['model', 'voted', 'all pairs', 'consistent', 'consistent by the others', 'ambiguous', 'suspect'], a.evaluation.map((e) => [`<code>${htmlText(e.model)}</code>`, e.voted ? 'yes' : 'no', pct(e.all), pct(e.consistent), e.consistentByOthers ? pct(e.consistentByOthers) : '—', pct(e.ambiguous), pct(e.suspect)]), [false, false, true, true, true, true, true]))
  if (a.intransitivity) {
    const t = a.intransitivity
    parts.push('<h2>Intransitivity</h2>', `<p>${t.cyclic} cyclic triads among ${t.triads} judged triads; ${t.withCycle.k} of ${t.prompts} prompts (${pct(t.withCycle)}, ${level} ${ci(t.withCycle)}) have at least one cycle. A Bradley–Terry reward model has none by construction.</p>`)
    parts.push(table(['prompt', 'responses', 'pairs judged', 'even pairs', 'triads', 'cyclic'], t.perPrompt.filter((p) => p.cyclic > 0).slice(0, MAX_LISTED).map((p) => [htmlText(p.id), String(p.responses), String(p.pairs), String(p.ties), String(p.triads), String(p.cyclic)]), [false, true, true, true, true, true]))
  }
  const suspects = pairs.filter((p) => p.class === 'suspect').sort((x, y) => x.strength - y.strength || x.id.localeCompare(y.id))
  parts.push('<h2>Suspect pairs</h2>', `<p class="muted">${suspects.length} pairs, most doubted first${suspects.length > MAX_LISTED ? ` (the first ${MAX_LISTED} listed; audit.jsonl has all)` : ''}. Text is the dataset's, shown as text.</p>`)
  parts.push(`<div class="pairs">${table(['id', 'subset', 'strength', 'votes (chosen / rejected / tie)', 'prompt', 'chosen', 'rejected'], suspects.slice(0, MAX_LISTED).map((p) => {
    const ex = byId.get(p.id)
    const prompt = ex ? ex.prompt.map((m) => (ex.prompt.length > 1 ? `${m.role}: ${m.content}` : m.content)).join('\n') : ''
    return [htmlText(p.id), htmlText(p.group), num(p.strength, 2), `${p.votes.chosen} / ${p.votes.rejected} / ${p.votes.tie}`, htmlText(cut(prompt)), htmlText(cut(ex?.chosen[0] ?? '')), htmlText(cut(ex?.rejected[0] ?? ''))]
  }), [false, false, true, true])}</div>`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Audit · ${htmlText(a.suite.name)}</title><style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`
}
