#!/usr/bin/env bash
# Builds models/t5-mini-ppmi: t5-mini-wide's recipe (keyword task 60 %, topic choice 40 %, Adafactor, tied head,
# 2,000 steps, d_model 256, 4 heads of d_kv 64, d_ff 1024; 11.5 M parameters), started from word vectors of its own
# training passages instead of random embeddings: the truncated SVD of their token co-occurrences' positive PMI
# (models/README.md says why: it carries the topics of short texts, which 2,000 steps of training do not learn).
#
#   models/build-t5-mini-ppmi.sh              # about 30 minutes on 2 idle AMD EPYC cores (15 on a faster CPU)
#   models/build-t5-mini-ppmi.sh --check 300  # replays the first 300 steps against the committed log
#   models/build-t5-mini-ppmi.sh --resume true  # continues a build stopped with Ctrl-C
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/models/build-t5-mini.sh" --seed 1 --phases mix --mix-name t5-mini-ppmi \
  --mix-recipe keywords-topics --mix-from-random true --mix-tied true --mix-steps 2000 --mix-lr 1e-2 \
  --mix-input 64 --optimizer adafactor-t5 --eval-every 500 --d-model 256 --d-kv 64 --heads 4 --d-ff 1024 \
  --init-embeddings ppmi --ppmi-window 10 "$@"
