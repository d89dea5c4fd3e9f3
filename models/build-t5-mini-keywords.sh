#!/usr/bin/env bash
# Rebuilds models/t5-mini-keywords, the first promptable build (issue #20; not shipped since 2026-12-06, to keep the
# checkpoints within ~60 MB: this script and models/README.md keep it reproducible): T5 weights from their random
# initialisation trained on the keyword task (read a passage of 12-45 tokens, answer with one of its topical words)
# with T5's own optimizer, Adafactor with parameter-relative steps. Measured on a 2-core
# AMD EPYC (family 26): about 7.5 minutes. `--check 300` replays the first 300 steps against the shipped
# pretrain-log.jsonl and writes nothing. Any other Pretrainer option may follow (e.g. --out /tmp/m).
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/models/build-t5-mini.sh" --seed 1 --phases mix --mix-name t5-mini-keywords \
  --mix-recipe keywords-only --mix-from-random true --mix-tied true --mix-steps 2000 --mix-lr 1e-2 \
  --mix-input 64 --optimizer adafactor-t5 --eval-every 500 "$@"
