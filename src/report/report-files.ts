import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chartRows } from '../charts/chart-rows.ts'
import { reportCharts } from '../charts/report-charts.ts'
import { renderPng } from '../charts/render-png.ts'
import { renderSvg, rendererVersion } from '../charts/render-svg.ts'
import { sha256 } from '../util/hash.ts'
import type { Memo } from '../util/memo.ts'
import { writeAtomic } from '../util/write-atomic.ts'
import { htmlReport, type RenderedChart } from './html-report.ts'
import { markdownReport } from './markdown-report.ts'
import type { RunResult } from './types.ts'
import type { WorstExample } from './worst-examples.ts'

/**
 * Options of the report writer: PNG copies of the charts; where to say that a chart could not be drawn; a memo
 * of drawn charts (the score cache), so a re-run whose charts did not change neither loads vega nor draws.
 */
export interface ReportOptions { png?: boolean; warn?: (message: string) => void; memo?: Memo | null }

/** Builds the run's charts and renders each to SVG; a chart that fails is reported on the page, not fatal. */
export async function renderCharts(result: RunResult, rows: Record<string, unknown>[], warn?: (m: string) => void, memo?: Memo | null): Promise<RenderedChart[]> {
  const j = result.provenance.judge
  const charts = reportCharts({ task: result.suite.task, metrics: result.metrics, rows: chartRows(rows), confidence: result.stats?.confidence, ...(j && j.mode !== 'self-preference' ? { judge: j.mode } : {}) })
  const out: RenderedChart[] = []
  const renderer = memo && charts.length ? rendererVersion() : ''
  for (const chart of charts) {
    const specJson = JSON.stringify(chart.spec, null, 1)
    // An SVG is a pure function of the spec (data inline) and the renderer's version. The key hashes the spec's
    // own JSON, not a key-sorted copy: the same code builds the same spec with its keys in the same order, and a
    // spec that differs only in key order is merely drawn again. It saves a second serialisation (~20 ms of a
    // 0.3 s warm re-run with 1,000 pairs).
    const key = memo ? sha256(`${renderer}\n${specJson}`) : ''
    try {
      let svg = memo?.recall<string>('charts', key)
      if (typeof svg !== 'string') {
        svg = await renderSvg(chart.spec)
        memo?.remember('charts', key, svg)
      }
      out.push({ chart, svg, specJson })
    } catch (e) {
      warn?.(`chart ${chart.name} could not be drawn: ${(e as Error).message}`)
      out.push({ chart, error: (e as Error).message, specJson })
    }
  }
  return out
}

/**
 * Writes a run's reports: charts/<name>.vl.json (and .png with `png`), report.md and report.html.
 * Returns the files written, relative to the run folder.
 */
export async function writeReports(dir: string, result: RunResult, rows: Record<string, unknown>[], worst: WorstExample[], o: ReportOptions = {}): Promise<string[]> {
  const rendered = await renderCharts(result, rows, o.warn, o.memo)
  const files: string[] = []
  if (rendered.length) mkdirSync(join(dir, 'charts'), { recursive: true })
  for (const { chart, svg, specJson } of rendered) {
    writeAtomic(join(dir, 'charts', `${chart.name}.vl.json`), specJson + '\n')
    files.push(`charts/${chart.name}.vl.json`)
    if (o.png && svg) {
      writeAtomic(join(dir, 'charts', `${chart.name}.png`), await renderPng(svg))
      files.push(`charts/${chart.name}.png`)
    }
  }
  writeAtomic(join(dir, 'report.md'), markdownReport(result, worst))
  // The explorer is written by the run (it needs the dataset's text); a report re-written later links it still.
  writeAtomic(join(dir, 'report.html'), htmlReport(result, worst, rendered, existsSync(join(dir, 'explorer.html')) ? { explorer: 'explorer.html' } : {}))
  return [...files, 'report.md', 'report.html']
}
