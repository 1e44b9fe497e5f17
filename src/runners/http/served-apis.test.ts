import t from 'tap'
import { callInBatches } from './batched-calls.ts'
import { labelLogprob, LOG_ZERO } from './chat-judge.ts'
import { echoSum, promptLogprobsSum } from './completion-logprobs.ts'
import { HttpFailure } from './http-failure.ts'
import { byIndex } from './json-shape.ts'
import { pooledLogits } from './reward-apis.ts'
import { endpointsFrom } from './served-options.ts'

t.test('pooled outputs: a scalar, a label vector, or per-token rows read at the last token', async (t) => {
  t.same(pooledLogits(1.5, 'x'), [1.5])
  t.same(pooledLogits([0.1, -2], 'x'), [0.1, -2])
  t.same(pooledLogits([[1], [2], [3.5]], 'x'), [3.5])
  t.throws(() => pooledLogits(['a'], 'data[0].data'), /data\[0\].data\[0\] is "a", not a finite number/)
  t.throws(() => pooledLogits([null], 'x'), /not a finite number/)
})

t.test('answers are put back in request order by index; counts must match', async (t) => {
  t.same(byIndex({ data: [{ index: 1, v: 'b' }, { index: 0, v: 'a' }] }, 'data', 2).map((d) => d.v), ['a', 'b'])
  t.throws(() => byIndex({ data: [{ index: 0 }] }, 'data', 2), /1 items for 2 inputs/)
  t.throws(() => byIndex({ data: [{ index: 0 }, { index: 0 }] }, 'data', 2), /out of place/)
  t.throws(() => byIndex({ nope: [] }, 'data', 1), /'data' is not a list/)
})

t.test('echoed log-probs: token ids sum from the response start; element 0 is null', async (t) => {
  const lp = { token_logprobs: [null, -1, -2, -0.5, -0.25, -9], tokens: [], text_offset: [] }
  // ids [a b c d e] + 1 generated; response starts at index 3 → -0.5 + -0.25
  t.same(echoSum({ ids: [1, 2, 3, 4, 5], start: 3 }, lp, 0), { value: -0.75, tokens: 2 })
  t.throws(() => echoSum({ ids: [1, 2, 3, 4, 5, 6, 7], start: 3 }, lp, 0), /echoed 6 tokens for a prompt of 7 tokens/)
})

t.test('echoed log-probs over text: the boundary and count come from tokenising here, never from text_offset', async (t) => {
  // vLLM's text_offset is a running sum of decoded token lengths (serving_completion.py): here deliberately not the
  // characters' positions, and ignored. 8 prompt tokens, the response from token 5; the 9th value is generated.
  const lp = { tokens: ['Q', ':', ' hi', '\n', 'A', ': y', 'es', ' no', '!'], token_logprobs: [null, -1, -1, -1, -1, -0.5, -0.25, -0.125, -7], text_offset: [0, 1, 2, 5, 6, 7, 10, 12, 15] }
  t.same(echoSum({ text: 'Q: hi\nA: yes no', start: 5, count: 8 }, lp, 0), { value: -0.875, tokens: 3 })
  t.throws(() => echoSum({ text: 'Q: hi\nA: yes no', start: 5, count: 6 }, lp, 0), /echoed 9 tokens for a prompt of 6 tokens as the \?tokenizer= folder tokenises it/)
})

t.test("vLLM prompt_logprobs: the entry keyed by each actual token id", async (t) => {
  const list = [null, { '7': { logprob: -1 }, '3': { logprob: -0.1 } }, { '8': { logprob: -2 } }, { '9': { logprob: -0.5 }, '1': { logprob: -0.01 } }]
  t.same(promptLogprobsSum({ ids: [5, 7, 8, 9], start: 2 }, list, 0), { value: -2.5, tokens: 2 })
  t.throws(() => promptLogprobsSum({ ids: [5, 7, 8, 4], start: 2 }, list, 0), /prompt_logprobs\[3\]\['4'\] is not an object/, 'the actual token must be listed')
})

t.test('chat verdicts: top log-probs, spellings merged, outside the top is LOG_ZERO, unparseable is an error', async (t) => {
  const req = (response: string) => ({ prompt: [], response, choices: ['A', 'B'] })
  const top = [{ token: 'A', logprob: Math.log(0.5) }, { token: ' A', logprob: Math.log(0.25) }, { token: 'B', logprob: Math.log(0.2) }, { token: 'The', logprob: Math.log(0.05) }]
  const a = labelLogprob({ content: 'A', top }, req('A'))
  t.ok('value' in a && Math.abs(a.value - Math.log(0.75)) < 1e-12, 'P(A) = 0.5 + 0.25')
  const b = labelLogprob({ content: 'A', top }, req('B'))
  t.ok('value' in b && Math.abs(b.value - Math.log(0.2)) < 1e-12)
  t.same(labelLogprob({ content: 'A', top: top.slice(0, 2) }, req('B')), { value: LOG_ZERO, tokens: 1 }, 'B outside the top alternatives')
  t.same(labelLogprob({ content: '[[B]]', top: null }, req('B')), { value: 0, tokens: 1 }, 'no logprobs: the text decides')
  t.same(labelLogprob({ content: '[[B]]', top: null }, req('A')), { value: LOG_ZERO, tokens: 1 })
  const bad = labelLogprob({ content: 'The first one', top: [{ token: 'The', logprob: -0.1 }] }, req('A'))
  t.equal('error' in bad && bad.error.code, 'E_VERDICT', 'an answer naming no choice is unparseable, never a tie')
  t.same(labelLogprob({ content: '7', top: null }, { prompt: [], response: '7', choices: ['1', '7', '10'] }), { value: 0, tokens: 1 })
})

t.test('batched calls: split by size; a 4xx batch is retried one by one; failures are per-item errors', async (t) => {
  const calls: number[][] = []
  const got = await callInBatches([1, 2, 3, 4, 5], 2, async (b) => {
    calls.push(b)
    if (b.includes(4) && b.length > 1) throw new HttpFailure('status', 'POST /pooling: HTTP 400 (too long)', 400)
    if (b.includes(4)) throw new HttpFailure('status', 'POST /pooling: HTTP 400 (too long)', 400)
    if (b.includes(5)) throw new HttpFailure('status', 'POST /pooling: HTTP 503', 503)
    return b.map((x) => ({ value: x * 10 }))
  })
  t.same(calls, [[1, 2], [3, 4], [5], [3], [4]])
  t.same(got, [{ value: 10 }, { value: 20 }, { value: 30 }, { error: { code: 'E_HTTP_400', message: 'POST /pooling: HTTP 400 (too long)' } }, { error: { code: 'E_HTTP_503', message: 'POST /pooling: HTTP 503' } }])
  await t.rejects(callInBatches([1], 1, async () => { throw new HttpFailure('shape', 'POST /pooling: unexpected answer') }), { code: 'E_HTTP_SERVER' })
})

t.test('endpoints: comma lists and the endpoints option, /v1 folded, credentials refused', async (t) => {
  t.same(endpointsFrom('http://a:8000,http://b:8000/', { endpoints: 'http://c:1/v1,http://a:8000' }, 'vllm'), ['http://a:8000', 'http://b:8000', 'http://c:1'])
  t.throws(() => endpointsFrom('', {}, 'vllm'), { code: 'E_MODEL_SPEC', message: /needs a server URL/ })
  t.throws(() => endpointsFrom('localhost:8000', {}, 'vllm'), { code: 'E_MODEL_SPEC', message: /http/ })
  t.throws(() => endpointsFrom('http://user:sk-1@h:1', {}, 'vllm'), { code: 'E_MODEL_SPEC', message: /api_key_env/ })
})

t.test("each server's error shape reads into the message (vLLM flat and nested, FastAPI detail, TEI, plain text)", async (t) => {
  const { requestJson } = await import('./request-json.ts')
  const answer = (status: number, body: string, type = 'application/json') => async () => new Response(body, { status, headers: { 'content-type': type } })
  const cases: [string, number, string, string | undefined, RegExp][] = [
    ['vLLM < 0.10.1', 400, JSON.stringify({ object: 'error', message: "This model's maximum context length is 512 tokens.", type: 'BadRequestError', param: null, code: 400 }), undefined, /HTTP 400 \(This model's maximum context length is 512 tokens\.\)/],
    ['vLLM ≥ 0.10.1', 400, JSON.stringify({ error: { message: 'Task classify is not supported', type: 'BadRequestError', param: null, code: 400 } }), undefined, /HTTP 400 \(Task classify is not supported\)/],
    ['FastAPI route', 404, JSON.stringify({ detail: 'Not Found' }), undefined, /HTTP 404 \(Not Found\)/],
    ['FastAPI validation', 422, JSON.stringify({ detail: [{ loc: ['body', 'input'], msg: 'Field required' }] }), undefined, /HTTP 422 \(.*Field required/],
    ['TEI', 422, JSON.stringify({ error: 'Input validation error: `inputs` must have less than 512 tokens. Given: 600', error_type: 'Validation' }), undefined, /HTTP 422 \(Input validation error: `inputs` must have less than 512 tokens\. Given: 600\)/],
    ['axum rejection', 422, 'Failed to deserialize the JSON body into the target type: inputs: invalid length 3', 'text/plain', /HTTP 422 \(Failed to deserialize the JSON body .*invalid length 3\)/],
  ]
  for (const [what, status, body, type, want] of cases)
    await t.rejects(requestJson(answer(status, body, type), 'http://x/p', { method: 'POST', body: {}, timeoutMs: 1000 }), { message: want }, what)
})

t.test('a refusal every input shares stops the run; distinct per-input errors stay per item; 404 always stops', async (t) => {
  const all = (msg: string) => async () => { throw new HttpFailure('status', `POST /pooling: HTTP 400 (${msg})`, 400) }
  await t.rejects(callInBatches([1, 2, 3], 3, all('unsupported input type')), { code: 'E_HTTP_SERVER', message: /refuses these requests: POST \/pooling: HTTP 400 \(unsupported input type\)/ })
  const perInput = await callInBatches([1, 2, 3], 3, async (b: number[]) => {
    if (b.length > 1 || b[0] !== 2) throw new HttpFailure('status', `POST /pooling: HTTP 400 (input ${b.join(',')} has ${100 * b[0]} tokens, more than 150)`, 400)
    return [{ value: 2 }]
  })
  t.same(perInput.map((r) => ('value' in r ? r.value : r.error.code)), ['E_HTTP_400', 2, 'E_HTTP_400'])
  await t.rejects(callInBatches([1], 1, async () => { throw new HttpFailure('status', 'POST /pooling: HTTP 404 (Not Found)', 404) }), { code: 'E_HTTP_SERVER', message: /404/ })
})

t.test('vLLM versions pick the fields that turn the activation off, or refuse', async (t) => {
  const { poolingAttempts, parseVersion } = await import('./vllm-dialect.ts')
  t.same(parseVersion('0.11.1rc2.dev3+g1234'), [0, 11, 1])
  t.same(parseVersion('v0.10.2'), [0, 10, 2])
  t.equal(parseVersion('unknown'), null)
  const warn: string[] = []
  t.same(poolingAttempts('0.11.1', 'pooling', (m) => warn.push(m)).map((a) => a.params), [{ task: 'classify', use_activation: false }, { task: 'token_classify', use_activation: false }])
  t.same(poolingAttempts('0.12.0', 'classify', (m) => warn.push(m)).map((a) => [a.path, a.params]), [['/classify', { use_activation: false }]])
  t.same(poolingAttempts('0.11.0', 'pooling', (m) => warn.push(m)).map((a) => [a.path, a.params]), [['/classify', { activation: false }], ['/pooling', { softmax: false }]])
  t.same(poolingAttempts('0.10.1', 'classify', (m) => warn.push(m)).map((a) => a.path), ['/classify', '/pooling'])
  t.equal(warn.length, 0)
  t.throws(() => poolingAttempts('0.10.0', 'pooling', () => {}), { code: 'E_HTTP_SERVER', message: /vLLM 0\.10\.0 applies the model's activation/ })
  t.throws(() => poolingAttempts('0.8.5', 'classify', () => {}), { code: 'E_HTTP_SERVER' })
  poolingAttempts(null, 'pooling', (m) => warn.push(m))
  t.match(warn[0], /version is unknown/)
})
