#!/usr/bin/env bash
# Builds models/t5-mini-wide, the default from the eleventh to the twentieth session (not shipped since 2026-12-07,
# to keep the checkpoints within ~60 MB; t5-mini-ppmi is this command plus --init-embeddings ppmi): t5-mini-topics'
# recipe (keyword task 60 %, topic choice 40 %, Adafactor, tied head, from random weights, 2,000 steps) at twice its
# width: d_model 256, 4 heads of d_kv 64, d_ff 1024 (11.5 M parameters; models/README.md says why width).
#
#   models/build-t5-mini-wide.sh              # about 15 minutes on 2 idle CPU cores (Intel VM; 26 on the AMD VMs)
#   models/build-t5-mini-wide.sh --resume true  # continues a build stopped with Ctrl-C
#
# --check N replays the first N steps against OUT/t5-mini-wide/pretrain-log.jsonl; the shipped log is in git:
#   mkdir -p /tmp/m/t5-mini-wide && git show 1c0d377:models/t5-mini-wide/pretrain-log.jsonl > /tmp/m/t5-mini-wide/pretrain-log.jsonl
#   models/build-t5-mini-wide.sh --check 300 --out /tmp/m
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/models/build-t5-mini.sh" --seed 1 --phases mix --mix-name t5-mini-wide \
  --mix-recipe keywords-topics --mix-from-random true --mix-tied true --mix-steps 2000 --mix-lr 1e-2 \
  --mix-input 64 --optimizer adafactor-t5 --eval-every 500 --d-model 256 --d-kv 64 --heads 4 --d-ff 1024 "$@"
