#!/usr/bin/env bash
# Rebuilds models/t5-mini-span and models/t5-mini from data/ (corpus + tokenizer) and a seed:
# phase 1 span corruption -> models/t5-mini-span, phase 2 LM adaptation (prefix LM) -> models/t5-mini.
#
#   models/build-t5-mini.sh --seed 1                 # the shipped recipe (about 50 min on 2 idle CPU cores)
#   models/build-t5-mini.sh --seed 1 --phases lm     # phase 2 only, from models/t5-mini-span
#   models/build-t5-mini.sh --seed 2 --out /tmp/m    # any Pretrainer option (see Pretrainer.Options)
#
# Builds the core module if needed (offline when the local Maven repository has everything) and runs
# dev.prompttune.core.pretrain.Pretrainer from a private copy of the jar. Log: stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${PROMPTTUNE_BUILD_DIR:-${TMPDIR:-/tmp}/prompttune-pretrain}"
mkdir -p "$SCRATCH"
cd "$ROOT"

if ! mvn -q -o -B package -DskipTests -pl core -am >/dev/null 2>&1; then
  mvn -q -B package -DskipTests -pl core -am
fi
CP_FILE="$SCRATCH/classpath.txt"
(cd "$ROOT/core" && mvn -q -o -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null 2>&1) \
  || (cd "$ROOT/core" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE")
# A private copy of the core jar, so that a concurrent rebuild of core/target cannot change classes mid-run.
JAR=$(ls "$ROOT"/core/target/prompttune-core-*.jar | grep -v -e sources -e tests | head -1)
cp "$JAR" "$SCRATCH/prompttune-core.jar"

# PROMPTTUNE_THREADS=N pins PyTorch's intra-op threads (default: one per core). On a machine shared with other
# jobs, 1 avoids OpenMP threads spinning while waiting for each other (measured: several times faster there).
THREADS=()
if [ -n "${PROMPTTUNE_THREADS:-}" ]; then
  export OMP_NUM_THREADS="$PROMPTTUNE_THREADS"
  THREADS=(-Dai.djl.pytorch.num_threads="$PROMPTTUNE_THREADS" -Dai.djl.pytorch.num_interop_threads=1)
fi
exec java ${PROMPTTUNE_JAVA_OPTS:--Xmx3g} "${THREADS[@]}" -Dai.djl.offline=true -cp "$SCRATCH/prompttune-core.jar:$(cat "$CP_FILE")" \
  dev.prompttune.core.pretrain.Pretrainer \
  --corpus "$ROOT/data/corpus/pretrain.txt.gz" --tokenizer "$ROOT/data/tokenizer" --out "$ROOT/models" "$@"
