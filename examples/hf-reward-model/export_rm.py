"""Exports a Hugging Face sequence-classification reward model to an ONNX folder rmbench runs (`--model onnx:<out>`).

    python export_rm.py <model id or folder> <out folder> [--revision REV] [--opset 18]

The way the reference models of rmbench's tests were made: torch.onnx.export(dynamo=True), batch and sequence
axes dynamic, the logits as the only output (the model's own pooling, e.g. Llama's last non-pad token, stays inside
the graph). Beside model.onnx it writes what rmbench reads: tokenizer.json, tokenizer_config.json (with the chat
template, padding side, model_max_length), chat_template.jinja where transformers keeps it there, config.json
(id2label, max_position_embeddings). Weights over 2 GB go to model.onnx.data beside the graph (ONNX's protobuf
limit), which rmbench loads too. Needs torch, transformers, onnx, onnxscript (pip install torch transformers onnx
onnxscript). Check the result with check_export.py.
"""
import argparse
import inspect
import os

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


class Logits(torch.nn.Module):
    """The model with only its logits as output: no cache objects or hidden states in the graph."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, use_cache=False).logits


class LogitsWithTypes(Logits):
    """The same for models that take token_type_ids (BERT, DeBERTa: text pairs)."""

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


def load_model(name, **kw):
    """float32 weights: transformers 5 names the argument dtype, 4 torch_dtype."""
    try:
        return AutoModelForSequenceClassification.from_pretrained(name, dtype=torch.float32, **kw)
    except TypeError:
        return AutoModelForSequenceClassification.from_pretrained(name, torch_dtype=torch.float32, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('model')
    ap.add_argument('out')
    ap.add_argument('--revision', default=None)
    ap.add_argument('--opset', type=int, default=18)
    a = ap.parse_args()
    tok = AutoTokenizer.from_pretrained(a.model, revision=a.revision)
    model = load_model(a.model, revision=a.revision).eval()
    # Token types go in when the tokenizer makes them or the model has more than one (BERT-style text pairs).
    types = 'token_type_ids' in tok.model_input_names or (getattr(model.config, 'type_vocab_size', 0) or 0) > 1
    takes_types = 'token_type_ids' in inspect.signature(model.forward).parameters
    names = ['input_ids', 'attention_mask'] + (['token_type_ids'] if types and takes_types else [])
    sample_ids = tok('a short probe text', 'for the exporter', return_tensors='pt', return_token_type_ids='token_type_ids' in names)
    sample = tuple(sample_ids[n].repeat(2, 1) for n in names)
    batch, seq = torch.export.Dim('batch', min=1, max=4096), torch.export.Dim('seq', min=2, max=32768)
    os.makedirs(a.out, exist_ok=True)
    big = sum(p.numel() * p.element_size() for p in model.parameters()) > 1.8e9
    wrapped = LogitsWithTypes(model) if 'token_type_ids' in names else Logits(model)
    torch.onnx.export(wrapped, sample, os.path.join(a.out, 'model.onnx'), input_names=names, output_names=['logits'],
                      dynamic_shapes={n: {0: batch, 1: seq} for n in names}, opset_version=a.opset, dynamo=True, external_data=big)
    tok.save_pretrained(a.out)
    model.config.save_pretrained(a.out)
    print(f'{a.out}: model.onnx ({", ".join(names)} -> logits {model.config.num_labels} labels), tokenizer and config written')


if __name__ == '__main__':
    main()
