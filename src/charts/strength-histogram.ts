import { baseSpec, round4, type Chart } from './chart-types.ts'

/** Class colours of the audit: agreement green, doubt red, undecided grey. */
export const CLASS_COLORS = { domain: ['consistent', 'ambiguous', 'suspect'], range: ['#2e8b57', '#9e9e9e', '#c0392b'] }

/**
 * The audit's preference strengths per subset: a histogram of each pair's mean standardised margin, coloured by
 * class, with the thresholds ±strength dashed. Mass left of −strength is the pairs the models doubt.
 */
export function strengthHistogram(pairs: { group: string; strength: number; class: string }[], threshold: number): Chart | null {
  const values = pairs.filter((p) => Number.isFinite(p.strength) && p.class !== 'unrated').map((p) => ({ group: p.group, strength: round4(p.strength), class: p.class }))
  if (!values.length) return null
  const x = { field: 'strength', type: 'quantitative', title: 'preference strength (mean of the models\' standardised margins)' }
  return {
    name: 'strength-histogram',
    title: 'Preference strength per subset',
    caption: `Each pair's strength: the mean over the models of its margin in units of that model's margin SD. Green: consistent (≥ +${threshold} and a majority for the chosen answer); red: suspect (≤ −${threshold} and a majority for the rejected one); grey: ambiguous.`,
    spec: {
      ...baseSpec('Preference strength per subset'),
      data: { values },
      facet: { row: { field: 'group', type: 'nominal', title: null, header: { labelOrient: 'top', labelAnchor: 'start', labelFontSize: 12, labelFontWeight: 'bold' } } },
      spec: {
        width: 420,
        height: 80,
        layer: [
          { mark: 'bar', encoding: { x: { ...x, bin: { step: 0.25, anchor: 0 } }, y: { aggregate: 'count', type: 'quantitative', title: 'pairs' }, color: { field: 'class', type: 'nominal', scale: CLASS_COLORS, title: null } } },
          { data: { values: [{ t: -threshold }, { t: threshold }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 't', type: 'quantitative' } } },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    },
  }
}
