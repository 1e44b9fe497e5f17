import { mdText } from '../report/markdown-report.ts'
import { formatPercent } from '../report/metric-format.ts'
import { fmtP, type GateVerdict } from './gates.ts'
import type { Comparison } from './paired-comparison.ts'

/** XML text and attribute values: the five predefined entities, and no control characters XML 1.0 forbids. */
export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '�')
}

const pct = formatPercent

/** JUnit XML: one testcase per gated metric, a <failure> explaining each crossed gate. */
export function gateJunit(c: Comparison, v: GateVerdict): string {
  const cases = v.gates.map((g) => {
    const body = `baseline ${pct(g.baseline)}, candidate ${pct(g.candidate)}, drop ${g.drop.toFixed(2)} pts (CI ${g.ci[0].toFixed(2)} to ${g.ci[1].toFixed(2)}), tolerance ${g.maxDrop.toFixed(2)} pts, ${g.test} p = ${fmtP(g.p)}, Holm p = ${fmtP(g.pAdjusted)}, alpha ${v.alpha}; ${c.shared} shared examples`
    const inner = g.failed ? `\n      <failure message="${xmlText(g.reason)}" type="RegressionGate">${xmlText(body)}</failure>\n    ` : `\n      <system-out>${xmlText(`${g.reason}. ${body}`)}</system-out>\n    `
    return `    <testcase classname="rmbench.${xmlText(c.suite)}" name="${xmlText(g.metric)}" time="0">${inner}</testcase>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="rmbench compare" tests="${v.gates.length}" failures="${v.failed}" errors="0">
  <testsuite name="${xmlText(`rmbench compare ${c.suite}`)}" tests="${v.gates.length}" failures="${v.failed}" errors="0" skipped="0">
${cases.join('\n')}
  </testsuite>
</testsuites>
`
}

/** Run, suite and model names are user text: inert in Markdown, kept whole (no cut). */
const cell = (s: string) => mdText(s, Infinity)

/** The gate verdict as Markdown for a PR comment or $GITHUB_STEP_SUMMARY: stable (no times), verdict first. */
export function gateMarkdown(c: Comparison, v: GateVerdict): string {
  const head = v.passed
    ? `### ✅ rmbench: no regression on ${cell(c.suite)}`
    : `### ❌ rmbench: ${v.failed} regression${v.failed === 1 ? '' : 's'} on ${cell(c.suite)}`
  const lines = [
    head, '',
    `Baseline \`${cell(c.a)}\` vs candidate \`${cell(c.b)}\`: ${c.shared} shared examples${c.onlyA || c.onlyB ? ` (${c.onlyA} only in the baseline, ${c.onlyB} only in the candidate, left out)` : ''}. A gate fails when the drop exceeds its tolerance **and** is significant (Holm-adjusted p < ${v.alpha}).`, '',
    `| gate | baseline | candidate | drop (pts) | ${Math.round(c.confidence * 100)}% CI of drop | tolerance | p (Holm) | result |`,
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...v.gates.map((g) => `| ${cell(g.metric)} | ${pct(g.baseline)} | ${pct(g.candidate)} | ${g.drop.toFixed(2)} | ${g.ci[0].toFixed(2)} – ${g.ci[1].toFixed(2)} | ${g.maxDrop.toFixed(2)} | ${fmtP(g.pAdjusted)} | ${g.failed ? '❌ fail' : '✅ pass'} |`),
    '',
    ...v.gates.map((g) => `- **${cell(g.metric)}**: ${cell(g.reason)}`),
    '',
  ]
  return lines.join('\n')
}
