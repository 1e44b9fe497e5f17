import { closeSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { sha256Base64 } from '../../util/hash.ts'
import { htmlText } from '../html-report.ts'
import type { ExplorerItem } from './explorer-items.ts'

/** What the explorer says above its examples: title, the runs it shows, the margin's meaning, a table of statistics. */
export interface ExplorerMeta {
  title: string
  subtitle: string
  /** One name per run: one for a run's explorer, two (A, B) for a comparison. */
  runs: string[]
  marginLabel: string
  stats: { head: string[]; rows: string[][] }
  /** Where the page opens: "discordant" for a comparison. */
  opensOn?: 'all' | 'discordant'
  notes?: string[]
}

// The page's one script: the word diff and the explorer joined in one function scope. Its hash goes into the
// policy: no other script can run, inline or fetched. Read when a page is first written, not on import: a config
// file bundled with the library (bench.config.ts) imports this module from a folder without the scripts.
let page: { script: string; csp: string } | undefined
function pageScript(): { script: string; csp: string } {
  if (page) return page
  const part = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')
  const script = `'use strict';\n(function () {\n${['explorer-diff.js', 'explorer-filters.js', 'explorer-view.js'].map(part).join('\n')}\n})()\n`
  return (page = { script, csp: `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${sha256Base64(script)}'` })
}

/** JSON safe inside a <script type="application/json"> element: no "</script" or "<!--" can form. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

const CSS = `
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 0 auto; padding: 1rem; max-width: 1600px; }
h1 { font-size: 1.35rem; margin: 0 0 .2rem; overflow-wrap: anywhere; } .muted { color: #666; } p, li { overflow-wrap: anywhere; }
/* The statistics table scrolls inside its own box on a narrow screen (numbers are never broken mid-number). */
.wide { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; }
table.stats { border-collapse: collapse; }
table.stats th, table.stats td { padding: .2rem .55rem; border-bottom: 1px solid #eee; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.stats th:first-child, table.stats td:first-child { text-align: left; white-space: normal; overflow-wrap: anywhere; min-width: 9rem; }
@media (max-width: 700px) { table.stats { font-size: .8rem; } table.stats th, table.stats td { padding: .15rem .3rem; } }
form { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; padding: .6rem; background: #f7f7f8; border: 1px solid #e5e5e5; border-radius: 6px; }
form label { display: flex; flex-direction: column; font-size: .8rem; color: #444; min-width: 0; }
form input, form select { font: inherit; padding: .15rem .3rem; max-width: 100%; }
form input[type=number] { width: 6.5rem; } form input[type=search] { width: min(22rem, 80vw); }
fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: .6rem; flex-wrap: wrap; font-size: .85rem; } fieldset legend { font-size: .8rem; color: #444; padding: 0; }
fieldset label { flex-direction: row; gap: .2rem; align-items: center; font-size: .85rem; color: #1b1b1b; }
.count { margin: .6rem 0 .3rem; } .count b { font-size: 1.1rem; }
#list { position: relative; height: 60vh; overflow-y: auto; overflow-x: hidden; border: 1px solid #e5e5e5; border-radius: 6px; }
#list .row { position: absolute; left: 0; right: 0; height: 48px; padding: .25rem .6rem; border-bottom: 1px solid #f0f0f0; cursor: pointer; display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 0 .75rem; align-items: center; }
#list .row:hover, #list .row.open { background: #eef4ff; }
#list .row .what { min-width: 0; font-size: .82rem; }
#list .row .line { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#list .row .nums { font-variant-numeric: tabular-nums; font-size: .82rem; text-align: right; white-space: nowrap; }
.badge { display: inline-block; min-width: 3.6em; text-align: center; border-radius: 3px; padding: 0 .3em; font-size: .75rem; margin-right: .3em; }
.right { background: #dff3e4; color: #17602b; } .wrong { background: #fde2e1; color: #8f1d16; } .tie { background: #fff1c9; color: #735300; } .partial { background: #e6ecf7; color: #24407a; } .failed, .none { background: #eee; color: #444; }
/* Side by side where there is room (the list beside the open example), one above the other on a narrow screen. */
.main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; }
@media (min-width: 1100px) { .main { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); align-items: start; } #list { height: 78vh; } #detail { max-height: 78vh; overflow-y: auto; } }
#detail { border: 1px solid #d5dcea; border-radius: 6px; padding: .75rem; }
#detail[hidden] { display: none; }
#detail h2 { font-size: 1.05rem; margin: 0 0 .4rem; overflow-wrap: anywhere; }
#detail .kv { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; font-size: .85rem; margin-bottom: .6rem; }
#detail .kv span { overflow-wrap: anywhere; } #detail .note { font-size: .8rem; margin: -.3rem 0 .6rem; }
.prompt pre, .resp pre { white-space: pre-wrap; overflow-wrap: anywhere; font: .85rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 0; }
.prompt { background: #f7f7f8; padding: .5rem; border-radius: 4px; margin-bottom: .6rem; }
.prompt .role { font-weight: 600; color: #555; }
.resps { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); gap: .6rem; }
.resp { border: 1px solid #e5e5e5; border-radius: 4px; padding: .5rem; min-width: 0; }
.resp h3 { font-size: .9rem; margin: 0 0 .3rem; overflow-wrap: anywhere; }
mark { background: #ffe08a; border-radius: 2px; } .resp.rejected mark { background: #ffc9c4; } .resp.chosen mark { background: #bfe8c9; }
button { font: inherit; }
`

/** Past this many bytes of examples, further texts keep their first PREVIEW characters: the page must still open. */
export const EXPLORER_BUDGET = 200 * 2 ** 20
const PREVIEW = 400

/** An item whose texts are cut to a preview (the numbers stay whole). */
function previewed(it: ExplorerItem): ExplorerItem {
  const short = (t: string) => (t.length > PREVIEW ? `${t.slice(0, PREVIEW)} … [preview: the page reached its size budget; the dataset has the whole text]` : t)
  return { ...it, p: it.p.map(([role, t]) => [role, short(t)]), r: it.r.map(([label, t]) => [label, short(t)]) }
}

/**
 * Writes explorer.html one example at a time: the items go to a temporary file as they come (a streamed run
 * never holds them), and the page is put together and renamed into place by `finish`.
 */
export class ExplorerWriter {
  private readonly tmp: string
  private readonly fd: number
  private count = 0
  private bytes = 0
  private previews = 0

  constructor(private readonly file: string, private readonly budget = EXPLORER_BUDGET) {
    this.tmp = `${file}.items-${process.pid}`
    this.fd = openSync(this.tmp, 'w')
  }

  /** Appends one example. */
  add(item: ExplorerItem): void {
    if (this.bytes > this.budget) this.previews++
    const text = (this.count++ ? ',\n' : '') + scriptJson(this.bytes > this.budget ? previewed(item) : item)
    this.bytes += Buffer.byteLength(text)
    writeSync(this.fd, text)
  }

  /** Writes the page (head, statistics, controls, the data, the script) and removes the temporary file. */
  finish(meta: ExplorerMeta): void {
    closeSync(this.fd)
    if (this.previews) meta = { ...meta, notes: [...(meta.notes ?? []), `The last ${this.previews.toLocaleString('en-US')} of ${this.count.toLocaleString('en-US')} examples show ${PREVIEW}-character previews of their texts: the page reached its ${Math.round(this.budget / 2 ** 20)} MB budget. Their numbers are whole.`] }
    const out = `${this.file}.tmp-${process.pid}`
    const fd = openSync(out, 'w')
    try {
      writeSync(fd, pageHead(meta))
      writeSync(fd, `<script type="application/json" id="rmb-meta">${scriptJson(meta)}</script>\n<script type="application/json" id="rmb-items">[`)
      const src = openSync(this.tmp, 'r')
      const buf = Buffer.allocUnsafe(1 << 20)
      try {
        for (let n; (n = readSync(src, buf, 0, buf.length, null)) > 0; ) writeSync(fd, buf, 0, n)
      } finally {
        closeSync(src)
      }
      writeSync(fd, `]</script>\n<script>${pageScript().script}</script>\n</body></html>\n`)
    } finally {
      closeSync(fd)
      rmSync(this.tmp, { force: true })
    }
    renameSync(out, this.file)
  }

  /** Gives up without a page (the run failed before its reports). */
  abandon(): void {
    try {
      closeSync(this.fd)
    } catch {}
    rmSync(this.tmp, { force: true })
  }
}

/** Writes an explorer page for items already in memory. */
export function writeExplorer(dir: string, meta: ExplorerMeta, items: Iterable<ExplorerItem>, name = 'explorer.html'): string {
  const w = new ExplorerWriter(join(dir, name))
  for (const it of items) w.add(it)
  w.finish(meta)
  return join(dir, name)
}

function pageHead(meta: ExplorerMeta): string {
  const stats = meta.stats.rows.length
    ? `<div class="wide"><table class="stats"><thead><tr>${meta.stats.head.map((h) => `<th>${htmlText(h)}</th>`).join('')}</tr></thead><tbody>${meta.stats.rows.map((r) => `<tr>${r.map((c) => `<td>${htmlText(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${pageScript().csp}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${htmlText(meta.title)} · explorer</title><style>${CSS}</style></head>
<body>
<h1>${htmlText(meta.title)}</h1>
<p class="muted">${htmlText(meta.subtitle)}</p>
${(meta.notes ?? []).map((n) => `<p class="muted">${htmlText(n)}</p>`).join('\n')}
${stats}
<noscript><p>The explorer needs JavaScript; scores.jsonl holds the same numbers.</p></noscript>
<form id="filters" autocomplete="off"></form>
<p class="count" id="count" aria-live="polite"></p>
<div class="main"><div id="list" role="list" tabindex="0" aria-label="examples"><div id="spacer"></div></div>
<section id="detail" hidden></section></div>
`
}

/**
 * The examples an explorer.html holds, read back (a comparison shows both runs' texts and outcomes from them);
 * null when the page has no readable data block (written by an older rmbench, or edited).
 */
export function readExplorerItems(file: string): ExplorerItem[] | null {
  let html: string
  try {
    html = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  const open = '<script type="application/json" id="rmb-items">'
  const at = html.indexOf(open)
  const end = at < 0 ? -1 : html.indexOf('</script>', at)
  if (end < 0) return null
  try {
    const items = JSON.parse(html.slice(at + open.length, end)) as unknown
    if (!Array.isArray(items) || !items.every((it) => it && typeof it === 'object' && typeof it.id === 'string' && Array.isArray(it.x) && Array.isArray(it.r) && Array.isArray(it.p))) return null
    return items as ExplorerItem[]
  } catch {
    return null
  }
}
