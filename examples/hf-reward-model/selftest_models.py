"""Development check (selftest.sh): two small random-weight reward models of real architectures, saved as PyTorch
checkpoints the way a trained RM is, from the real tokenizers in ../shared/data: a Llama RM with a ChatML chat
template, and a DeBERTa-v2 RM that takes (prompt, response) text pairs."""
import os
import sys

import torch
from transformers import (AutoTokenizer, DebertaV2Config, DebertaV2ForSequenceClassification, LlamaConfig,
                          LlamaForSequenceClassification, PreTrainedTokenizerFast)

data = sys.argv[1]
torch.manual_seed(0)
tok = AutoTokenizer.from_pretrained(os.path.join(data, 'reference-models/llama-rm'))
cfg = LlamaConfig(vocab_size=32000, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, num_labels=1, pad_token_id=tok.pad_token_id, max_position_embeddings=1024)
LlamaForSequenceClassification(cfg).save_pretrained('llama-rm-pt')
tok.save_pretrained('llama-rm-pt')
btok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(data, 'tokenizers/bert-base-uncased/tokenizer.json'), cls_token='[CLS]',
                               sep_token='[SEP]', pad_token='[PAD]', unk_token='[UNK]', mask_token='[MASK]')
dcfg = DebertaV2Config(vocab_size=btok.vocab_size, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                       num_labels=1, type_vocab_size=2, max_position_embeddings=512, pad_token_id=btok.pad_token_id)
DebertaV2ForSequenceClassification(dcfg).save_pretrained('deberta-rm-pt')
btok.save_pretrained('deberta-rm-pt')
