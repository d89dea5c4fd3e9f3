#!/usr/bin/env bash
# Builds models/t5-mini-topics: t5-mini-choice's shape and optimizer, trained from random weights on the keyword task
# (60 %) and the topic choice (40 %: which of 2-5 options names the passage's k-means topic group) (models/README.md).
#
#   models/build-t5-mini-topics.sh              # about 8 minutes on 2 idle CPU cores
#   models/build-t5-mini-topics.sh --check 300  # replays the first 300 steps against the committed log
#   models/build-t5-mini-topics.sh --resume true  # continues a build stopped with Ctrl-C
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/models/build-t5-mini.sh" --seed 1 --phases mix --mix-name t5-mini-topics \
  --mix-recipe keywords-topics --mix-from-random true --mix-tied true --mix-steps 2000 --mix-lr 1e-2 \
  --mix-input 64 --optimizer adafactor-t5 --eval-every 500 "$@"
