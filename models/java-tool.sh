#!/usr/bin/env bash
# Runs a main class of prompttune-core (pretraining, probes) with the pinned numerics of the model builds:
#   models/java-tool.sh CLASS ARGS...
# Builds the core module if needed (offline when the local Maven repository has everything) and runs the class
# from a private copy of the jar, so that a concurrent rebuild of core/target cannot change classes mid-run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${PROMPTTUNE_BUILD_DIR:-${TMPDIR:-/tmp}/prompttune-pretrain}"
mkdir -p "$SCRATCH"
cd "$ROOT"
MAIN="$1"
shift

if ! mvn -q -o -B package -DskipTests -pl core -am >/dev/null 2>&1; then
  mvn -q -B package -DskipTests -pl core -am
fi
CP_FILE="$SCRATCH/classpath.txt"
(cd "$ROOT/core" && mvn -q -o -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null 2>&1) \
  || (cd "$ROOT/core" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE")
JAR=$(ls "$ROOT"/core/target/prompttune-core-*.jar | grep -v -e sources -e tests | head -1)
# One copy per run (a build and a probe may run at once); copies older than a day are from finished runs.
find "$SCRATCH" -name 'prompttune-core-*.jar' -mmin +1440 -delete 2>/dev/null || true
COPY="$SCRATCH/prompttune-core-$$.jar"
cp "$JAR" "$COPY"

# Same numbers on every x86 machine with AVX2: full-model training at the peak learning rate turns a last-bit
# rounding difference into a different loss curve within a few hundred steps (measured: 0.8-2.2 % apart at step 200
# on two AMD EPYC VMs, 5 % at the end), so the build pins each library's choice of CPU code path instead of letting
# it pick the CPU's best (AVX-512 where there is one): MKL's conditional numerical reproducibility mode, ATen's
# vectorised kernels, oneDNN's instruction set, prompttune's convolution route (off), and 2 intra-op threads
# (parallel sums split by thread count). The log's `numerics` records what a run had; `--check` names differences.
# PROMPTTUNE_THREADS=N changes the thread count (faster on a big machine, but possibly other rounding).
THREADS_N="${PROMPTTUNE_THREADS:-2}"
export MKL_CBWR=AVX2 ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS="$THREADS_N"
THREADS=(-Dai.djl.pytorch.num_threads="$THREADS_N" -Dai.djl.pytorch.num_interop_threads=1 -Dprompttune.convLinear=off)
exec java ${PROMPTTUNE_JAVA_OPTS:--Xmx3g} "${THREADS[@]}" -Dai.djl.offline=true -cp "$COPY:$(cat "$CP_FILE")" "$MAIN" "$@"
