import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT, testEnv, tmp } from './helpers.ts'

// onnxruntime 1.29+ starts a telemetry uploader on Linux when its library loads, unless the environment says no
// first (or a CI variable is set: onnxruntime's core/platform/telemetry_environment.h). The child processes here run
// with no CI variable and no opt-out, in a fresh HOME, so what onnxruntime would store is visible.
const CI_VARS = ['CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'TRAVIS', 'JENKINS_URL', 'CODEBUILD_BUILD_ID', 'BUILDKITE', 'TEAMCITY_VERSION', 'APPVEYOR', 'BITBUCKET_BUILD_NUMBER', 'SYSTEM_TEAMFOUNDATIONCOLLECTIONURI', 'ORT_DISABLE_TELEMETRY', 'ORT_TELEMETRY_DISABLED', 'ORT_RUNNING_UNIT_TESTS', 'XDG_CACHE_HOME']

function bareEnv(home: string): NodeJS.ProcessEnv {
  const env = testEnv({ HOME: home, TMPDIR: home })
  for (const v of CI_VARS) delete env[v]
  return env
}
const stored = (home: string) => existsSync(join(home, '.cache/Microsoft/DeveloperTools/.onnxruntime'))

t.test("onnxruntime's telemetry store is never created by an rmbench run", async (t) => {
  const control = tmp()
  const load = `require(${JSON.stringify(join(ROOT, 'node_modules/onnxruntime-node'))}).InferenceSession.create(${JSON.stringify(join(ROOT, 'fixtures/quickstart-rm/model.onnx'))}).then(() => console.log('loaded'))`
  const c = spawnSync(process.execPath, ['-e', load], { cwd: control, env: bareEnv(control), encoding: 'utf8' })
  t.equal(c.stdout.trim(), 'loaded', c.stderr)
  t.ok(stored(control), 'control: onnxruntime loaded bare stores a device id and events under ~/.cache/Microsoft')

  const home = tmp()
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/rmbench.js'), 'run', join(ROOT, 'suites/quickstart'), '--model', `onnx:${join(ROOT, 'fixtures/quickstart-rm')}`, '--limit', '8', '-q', '--out', join(home, 'out')], { cwd: home, env: bareEnv(home), encoding: 'utf8', timeout: 120_000 })
  t.equal(r.status, 0, r.stderr)
  t.notOk(stored(home), 'rmbench: nothing under ~/.cache/Microsoft')
  t.same(readdirSync(home).filter((n) => n !== 'out'), [], 'and nothing else in HOME, the working folder or TMPDIR')
})
