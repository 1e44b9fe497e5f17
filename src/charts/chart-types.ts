import type { Metrics } from '../tasks/types.ts'

/** A vega-lite specification (JSON); vega-lite's own types are too strict for specs built from data. */
export type VlSpec = Record<string, unknown>

/** One chart of a report: a file-safe name, a title and caption for the page, and its vega-lite spec. */
export interface Chart { name: string; title: string; caption: string; spec: VlSpec }

/** One example's scores and lengths as a chart reads them (from scores.jsonl's `raw` block). */
export interface ChartRow {
  id: string
  group: string
  /** Scores by side, in order; empty for tasks whose roles are not chosen/rejected responses (ranking accuracy). */
  chosen: number[]
  rejected: number[]
  /** Response lengths in characters (code points), by side; absent in runs written before rmbench recorded them. */
  chars?: { chosen: number[]; rejected: number[] }
}

/** What every chart builder reads: the run's task and metrics, and its per-example rows. */
export interface ChartInput {
  task: string
  metrics: Metrics
  rows: ChartRow[]
  confidence?: number
  /** An LLM judge made the scores (verdicts, not rewards): reward charts give way to the judge's behaviour. */
  judge?: 'pairwise' | 'rating'
}

/** Shared look: readable at report width, no external fonts or resources. */
export const CHART_CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  title: { fontSize: 14, anchor: 'start' },
} as const

/** The top of every spec: schema, config, padding. */
export function baseSpec(title: string, subtitle?: string): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: subtitle ? { text: title, subtitle } : title,
    config: CHART_CONFIG,
    padding: 8,
    background: 'white',
  }
}

/** Rounds for embedding in specs: charts need 4 significant digits, not 17. */
export const round4 = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null)
