#!/usr/bin/env bash
# Rebuilds the built-in checkpoints from data/ (corpus, tokenizer, tasks for the hold-out check) and a seed:
# phase 1 span corruption -> models/t5-mini-span, phase 2 LM adaptation (prefix LM) -> models/t5-mini,
# optional phase 3 (--phases mix): a promptability mixture (--mix-recipe) -> models/t5-mini-mix; the default model
# the promptable models are such phases, from random weights: models/build-t5-mini-ppmi.sh (the default),
# models/build-t5-mini-topics.sh, and the unshipped earlier builds build-t5-mini-wide.sh, build-t5-mini-choice.sh and
# build-t5-mini-keywords.sh (models/README.md).
#
#   models/build-t5-mini.sh --seed 1                      # the shipped recipe (see models/README.md for times)
#   models/build-t5-mini.sh --seed 1 --phases lm          # phase 2 only, from models/t5-mini-span
#   models/build-t5-mini.sh --seed 1 --phases mix --out /tmp/m   # the mixture experiment (needs /tmp/m/t5-mini-span)
#   models/build-t5-mini.sh --seed 2 --out /tmp/m         # any Pretrainer option (see Pretrainer.Options)
#
# Runs dev.prompttune.tools.pretrain.Pretrainer through models/java-tool.sh (pinned numerics). Log: stdout.
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/models/java-tool.sh" dev.prompttune.tools.pretrain.Pretrainer \
  --corpus "$ROOT/data/corpus/pretrain.txt.gz" --tokenizer "$ROOT/data/tokenizer" --tasks "$ROOT/data/tasks" \
  --out "$ROOT/models" "$@"
