"""Checks an rmbench run of an exported reward model against transformers on the same weights.

    python check_export.py <pytorch model id or folder> <rmbench run folder> <data.jsonl> [-n 64] [--tolerance 1e-4]

Reads the run's results.json (which ONNX folder it ran, and how it built the model's inputs: template, max length,
truncation side, special tokens) and scores.jsonl (the rewards rmbench computed), scores the same (prompt,
response) texts of the first n examples with AutoModelForSequenceClassification, one at a time and unpadded (as
RewardBench's reference does), with the exported folder's own tokenizer, and prints the largest differences. Exit
status 1 when one is over the tolerance (relative to the reward's size, at least 1). The data file is the suite's
(JSON lines with id, prompt, chosen, rejected: RewardBench's columns). Templates: chat (the tokenizer's own), pair
(a text pair) and raw (turns joined by blank lines); the other named templates are rmbench's own strings.
"""
import argparse
import inspect
import json
import os
import re
import sys

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def messages(prompt, response):
    turns = prompt if isinstance(prompt, list) else [{'role': 'user', 'content': prompt}]
    return [*turns, {'role': 'assistant', 'content': response}]


def encode(tok, info, prompt, response):
    template, max_len = info['template'], info['maxLength']
    special = info.get('addSpecialTokens', template != 'chat')
    if template == 'pair':
        text = prompt if isinstance(prompt, str) else '\n\n'.join(m['content'] for m in prompt)
        # Token types mark the response: ask for them whatever the tokenizer's model_input_names say (rmbench feeds
        # them whenever the graph takes them).
        return tok(text, response, truncation='longest_first', max_length=max_len, return_tensors='pt', return_token_type_ids=True)
    if template == 'chat':
        text = tok.apply_chat_template(messages(prompt, response), tokenize=False)
    elif template == 'raw':
        text = '\n\n'.join(m['content'] for m in messages(prompt, response))
    else:
        sys.exit(f'template {template!r}: this script knows chat, pair and raw; compare by hand')
    return tok(text, add_special_tokens=special, truncation=True, max_length=max_len, return_tensors='pt')


def reward_of(logits, expr, label2id):
    """rmbench's `reward` expression in results.json: logits[i], logits[LABEL] or logits[A] - logits[B]."""
    def col(name):
        if name.isdigit():
            return logits[int(name)]
        if name in label2id:
            return logits[label2id[name]]
        if len(logits) == 1:
            return logits[0]
        sys.exit(f'reward {expr!r}: no label {name!r} in config.json')
    terms = re.findall(r'logits\[([^\]]+)\]', expr)
    return col(terms[0]) - col(terms[1]) if ' - ' in expr and len(terms) == 2 else col(terms[0])


def load_model(name, **kw):
    """float32 weights: transformers 5 names the argument dtype, 4 torch_dtype."""
    try:
        return AutoModelForSequenceClassification.from_pretrained(name, dtype=torch.float32, **kw)
    except TypeError:
        return AutoModelForSequenceClassification.from_pretrained(name, torch_dtype=torch.float32, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('pytorch')
    ap.add_argument('run')
    ap.add_argument('data')
    ap.add_argument('-n', type=int, default=64)
    ap.add_argument('--tolerance', type=float, default=1e-4)
    a = ap.parse_args()
    results = json.load(open(os.path.join(a.run, 'results.json')))
    info = results['model']['info']
    if info.get('runner') != 'onnx':
        sys.exit(f'{a.run}: a run of {info.get("runner")}, not of an onnx: model')
    folder = os.path.dirname(info['modelFile'])
    if os.path.basename(folder) == 'onnx':
        folder = os.path.dirname(folder)
    tok = AutoTokenizer.from_pretrained(folder)
    tok.truncation_side = info.get('truncationSide', 'left')
    model = load_model(a.pytorch).eval()
    label2id = {str(k): int(v) for k, v in (model.config.label2id or {}).items()}
    rows = {}
    with open(a.data) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                rows[str(r['id'])] = r
    worst = []
    with open(os.path.join(a.run, 'scores.jsonl')) as f:
        for line in list(f)[: a.n]:
            s = json.loads(line)
            row = rows[str(s['id'])]
            for role in ['chosen', 'rejected']:
                got = s['raw']['scores'].get(f'{role}/0')
                if got is None:
                    continue
                enc = encode(tok, info, row['prompt'], row[role])
                if 'token_type_ids' not in inspect.signature(model.forward).parameters:
                    enc.pop('token_type_ids', None)
                with torch.no_grad():
                    logits = model(**enc).logits[0]
                want = float(reward_of(logits, info['reward'], label2id))
                worst.append((abs(got - want) / max(1.0, abs(want)), abs(got - want), s['id'], role, got, want))
    worst.sort(reverse=True)
    print(f'{len(worst)} rewards compared (template {info["template"]}, max_length {info["maxLength"]}, truncation {info.get("truncationSide")})')
    print(f'largest |rmbench - transformers|: {worst[0][1]:.3g} (relative {worst[0][0]:.3g}), tolerance {a.tolerance:g}')
    for rel, diff, eid, role, got, want in worst[:5]:
        print(f'  {eid} {role}: rmbench {got:.7g}  transformers {want:.7g}  |diff| {diff:.3g}')
    sys.exit(1 if worst[0][0] > a.tolerance else 0)


if __name__ == '__main__':
    main()
