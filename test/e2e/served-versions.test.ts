// One end-to-end test per documented difference between server versions (src/runners/http/README.md): the fake
// servers follow vLLM's and TEI's rules by version (test/fake-servers/vllm-rules.ts, tei-rules.ts), and every path
// either gives the local onnx: runner's scores or stops with one clear error.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ModelServer } from '../fake-servers/model-server.ts'
import { cliAsync, ROOT, tmp } from './helpers.ts'

const RM = join(ROOT, 'fixtures/quickstart-rm')
const TOK = 'tokenizer=fixtures/quickstart-rm'
const rows = (dir: string) => readFileSync(join(dir, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))
const flat = (dir: string) => rows(dir).flatMap((r) => Object.values(r.raw.scores as Record<string, number>))
type T = Pick<typeof t, "teardown" | "ok">
const run = (args: string[]) => cliAsync(['run', 'suites/quickstart', ...args, '-q'])

async function server(t: T, o: ConstructorParameters<typeof ModelServer>[0]): Promise<ModelServer> {
  const s = await new ModelServer({ rm: RM, name: 'org/rm', ...o }).start()
  t.teardown(() => s.stop())
  return s
}

let localDir: string | null = null
async function local(args: string[] = []): Promise<number[]> {
  const out = join(tmp(), 'local')
  const r = await run(['--model', `onnx:fixtures/quickstart-rm${args.length ? '?' + args.join('&') : ''}`, '--out', out])
  if (r.code !== 0) throw new Error(r.stderr)
  if (!args.length) localDir = out
  return flat(out)
}

/**
 * The run recorded exactly what the server answered, within 1e-9: the same set of numbers (`head` maps an answered
 * row to its reward). Sets, since equal requests are asked once and their score is shared by every example.
 */
function asAnswered(t: T, got: number[], s: ModelServer, head: (row: number[]) => number = (r) => r[0]): void {
  const a = [...new Set(got)].sort((x, y) => x - y)
  const b = [...new Set(s.answered.map(head))].sort((x, y) => x - y)
  const worst = a.length === b.length ? Math.max(...a.map((x, i) => Math.abs(x - b[i]))) : Infinity
  t.ok(worst <= 1e-9, `the ${a.length} distinct recorded scores are the ${b.length} the server answered (max |Δ| ${worst})`)
}

function sameScores(t: T, got: number[], want: number[], scale = 1, what = ''): void {
  const worst = Math.max(...got.map((g, i) => Math.abs(g - scale * want[i])))
  t.ok(got.length === want.length && worst <= 1e-5, `${what}: ${got.length} scores equal the local runner's${scale !== 1 ? ` × ${scale}` : ''} (max |Δ| ${worst})`)
}

t.test('vLLM ≥ 0.11.1: /pooling task=classify with use_activation=false', async (t) => {
  const want = await local()
  const s = await server(t, { version: '0.11.2' })
  const out = join(tmp(), 'o')
  const r = await run(['--model', `vllm:${s.url}?${TOK}`, '--out', out])
  t.equal(r.code, 0, r.stderr)
  sameScores(t, flat(out), want, 1, 'pooling')
  asAnswered(t, flat(out), s)
  t.equal(results(out).model.info.pooling, 'POST /pooling, task=classify, use_activation=false')
  t.equal(results(out).model.info.serverVersion, '0.11.2')
})

t.test('vLLM ≥ 0.11.1, a reward-modeling head: classify refused, token_classify used, the last token read', async (t) => {
  const want = await local()
  const s = await server(t, { version: '0.11.2', head: 'reward' })
  const out = join(tmp(), 'o')
  const r = await run(['--model', `vllm:${s.url}?${TOK}`, '--out', out])
  t.equal(r.code, 0, r.stderr)
  sameScores(t, flat(out), want, 1, 'token_classify')
  asAnswered(t, flat(out), s)
  t.match(results(out).model.info.pooling, /task=token_classify, use_activation=false \(per-token output: the last token's row is the reward\)/)
  // api=classify has no other way: the refusal stops the run with the server's (nested, ≥ 0.10.1) message.
  const r2 = await run(['--model', `vllm:${s.url}?${TOK}&api=classify`, '--out', join(tmp(), 'x')])
  t.equal(r2.code, 2)
  t.match(r2.stderr, /E_HTTP_SERVER: the vLLM server refused every way .*Task classify is not supported by this model/)
})

t.test('vLLM 0.10.1–0.11.0: /classify with activation=false (use_activation would be ignored there)', async (t) => {
  const want = await local()
  const s = await server(t, { version: '0.10.2' })
  const out = join(tmp(), 'o')
  const r = await run(['--model', `vllm:${s.url}?${TOK}`, '--out', out])
  t.equal(r.code, 0, r.stderr)
  sameScores(t, flat(out), want, 1, 'activation=false')
  asAnswered(t, flat(out), s)
  t.match(results(out).model.info.pooling, /POST \/classify, activation=false \(vLLM 0\.10\.1–0\.11\.0\)/)
  // The hazard the version check avoids: this version drops use_activation and answers sigmoid(logit).
  const res = await fetch(`${s.url}/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'org/rm', input: [[5, 6, 7]], use_activation: false }) })
  const p = ((await res.json()) as { data: { probs: number[] }[] }).data[0].probs[0]
  t.ok(p > 0 && p < 1, `use_activation=false on 0.10.2 still gives a probability (${p})`)
})

t.test('vLLM 0.10.x reward head: /classify refused, /pooling with softmax=false', async (t) => {
  const want = await local()
  const s = await server(t, { version: '0.10.2', head: 'reward' })
  const out = join(tmp(), 'o')
  const r = await run(['--model', `vllm:${s.url}?${TOK}`, '--out', out])
  t.equal(r.code, 0, r.stderr)
  sameScores(t, flat(out), want, 1, 'softmax=false')
  asAnswered(t, flat(out), s)
  t.match(results(out).model.info.pooling, /POST \/pooling, softmax=false/)
})

t.test('vLLM before 0.10.1 cannot return raw logits: refused at the start, nothing written', async (t) => {
  const s = await server(t, { version: '0.8.5' })
  const out = join(tmp(), 'o')
  const r = await run(['--model', `vllm:${s.url}?${TOK}`, '--out', out])
  t.equal(r.code, 2)
  t.match(r.stderr, /E_HTTP_SERVER: vLLM 0\.8\.5 applies the model's activation .*0\.10\.1/)
  t.notOk(existsSync(join(out, 'results.json')))
  t.notOk(s.stats.byPath['/pooling'] || s.stats.byPath['/classify'], 'no scoring request was sent')
})

t.test('a server that hides GET /version: warned, the newest fields sent', async (t) => {
  const want = await local()
  const s = await server(t, { version: '0.11.2', noVersion: true })
  const out = join(tmp(), 'o')
  const r = await cliAsync(['run', 'suites/quickstart', '--model', `vllm:${s.url}?${TOK}`, '--out', out])
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /version is unknown .*assuming ≥ 0\.11\.1/)
  sameScores(t, flat(out), want, 1, 'no /version')
  t.equal(results(out).model.info.serverVersion, null)
})

t.test('TEI: single texts batched as [[text]], pairs as [[q, r]], labels ordered by /info id2label', async (t) => {
  const chat = await local()
  const pair = await local(['template=pair'])
  const s = await server(t, { flavor: 'tei' })
  for (const [name, spec, want, scale] of [
    ['chat template, batch 16', `tei:${s.url}?${TOK}`, chat, 1],
    ['chat template, batch 1', `tei:${s.url}?${TOK}&batch_size=1`, chat, 1],
    ['text pairs', `tei:${s.url}`, pair, 1],
  ] as const) {
    const out = join(tmp(), 'o')
    const r = await run(['--model', spec, '--out', out])
    t.equal(r.code, 0, `${name}: ${r.stderr}`)
    sameScores(t, flat(out), want as number[], scale, name)
  }
  // Two labels whose names sort against their ids (0 'zeta_worse', 1 'alpha_better'): label 1 − label 0 = 2x.
  const two = await server(t, { flavor: 'tei', twoLabels: true })
  const out = join(tmp(), 'o')
  const r = await run(['--model', `tei:${two.url}`, '--out', out])
  t.equal(r.code, 0, r.stderr)
  sameScores(t, flat(out), pair, 2, 'two labels in /info order')
  asAnswered(t, flat(out), two, (r) => r[1] - r[0])
  t.equal(results(out).model.info.labelOrder, 'GET /info')
  // The rule the batch form avoids: a list whose first element is a string is one input (three strings: 422).
  const post = (inputs: unknown) => fetch(`${s.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs, raw_scores: true }) })
  t.equal((await post(['a', 'b', 'c'])).status, 422)
  t.ok(!Array.isArray(((await (await post(['a'])).json()) as unknown[])[0]), '["a"] is one input, answered flat')
  t.ok(Array.isArray(((await (await post([['a']])).json()) as unknown[])[0]), '[["a"]] is a batch, answered nested')
})

t.test('TEI: an input over max_input_length fails alone (the batch is split), named by the server', async (t) => {
  const s = await server(t, { flavor: 'tei', maxInputLength: 24 })
  const out = join(tmp(), 'o')
  const r = await run(['--model', `tei:${s.url}?${TOK}`, '--out', out])
  t.equal(r.code, 3, 'completed with failures')
  const failed = rows(out).filter((x) => x.error)
  t.ok(failed.length > 0 && failed.length < rows(out).length, `${failed.length} of ${rows(out).length} examples failed`)
  t.match(failed[0].error.message, /must have less than 24 tokens\. Given: \d+/)
})
void localDir

const DEBERTA = join(ROOT, '..', 'shared', 'data', 'reference-models', 'deberta-rm')
t.test('TEI with the DeBERTa reference RM (WordPiece, token types): served text pairs score as the local runner', { skip: !existsSync(DEBERTA) && 'needs ../shared/data (absent)' }, async (t) => {
  const want = join(tmp(), 'local')
  t.equal((await run(['--model', `onnx:${DEBERTA}?template=pair&max_length=512`, '--out', want])).code, 0)
  const s = await server(t, { flavor: 'tei', rm: DEBERTA, maxInputLength: 512 })
  const out = join(tmp(), 'o')
  const r = await run(['--model', `tei:${s.url}`, '--out', out])
  t.equal(r.code, 0, r.stderr)
  const got = flat(out)
  const ref = flat(want)
  const worst = Math.max(...got.map((g, i) => Math.abs(g - ref[i]) / Math.max(1, Math.abs(ref[i]))))
  t.ok(got.length === ref.length && worst <= 1e-4, `${got.length} scores, max relative |Δ| ${worst.toExponential(2)}`)
})

t.test("log-probs: a prompt with no room for the one generated token beside max_model_len fails alone, named, never sent", async (t) => {
  const s = await server(t, { rm: undefined, lm: join(ROOT, 'fixtures/tiny-lm-policy'), name: 'tiny-lm-policy', maxModelLen: 40 })
  const out = join(tmp(), 'o')
  const r = await cliAsync(['run', 'suites/ranking-accuracy-mini', '--model', `vllm:${s.url}?tokenizer=fixtures/tiny-lm-policy&api=completions`, '--lm', 'ref=onnx:fixtures/tiny-lm-ref', '--out', out, '-q'])
  const failed = rows(out).filter((x) => x.error)
  t.ok(failed.length > 0 && failed.length < rows(out).length, `${failed.length} of ${rows(out).length} examples failed (exit ${r.code})`)
  t.ok(failed.every((x) => /E_TOO_LONG/.test(JSON.stringify(x.error))), 'each as E_TOO_LONG, not the server\'s 400')
  t.match(JSON.stringify(failed[0].error), /leave no room for the one generated token .*max_model_len is 40/)
})
