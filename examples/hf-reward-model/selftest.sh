#!/usr/bin/env bash
# Development check of README's "Evaluate your own reward model" path — Python (torch, transformers, onnx,
# onnxscript in a venv), never part of npm test: two small random-weight RMs (selftest_models.py) exported with
# export_rm.py, run by rmbench on the quickstart, every reward checked against transformers by check_export.py.
#   PYTHON=/path/to/venv/bin/python examples/hf-reward-model/selftest.sh
set -euo pipefail
PY=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
cd "$work"
"$PY" "$here/selftest_models.py" "$root/../shared/data"
for m in llama deberta; do
  "$PY" "$here/export_rm.py" "$m-rm-pt" "$m-rm-onnx"
  RMBENCH_NO_CACHE=1 node "$root/bin/rmbench.js" run quickstart --model "onnx:./$m-rm-onnx" --out "runs/$m" -q > /dev/null
  "$PY" "$here/check_export.py" "$m-rm-pt" "runs/$m" "$root/suites/quickstart/data.jsonl" -n 320
done
