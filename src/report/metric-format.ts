import type { Metrics } from '../tasks/types.ts'

/** A metric's value as reports print it: correlations, κ and rating differences as numbers; accuracies and shares in %. */
export function formatMetric(key: string, v: number): string {
  // A metric that is undefined here (no pair of its kind, a 0/0) is a dash, never "NaN" on a page or a console.
  if (!Number.isFinite(v)) return '—'
  return isRawMetric(key) ? v.toFixed(3) : (100 * v).toFixed(2)
}

/** Whether a metric is shown as itself (a correlation, κ, a rating difference) rather than in percent. */
export function isRawMetric(key: string): boolean {
  return /spearman|kappa|pointwise/.test(key)
}

/** A difference of a metric in its own unit, signed: percentage points, or raw for raw metrics; '—' when undefined. */
export function formatDelta(key: string, d: number): string {
  if (!Number.isFinite(d)) return '—'
  return (d >= 0 ? '+' : '') + (isRawMetric(key) ? d.toFixed(3) : (100 * d).toFixed(2))
}

/** A share in percent with two decimals; '—' when undefined (NaN, or an infinite difference). */
export function formatPercent(v: number): string {
  return Number.isFinite(v) ? (100 * v).toFixed(2) : '—'
}

/** "lo – hi" of a metric's interval, or '' when it has none. */
export function formatCi(key: string, m: Metrics[string]): string {
  return m.ci ? `${formatMetric(key, m.ci[0])} – ${formatMetric(key, m.ci[1])}` : ''
}

/** The metric tables of a report: sections, subsets and the rest (matrix cells are charted, not tabled). */
export function metricTables(metrics: Metrics): { title: string; keys: string[]; strip: string }[] {
  const keys = Object.keys(metrics)
  const sections = keys.filter((k) => k.startsWith('section/'))
  const subsets = keys.filter((k) => k.startsWith('accuracy/'))
  const rest = keys.filter((k) => k !== 'score' && !k.startsWith('section/') && !k.startsWith('accuracy/') && !k.startsWith('matrix/'))
  return [
    { title: 'Sections', keys: sections, strip: 'section/' },
    { title: 'Subsets', keys: subsets, strip: 'accuracy/' },
    { title: 'Other metrics', keys: rest, strip: '' },
  ].filter((t) => t.keys.length)
}
