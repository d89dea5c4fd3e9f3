#!/usr/bin/env bash
# Does a checkpoint's decoder read its encoder? Held-out span-corruption loss with each example's own input vs
# another example's input (EncoderReadingProbe); one JSON line per checkpoint. About 20 s each on 2 cores.
#   models/probe.sh models/t5-mini-span models/t5-mini models/t5-mini-mix
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARGS=()
for m in "$@"; do ARGS+=("$(cd "$(dirname "$m")" && pwd)/$(basename "$m")"); done
exec "$ROOT/models/java-tool.sh" dev.prompttune.tools.pretrain.EncoderReadingProbe \
  --corpus "$ROOT/data/corpus/pretrain.txt.gz" --tokenizer "$ROOT/data/tokenizer" "${ARGS[@]}"
