#!/usr/bin/env bash
# Rebuilds models/t5-mini-span and models/t5-mini from data/ (corpus + tokenizer) and a seed:
# phase 1 span corruption -> models/t5-mini-span, phase 2 LM adaptation (prefix LM) -> models/t5-mini.
#
#   models/build-t5-mini.sh --seed 1                 # the shipped recipe (see models/README.md for times)
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

# Same numbers on every x86 machine with AVX2: full-model training at the peak learning rate turns a last-bit
# rounding difference into a different loss curve within a few hundred steps (measured: 0.8-2.2 % apart at step 200
# on two AMD EPYC VMs, 5 % at the end), so the build pins each library's choice of CPU code path instead of letting
# it pick the CPU's best (AVX-512 where there is one): MKL's conditional numerical reproducibility mode, ATen's
# vectorised kernels, oneDNN's instruction set, prompttune's convolution route (off), and 2 intra-op threads
# (parallel sums split by thread count). The log's `numerics` records what a run had; `--check` names differences.
# PROMPTTUNE_THREADS=N changes the thread count (faster on a big machine, but other rounding: a different model).
THREADS_N="${PROMPTTUNE_THREADS:-2}"
export MKL_CBWR=AVX2 ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS="$THREADS_N"
THREADS=(-Dai.djl.pytorch.num_threads="$THREADS_N" -Dai.djl.pytorch.num_interop_threads=1 -Dprompttune.convLinear=off)
exec java ${PROMPTTUNE_JAVA_OPTS:--Xmx3g} "${THREADS[@]}" -Dai.djl.offline=true -cp "$SCRATCH/prompttune-core.jar:$(cat "$CP_FILE")" \
  dev.prompttune.core.pretrain.Pretrainer \
  --corpus "$ROOT/data/corpus/pretrain.txt.gz" --tokenizer "$ROOT/data/tokenizer" --out "$ROOT/models" "$@"
