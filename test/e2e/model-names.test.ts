import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { runners } from '../../src/runners/registry.ts'
import { cli, tmp } from './helpers.ts'

t.test('run --help lists every model spec kind of the registry, expr:, the bundled models and examples', async (t) => {
  const r = cli(['run', '--help'])
  t.equal(r.code, 0)
  const help = r.stdout.slice(r.stdout.indexOf('Models (--model):'))
  for (const name of runners.names()) t.match(help, new RegExp(`\\n  ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[:< ]`), `lists ${name}`)
  t.match(help, /\n  expr:<expression> /)
  t.match(help, /bundled: quickstart-rm, tiny-lm-policy, tiny-lm-ref/)
  const examples = help.slice(help.indexOf('Examples:')).split('\n').filter((l) => l.startsWith('  rmbench run '))
  t.ok(examples.length >= 2, `${examples.length} examples`)
})

t.test('bundled suites and models by name, from a folder that has neither', async (t) => {
  const d = tmp()
  const r = cli(['run', 'quickstart', '--model', 'quickstart-rm', '--limit', '8', '-q', '--out', join(d, 'out')], { cwd: d })
  t.equal(r.code, 0, r.stderr)
  t.ok(existsSync(join(d, 'out/results.json')))
  t.match(r.stdout, /quickstart · quickstart-rm \(onnx:.*fixtures\/quickstart-rm\)/, 'the summary names the folder it ran')
  const typo = cli(['run', 'quickstrat', '-q'], { cwd: d })
  t.equal(typo.code, 2)
  t.match(typo.stderr, /E_SUITE_NOT_FOUND: quickstrat: no such suite file or folder, nor a bundled suite\. Did you mean 'quickstart'\? Bundled: .*quickstart/)
  t.notOk(typo.stderr.includes('    at '), 'no stack trace')
})

t.test('an unknown --model lists what --model can be: spec kinds, expr:, the config names, the bundled models', async (t) => {
  const d = tmp({ 'bench.config.mjs': "export default { models: { 'my-rm': 'baseline:length', judge: 'baseline:random' } }\n" })
  const r = cli(['run', 'quickstart', '--model', 'my-rn', '-q', '--out', join(d, 'out')], { cwd: d })
  t.equal(r.code, 2)
  t.match(r.stderr, /E_UNKNOWN_NAME: --model 'my-rn' is not a model spec, a name from bench\.config\.ts \(bench\.config\.mjs names: my-rm, judge\) or a bundled model\. Did you mean 'my-rm'\?/)
  t.match(r.stderr, /Specs: .*onnx:.*vllm:.* and expr:<expression>/)
  t.match(r.stderr, /bundled models: quickstart-rm, tiny-lm-policy, tiny-lm-ref/)
  t.notOk(existsSync(join(d, 'out/results.json')))
  const none = cli(['run', 'quickstart', '--model', 'quickstart-rn', '-q'], { cwd: tmp() })
  t.match(none.stderr, /\(no bench\.config\.ts here\) or a bundled model\. Did you mean 'quickstart-rm'\?/)
  const spec = cli(['run', 'quickstart', '--model', 'onxx:./x', '-q'], { cwd: tmp() })
  t.equal(spec.code, 2)
  t.match(spec.stderr, /E_UNKNOWN_NAME: --model 'onxx:\.\/x' .*Did you mean 'onnx'\?/, 'a mistyped spec kind: the same coded error, guessing the kind')
})
