import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { FakeHub } from '../fake-hub/fake-hub.ts'
import { ModelServer } from '../fake-servers/model-server.ts'
import { cliAsync, ROOT, tmp } from '../e2e/helpers.ts'
import { recordFigures } from './figures.ts'

const RM = join(ROOT, 'fixtures/quickstart-rm')
const rm = (f: string) => readFileSync(join(RM, f))
const API_KEY = 'sk-live-SECRET-api-key-9f8e7d6c'
let scanned = 0
let leaks = 0

/** Every file under `dir` (the run folder, the hub cache, the score records). */
function files(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

function scan(t: { notOk(v: unknown, m: string): unknown }, what: string, text: string | Buffer, secrets: string[]): void {
  scanned++
  for (const s of secrets) {
    const hit = text.includes(s)
    if (hit) leaks++
    t.notOk(hit, `${what} does not contain the secret`)
  }
}

t.test('HF_TOKEN and an API key used in runs appear in no output, file, cache entry or error message', async (t) => {
  const hub = new FakeHub()
  hub.add('model', 'org/private-rm', { 'config.json': rm('config.json'), 'tokenizer.json': rm('tokenizer.json'), 'tokenizer_config.json': rm('tokenizer_config.json'), 'onnx/model.onnx': rm('model.onnx') }, { private: true })
  await hub.start()
  const server = await new ModelServer({ rm: RM, name: 'rm', apiKey: API_KEY }).start()
  t.teardown(async () => { await hub.stop(); await server.stop() })
  const work = tmp()
  const cache = join(work, 'hf-cache')
  const env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache, HF_TOKEN: hub.token, VLLM_API_KEY: API_KEY, HF_HUB_OFFLINE: undefined }
  const secrets = [hub.token, API_KEY]
  const outputs: { what: string; text: string }[] = []
  const runs: [string, string[]][] = [
    ['hub model', ['run', join(ROOT, 'suites/quickstart'), '--limit', '30', '--model', 'hf:org/private-rm', '--out', join(work, 'hub-run')]],
    ['served model', ['run', join(ROOT, 'suites/quickstart'), '--limit', '30', '--model', `vllm:${server.url}?tokenizer=${RM}`, '--out', join(work, 'served-run')]],
    ['served shard', ['run', join(ROOT, 'suites/quickstart'), '--limit', '30', '--model', `vllm:${server.url}?tokenizer=${RM}`, '--shard', '1/2', '--out', join(work, 'shard')]],
    ['json output', ['run', join(ROOT, 'suites/quickstart'), '--limit', '10', '--model', `vllm:${server.url}?tokenizer=${RM}`, '--json', '--out', join(work, 'json-run')]],
    ['fetch', ['fetch', join(ROOT, 'suites/quickstart'), '--model', 'hf:org/private-rm']],
    ['report', ['report', join(work, 'served-run')]],
  ]
  for (const [what, args] of runs) {
    const r = await cliAsync(args, { cwd: work, env })
    t.equal(r.code, 0, `${what}: ${r.stderr}`)
    outputs.push({ what: `${what} stdout`, text: r.stdout }, { what: `${what} stderr`, text: r.stderr })
  }
  // Errors: a wrong key (401 from the model server), a private repo without access, a missing file.
  const errors: [string, string[], Record<string, string | undefined>][] = [
    ['401 from the server', ['run', join(ROOT, 'suites/quickstart'), '--limit', '5', '--model', `vllm:${server.url}?tokenizer=${RM}`, '--retries', '0', '--out', join(work, 'e1')], { ...env, VLLM_API_KEY: API_KEY.slice(0, -1) + 'X' }],
    ['hub 404', ['run', join(ROOT, 'suites/quickstart'), '--model', 'hf:org/does-not-exist', '--out', join(work, 'e2')], env],
    ['hub offline miss', ['run', join(ROOT, 'suites/quickstart'), '--model', 'hf:org/other', '--offline', '--out', join(work, 'e3')], env],
  ]
  for (const [what, args, e] of errors) {
    const r = await cliAsync(args, { cwd: work, env: e })
    t.equal(r.code, 2, `${what}: exit 2`)
    outputs.push({ what: `${what} stdout`, text: r.stdout }, { what: `${what} stderr`, text: r.stderr })
  }
  for (const o of outputs) scan(t, o.what, o.text, secrets)
  for (const f of [...files(work)]) scan(t, f.slice(work.length + 1), readFileSync(f), secrets)
  t.ok(server.auth.some((a) => a === `Bearer ${API_KEY}`), 'the key was really sent')
  t.ok(hub.log.some((l) => l.authorised), 'the token was really used')
})

t.teardown(() => recordFigures('5 secrets', { 'outputs scanned (streams + files)': scanned, 'secrets found': leaks }))
