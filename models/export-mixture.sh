#!/usr/bin/env bash
# Writes the default model's promptability mixture (t5-mini-wide's build options; t5-mini-ppmi trains on the same
# mixture) as tokenized examples, for a trainer outside the JVM: tools/gpu/pretrain_t5.py trains on it
# (tools/gpu/README.md). The first 64,000 training examples are the ones models/build-t5-mini-wide.sh and
# models/build-t5-mini-ppmi.sh train on; more come from the same stream.
#
#   models/export-mixture.sh --examples 1000000 --file build/gpu/mixture.bin.gz
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/models/java-tool.sh" dev.prompttune.tools.pretrain.MixtureExport \
  --corpus "$ROOT/data/corpus/pretrain.txt.gz" --tokenizer "$ROOT/data/tokenizer" --tasks "$ROOT/data/tasks" \
  --out "$ROOT/models" --seed 1 --mix-recipe keywords-topics --mix-input 64 "$@"
