import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import t from 'tap'
import type { Example } from '../../src/data/types.ts'
import { isRmbenchError } from '../../src/errors.ts'
import type { SuiteSpec } from '../../src/suite/types.ts'
import { loadSuite } from '../../src/suite/load-suite.ts'
import { pairwiseTask } from '../../src/tasks/pairwise/pairwise-task.ts'
import { cli, jsonl, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

// Class 3 (suites mean what they say) and 7 (bounds): a section that names a subset the data lacks, sections that
// measure nothing, weights that weigh nothing, include: of the wrong type, non-finite and out-of-range settings.
const figures = { typos: 0, sectionSuites: 0, bounds: 0, includes: 0 }
const RUNS = 200

/** Pairs whose chosen score beats the rejected one where `right` says; `group` names their subset. */
function scored(groups: { name: string; right: boolean[] }[]) {
  const examples: Example[] = []
  const scores = new Map<string, Record<string, number>>()
  for (const g of groups)
    g.right.forEach((r, i) => {
      const id = `${g.name}-${i}`
      examples.push({ id, group: g.name, prompt: [{ role: 'user', content: 'q' }], chosen: ['c'], rejected: ['r'], origin: { file: 'x', line: i + 1 } })
      scores.set(id, { 'chosen/0': r ? 1 : 0, 'rejected/0': r ? 0 : 1 })
    })
  return { examples, scores }
}

const metricsOrError = (suite: SuiteSpec, data: ReturnType<typeof scored>) => {
  try {
    return pairwiseTask.metrics(data.examples, data.scores, suite)
  } catch (e) {
    if (isRmbenchError(e)) return e
    throw e
  }
}

const groupArb = fc.uniqueArray(fc.record({ name: fc.constantFrom('chat', 'code', 'math', 'safety', 'refusals', 'xstest'), right: fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }) }), { selector: (g) => g.name, minLength: 2, maxLength: 6 })

t.test('declared sections: weighted means by the declared counts, as a by-hand reference computes them', async (t) => {
  await fc.assert(fc.property(groupArb, fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 6, maxLength: 6 }), (groups, counts) => {
    figures.sectionSuites++
    const names = groups.map((g) => g.name)
    const [a, b] = [names.slice(0, Math.ceil(names.length / 2)), names.slice(Math.ceil(names.length / 2))]
    const sections = { A: Object.fromEntries(a.map((n, i) => [n, counts[i]])), B: b }
    const m = metricsOrError({ name: 's', task: 'pairwise', data: { source: 'x' }, sections } as SuiteSpec, scored(groups))
    if (m instanceof Error) return false
    const acc = (n: string) => { const r = groups.find((g) => g.name === n)!.right; return r.filter(Boolean).length / r.length }
    const wantA = a.reduce((s, n, i) => s + acc(n) * counts[i], 0) / a.reduce((s, _, i) => s + counts[i], 0)
    const wantB = b.length ? b.reduce((s, n) => s + acc(n), 0) / b.length : undefined
    const want = wantB === undefined ? wantA : (wantA + wantB) / 2
    return Math.abs(m['section/A'].value - wantA) < 1e-12 && (wantB === undefined || Math.abs(m['section/B'].value - wantB) < 1e-12) && Math.abs(m.score.value - want) < 1e-12 && !m.score.label?.includes('partial')
  }), { numRuns: RUNS })
  t.pass(`${RUNS} generated suites`)
})

t.test('a section naming a subset the data lacks: an error with "did you mean", or partial when rows were left out', async (t) => {
  await fc.assert(fc.property(groupArb, fc.nat(), fc.constantFrom('drop', 'swap', 'case', 'extra'), (groups, pick, how) => {
    figures.typos++
    const real = groups[pick % groups.length].name
    const typo = how === 'drop' ? real.slice(1) : how === 'swap' ? real[1] + real[0] + real.slice(2) : how === 'case' ? real.toUpperCase() : `${real}s`
    fc.pre(!groups.some((g) => g.name === typo))
    const suite = { name: 's', task: 'pairwise', data: { source: 'x' }, sections: { S: [typo, ...groups.filter((g) => g.name !== real).map((g) => g.name)] } } as SuiteSpec
    const e = metricsOrError(suite, scored(groups))
    const strict = e instanceof Error && e.message.includes(`names subset '${typo}', which is not in the data`)
    // With a limit the same suite runs, the section labelled partial, and the score says so.
    const m = metricsOrError({ ...suite, limit: 10 }, scored(groups))
    const partial = !(m instanceof Error) && /^partial: \d+ of \d+ subsets measured \(missing: /.test(m['section/S']?.label ?? '') && m.score.label!.includes('partial')
    return strict && partial
  }), { numRuns: RUNS })
  t.pass(`${RUNS} typos`)
  const data = scored([{ name: 'alpacaeval-easy', right: [true] }, { name: 'mine', right: [false] }])
  const e = metricsOrError({ name: 's', task: 'pairwise', data: { source: 'x' }, sections: { C: ['alpacaeval-esy'] } } as SuiteSpec, data)
  t.match(e, { code: 'E_SUITE_SCHEMA', message: /Did you mean 'alpacaeval-easy'\?/ })
  const none = metricsOrError({ name: 's', task: 'pairwise', data: { source: 'x' }, sections: 'rewardbench' } as SuiteSpec, scored([{ name: 'mine', right: [true] }]))
  t.match(none, { code: 'E_SUITE_SCHEMA', message: /no subset of any section .* is in the data \(sections: rewardbench expects/ }, 'rewardbench preset with none of its subsets: an error, never accuracy')
  const some = metricsOrError({ name: 's', task: 'pairwise', data: { source: 'x' }, sections: 'rewardbench' } as SuiteSpec, data)
  t.notOk(some instanceof Error)
  if (!(some instanceof Error)) {
    t.match(some['section/Chat'].label, /^partial: 1 of 5 subsets measured/, 'the preset with some of its subsets: partial sections')
    t.match(some.score.label, /partial: .*Chat lacks 4 subset\(s\).*Safety not measured/)
  }
  t.throws(() => pairwiseTask.check!({ name: 's', task: 'pairwise', data: { source: 'x' }, sections: { A: ['a'], B: ['b'] }, section_weights: { A: 0, B: 0 } } as SuiteSpec), { code: 'E_SUITE_SCHEMA', message: /section_weights are all 0/ })
  t.throws(() => pairwiseTask.check!({ name: 's', task: 'pairwise', data: { source: 'x' }, sections: { Chat: ['a'] }, section_weights: { Caht: 1 } } as SuiteSpec), { message: /Did you mean 'Chat'\?/ })
})

t.test('bounds and types the suite loader enforces: .inf, .nan, resamples, confidence, weights, include', async (t) => {
  const d = tmp({ 'd.jsonl': jsonl([{ id: 'a', prompt: 'q', chosen: 'c', rejected: 'r' }]) })
  const head = 'name: b\ntask: pairwise\ndata: { source: d.jsonl }\n'
  const bad: [string, RegExp][] = [
    ['stats: { bootstrap: .inf }', /stats\/bootstrap: Infinity is not a finite number/],
    ['sections: { A: [a] }\nsection_weights: { A: .nan }', /section_weights\/A: NaN is not a finite number/],
    ['stats: { bootstrap: 1000001 }', /bootstrap.*1000000/],
    ['stats: { generic_resamples: 5000000 }', /generic_resamples.*1000000/],
    ['stats: { confidence: 1 }', /confidence/],
    ['stats: { confidence: 0 }', /confidence/],
    ['sections: { A: [a] }\nsection_weights: { A: -1 }', /section_weights/],
    ['max_failures: "2.0.0%"', /max_failures/],
    ['include: { a: 1 }', /include must be a path to a suite file, or a list of paths/],
    ['include: [base.yaml, 3]', /include must be a path/],
    ['include: []', /include must be a path/],
    ['include: sub', /included 'sub' is not a file/],
  ]
  mkdirSync(join(d, 'sub'))
  for (const [i, [extra, msg]] of bad.entries()) {
    figures.bounds++
    if (extra.startsWith('include')) figures.includes++
    writeFileSync(join(d, `s${i}.yaml`), head + extra + '\n')
    t.throws(() => loadSuite(join(d, `s${i}.yaml`)), { message: msg }, extra)
  }
  // Through the CLI: exit 2, no results; --limit takes decimal digits only.
  writeFileSync(join(d, 'suite.yaml'), head)
  for (const limit of ['1e3', '0x10', ' 5', '5.0', '', '-1', '0']) {
    figures.bounds++
    const r = cli(['run', d, '--model', 'baseline:length', '--limit', limit, '-q', '--out', join(d, `o-${limit.trim() || 'empty'}`)])
    t.equal(r.code, 2, `--limit ${JSON.stringify(limit)}`)
    t.match(r.stderr, /E_USAGE: --limit .*: expected a positive integer in decimal digits/)
  }
})

t.teardown(() => recordFigures('3 suites mean what they say', {
  'generated section suites checked against a reference': figures.sectionSuites,
  'section typos caught (or partial under a limit)': figures.typos,
  'bound and type cases': figures.bounds,
  'include cases': figures.includes,
}))
