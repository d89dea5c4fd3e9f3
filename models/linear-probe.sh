#!/usr/bin/env bash
# How much of a task does a frozen checkpoint's encoder carry? A linear classifier on the mean of the encoder's output
# vectors (softmax regression, L2 chosen on dev), trained on the task's train split, scored on test beside the
# majority class (LinearProbe); one JSON line per checkpoint. About 15 s per checkpoint and task on 2 cores.
#   models/linear-probe.sh --task brown-genre [--max-input 64] models/t5-mini-ppmi models/t5-mini-topics
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --task|--max-input) ARGS+=("$1" "$2"); shift 2 ;;
    *) ARGS+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
exec "$ROOT/models/java-tool.sh" dev.prompttune.tools.pretrain.LinearProbe "${ARGS[@]}"
