// Writes transformer-shaped ONNX reward models for `npm run bench` (deterministic, seeded): token + position
// embeddings, L pre-LN blocks of multi-head attention and a ReLU MLP, a final LayerNorm, first-token pooling and
// a linear head → logits [batch, 1]. Sized so the model, not JavaScript, is the cost ("big"), or so that
// per-call overhead dominates ("tiny").
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import onnxProto from 'onnx-proto'
import { createRng } from '../src/stats/rng.ts'

const { onnx } = onnxProto
const F = onnx.TensorProto.DataType.FLOAT
const I64 = onnx.TensorProto.DataType.INT64
const INT = onnx.AttributeProto.AttributeType.INT
const FLOATA = onnx.AttributeProto.AttributeType.FLOAT
const INTS = onnx.AttributeProto.AttributeType.INTS

/** Shape of a generated model. */
export interface BenchModelShape { hidden: number; layers: number; heads: number; ff: number; vocab: number; maxPos: number }

export const BIG: BenchModelShape = { hidden: 256, layers: 2, heads: 4, ff: 1024, vocab: 2000, maxPos: 1024 }
export const TINY: BenchModelShape = { hidden: 16, layers: 1, heads: 2, ff: 32, vocab: 2000, maxPos: 1024 }

/** The vocabulary: pseudo-words w0…w(V-3) plus [PAD] and [UNK], over a whitespace pre-tokenizer. */
export function benchWords(vocab: number): string[] {
  return Array.from({ length: vocab - 2 }, (_, i) => `w${i}`)
}

function graph(s: BenchModelShape, seed: number): Uint8Array {
  const rng = createRng(seed)
  const inits: onnxProto.onnx.ITensorProto[] = []
  const nodes: onnxProto.onnx.INodeProto[] = []
  const randn = (n: number, scale: number) => Float32Array.from({ length: n }, () => {
    const u = Math.max(rng.next(), 1e-12), v = rng.next()
    return scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  })
  const w = (name: string, dims: number[], data: Float32Array) => { inits.push({ name, dims, dataType: F, rawData: new Uint8Array(data.buffer) }); return name }
  const ints = (name: string, values: number[]) => { inits.push({ name, dims: [values.length], dataType: I64, rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) }); return name }
  const scalarI = (name: string, v: number) => { inits.push({ name, dims: [], dataType: I64, rawData: new Uint8Array(BigInt64Array.of(BigInt(v)).buffer) }); return name }
  const scalarF = (name: string, v: number) => { inits.push({ name, dims: [], dataType: F, rawData: new Uint8Array(Float32Array.of(v).buffer) }); return name }
  let n = 0
  const op = (opType: string, input: string[], attribute: onnxProto.onnx.IAttributeProto[] = []) => {
    const out = `t${n++}`
    nodes.push({ opType, input, output: [out], attribute })
    return out
  }
  const { hidden: H, heads: nh, ff, vocab: V, maxPos } = s
  const dh = H / nh
  const ones = (k: number) => Float32Array.from({ length: k }, () => 1)
  const zeros = (k: number) => new Float32Array(k)
  const ln = (x: string, p: string) => op('LayerNormalization', [x, w(`${p}.g`, [H], ones(H)), w(`${p}.b`, [H], zeros(H))], [{ name: 'axis', type: INT, i: -1 }, { name: 'epsilon', type: FLOATA, f: 1e-5 }])
  const linear = (x: string, p: string, i: number, o: number) => op('Add', [op('MatMul', [x, w(`${p}.w`, [i, o], randn(i * o, 1 / Math.sqrt(i)))]), w(`${p}.bias`, [o], zeros(o))])

  // Embeddings: tokens + positions 0..T-1.
  const T = op('Gather', [op('Shape', ['input_ids']), scalarI('one', 1)], [{ name: 'axis', type: INT, i: 0 }])
  const pos = op('Range', [scalarI('zero', 0), T, scalarI('step', 1)])
  let x = op('Add', [op('Gather', [w('tok_emb', [V, H], randn(V * H, 0.5)), 'input_ids']), op('Gather', [w('pos_emb', [maxPos, H], randn(maxPos * H, 0.1)), pos])])
  // Additive mask [B, 1, 1, T]: 0 on tokens, -1e4 on padding.
  const maskf = op('Cast', ['attention_mask'], [{ name: 'to', type: INT, i: F }])
  const bias = op('Unsqueeze', [op('Mul', [op('Sub', [scalarF('onef', 1), maskf]), scalarF('neg', -1e4)]), ints('axes12', [1, 2])])
  const split = ints('split_shape', [0, 0, nh, dh])
  const merge = ints('merge_shape', [0, 0, H])
  for (let l = 0; l < s.layers; l++) {
    const h = ln(x, `l${l}.ln1`)
    const heads = (p: string, perm: number[]) => op('Transpose', [op('Reshape', [linear(h, `l${l}.${p}`, H, H), split])], [{ name: 'perm', type: INTS, ints: perm }])
    const q = heads('q', [0, 2, 1, 3]), k = heads('k', [0, 2, 3, 1]), v = heads('v', [0, 2, 1, 3])
    const att = op('Softmax', [op('Add', [op('Mul', [op('MatMul', [q, k]), scalarF(`l${l}.scale`, 1 / Math.sqrt(dh))]), bias])], [{ name: 'axis', type: INT, i: -1 }])
    const ctx = op('Reshape', [op('Transpose', [op('MatMul', [att, v])], [{ name: 'perm', type: INTS, ints: [0, 2, 1, 3] }]), merge])
    x = op('Add', [x, linear(ctx, `l${l}.o`, H, H)])
    const m = linear(op('Relu', [linear(ln(x, `l${l}.ln2`), `l${l}.ff1`, H, ff)]), `l${l}.ff2`, ff, H)
    x = op('Add', [x, m])
  }
  const pooled = op('Gather', [ln(x, 'final'), scalarI('first', 0)], [{ name: 'axis', type: INT, i: 1 }])
  nodes.push({ opType: 'Add', input: [op('MatMul', [pooled, w('head.w', [H, 1], randn(H, 1 / Math.sqrt(H)))]), w('head.b', [1], zeros(1))], output: ['logits'] })
  const dim = (p: string) => ({ dimParam: p })
  const io = (name: string, type: number, shape: object[]) => ({ name, type: { tensorType: { elemType: type, shape: { dim: shape } } } })
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'rmbench bench/make-bench-model.ts',
    graph: {
      name: 'bench_transformer_rm',
      input: [io('input_ids', I64, [dim('batch'), dim('sequence')]), io('attention_mask', I64, [dim('batch'), dim('sequence')])],
      output: [io('logits', F, [dim('batch'), { dimValue: 1 }])],
      initializer: inits,
      node: nodes,
    },
  }).finish()
}

/** Writes a model folder (model.onnx, tokenizer.json, tokenizer_config.json, config.json). */
export function writeBenchModel(dir: string, s: BenchModelShape, seed = 1): void {
  mkdirSync(dir, { recursive: true })
  const vocab: Record<string, number> = { '[PAD]': 0, '[UNK]': 1 }
  benchWords(s.vocab).forEach((wd, i) => (vocab[wd] = i + 2))
  writeFileSync(join(dir, 'model.onnx'), graph(s, seed))
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({
    version: '1.0', truncation: null, padding: null, added_tokens: [{ id: 0, content: '[PAD]', special: true, single_word: false, lstrip: false, rstrip: false, normalized: false }, { id: 1, content: '[UNK]', special: true, single_word: false, lstrip: false, rstrip: false, normalized: false }],
    normalizer: null, pre_tokenizer: { type: 'WhitespaceSplit' }, post_processor: null, decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
  }))
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast', pad_token: '[PAD]', unk_token: '[UNK]', model_max_length: 1024, padding_side: 'right', chat_template: "{% for m in messages %}{{ m['content'] }}{% if not loop.last %}{{ ' ' }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ ' ' }}{% endif %}" }))
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ architectures: ['BenchTransformerRM'], num_labels: 1, id2label: { 0: 'reward' }, vocab_size: s.vocab, pad_token_id: 0, max_position_embeddings: s.maxPos, hidden_size: s.hidden, num_hidden_layers: s.layers, num_attention_heads: s.heads }))
}
