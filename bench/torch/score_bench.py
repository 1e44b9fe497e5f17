"""The PyTorch anchor of `npm run bench` (a development script; never an install or test dependency).

Scores the bench model with PyTorch on the same weights, pairs and threads as the other systems, the way a user
of the Hugging Face stack would: the weights are read from the bench's model.onnx into a torch module that
computes the same graph (embeddings, pre-LN attention blocks, first-token pooling, linear head), the texts are
tokenised by Rust `tokenizers` from the same tokenizer.json, and two batchings are timed: RewardBench's (a fixed
batch of 8 in data order) and the best plain one (sorted by length, batch 16). Tokenising is timed with the
model, as rmbench's scoring time includes it.

    python bench/torch/score_bench.py <model dir> <suite dir> <rmbench run dir> <threads|default> [passes]

Prints one JSON line: per configuration the median ms of `passes` passes (default 3), and the largest |score − rmbench's score| over
every request, read from the rmbench run's scores.jsonl. Set up: python3 -m venv bench/torch/.venv &&
bench/torch/.venv/bin/pip install torch tokenizers onnx numpy (from the local wheel mirror), or point
BENCH_PYTHON at a Python that has them.
"""
import json
import resource
import sys
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from tokenizers import Tokenizer


class BenchRM(torch.nn.Module):
    """bench/make-bench-model.ts's graph in torch, weights from its initializers (names as the graph gives them)."""

    def __init__(self, w, layers, heads):
        super().__init__()
        self.w = {k: torch.from_numpy(v.copy()) for k, v in w.items() if v.dtype == np.float32}
        self.layers, self.heads = layers, heads

    def ln(self, x, p):
        return torch.nn.functional.layer_norm(x, x.shape[-1:], self.w[f"{p}.g"], self.w[f"{p}.b"], 1e-5)

    def linear(self, x, p):
        return x @ self.w[f"{p}.w"] + self.w[f"{p}.bias"]

    def forward(self, ids, mask):
        B, T = ids.shape
        x = self.w["tok_emb"][ids] + self.w["pos_emb"][torch.arange(T)]
        bias = ((1 - mask.float()) * -1e4)[:, None, None, :]
        H = x.shape[-1]
        dh = H // self.heads
        for l in range(self.layers):
            h = self.ln(x, f"l{l}.ln1")
            split = lambda p: self.linear(h, f"l{l}.{p}").reshape(B, T, self.heads, dh)
            q, k, v = split("q").permute(0, 2, 1, 3), split("k").permute(0, 2, 3, 1), split("v").permute(0, 2, 1, 3)
            att = torch.softmax((q @ k) * (1 / dh ** 0.5) + bias, dim=-1)
            ctx = (att @ v).permute(0, 2, 1, 3).reshape(B, T, H)
            x = x + self.linear(ctx, f"l{l}.o")
            x = x + self.linear(torch.relu(self.linear(self.ln(x, f"l{l}.ln2"), f"l{l}.ff1")), f"l{l}.ff2")
        pooled = self.ln(x, "final")[:, 0]
        return pooled @ self.w["head.w"] + self.w["head.b"]


def main():
    model_dir, suite_dir, run_dir, threads = sys.argv[1:5]
    passes = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    if threads != "default":
        torch.set_num_threads(int(threads))
    graph = onnx.load(f"{model_dir}/model.onnx").graph
    weights = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    config = json.load(open(f"{model_dir}/config.json"))
    layers = config["num_hidden_layers"]
    model = BenchRM(weights, layers, config["num_attention_heads"]).eval()
    tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    rows = [json.loads(line) for line in open(f"{suite_dir}/data.jsonl")]
    # The requests rmbench scores: (prompt, chosen) and (prompt, rejected), deduplicated, in data order. The chat
    # template joins the messages with a space.
    texts, seen = [], set()
    for r in rows:
        for resp in (r["chosen"], r["rejected"]):
            t = f"{r['prompt']} {resp}"
            if t not in seen:
                seen.add(t)
                texts.append(t)

    def score(order, batch):
        out = {}
        with torch.inference_mode():
            for i in range(0, len(order), batch):
                chunk = [texts[j] for j in order[i:i + batch]]
                enc = [e.ids for e in tok.encode_batch(chunk, add_special_tokens=False)]
                T = max(len(e) for e in enc)
                ids = torch.zeros((len(enc), T), dtype=torch.long)
                mask = torch.zeros((len(enc), T), dtype=torch.long)
                for r, e in enumerate(enc):
                    ids[r, :len(e)] = torch.tensor(e)
                    mask[r, :len(e)] = 1
                for j, s in zip(order[i:i + batch], model(ids, mask)[:, 0].tolist()):
                    out[j] = s
        return out

    # One untimed batch first: torch's first call allocates and picks kernels (rmbench's session is warm too: its
    # padding probe runs it when the model opens).
    score(list(range(min(8, len(texts)))), 8)
    lengths = [len(t.split()) for t in texts]
    configs = {"batch 8, data order (RewardBench)": (list(range(len(texts))), 8), "sorted, batch 16": (sorted(range(len(texts)), key=lambda j: lengths[j]), 16)}
    result = {"requests": len(texts), "threads": torch.get_num_threads(), "torch": torch.__version__}
    scores = None
    for name, (order, batch) in configs.items():
        times = []
        for _ in range(passes):
            t0 = time.perf_counter()
            scores = score(order, batch)
            times.append((time.perf_counter() - t0) * 1000)
        result[name] = sorted(times)[(len(times) - 1) // 2]
    # rmbench's scores of the same requests, from its run of the same suite.
    ours = {}
    by_id = {x["id"]: x for x in rows}
    for line in open(f"{run_dir}/scores.jsonl"):
        r = json.loads(line)
        src = by_id[r["id"]]
        ours[f"{src['prompt']} {src['chosen']}"] = r["chosen"]
        ours[f"{src['prompt']} {src['rejected']}"] = r["rejected"]
    result["maxDiff"] = max(abs(scores[j] - ours[t]) for j, t in enumerate(texts) if t in ours)
    result["maxRssMB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
