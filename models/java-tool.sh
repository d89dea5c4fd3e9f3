#!/usr/bin/env bash
# Runs a main class of prompttune's build tools (pretraining, probes) with the pinned numerics of the model builds:
#   models/java-tool.sh CLASS ARGS...
# Builds the tools module if needed and runs the class from private copies of the jars (tools/classpath.sh).
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${PROMPTTUNE_BUILD_DIR:-${TMPDIR:-/tmp}/prompttune-pretrain}"
mkdir -p "$SCRATCH"
cd "$ROOT"
MAIN="$1"
shift

# shellcheck source=../bin/lib/run-jvm.sh
source "$ROOT/bin/lib/run-jvm.sh"
require_java17 java-tool java # before the build: Maven needs it too
CP="$("$ROOT/tools/classpath.sh" "$SCRATCH")"

# Same numbers on every x86 machine with AVX2: full-model training at the peak learning rate turns a last-bit
# rounding difference into a different loss curve within a few hundred steps (measured: 0.8-2.2 % apart at step 200
# on two AMD EPYC VMs, 5 % at the end), so the build pins each library's choice of CPU code path instead of letting
# it pick the CPU's best (AVX-512 where there is one): MKL's conditional numerical reproducibility mode, ATen's
# vectorised kernels, oneDNN's instruction set, prompttune's convolution route (off), and 2 intra-op threads
# (parallel sums split by thread count). The log's `numerics` records what a run had; `--check` names differences.
# PROMPTTUNE_THREADS=N changes the thread count (faster on a big machine, but possibly other rounding).
THREADS_N="${PROMPTTUNE_THREADS:-2}"
export MKL_CBWR=AVX2 ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS="$THREADS_N"
# Idle OpenMP threads sleep instead of spinning (as bin/prompttune sets it). Measured with other jobs on the 2 cores:
# a mixture build ran 10 s a step with spinning threads (under `nice -n 5`) and 0.44 s with passive waiting (not
# niced), against 0.2 s idle. Waiting does not change any number.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
THREADS=(-Dai.djl.pytorch.num_threads="$THREADS_N" -Dai.djl.pytorch.num_interop_threads=1 -Dprompttune.convLinear=off)
# A JVM fatal error writes its report to the scratch folder and says where (as bin/prompttune does), not to the
# repository root, the working directory: a SIGTERM during a training step once crashed a build in libtorch's
# at::accelerator::getAccelerator (the exit ran while the main thread was inside torchBackward), and its
# hs_err_pid*.log landed in the repository.
CRASH_LOG="$SCRATCH/hs_err-%p.log"
# A child, not exec: a JVM the out-of-memory killer ends is reported (bin/lib/run-jvm.sh).
JVM_KILLED_KEEPS="a build keeps each phase's last checkpoint: the same command with --resume true continues it."
run_jvm java-tool java ${PROMPTTUNE_JAVA_OPTS:--Xmx3g} "${THREADS[@]}" -XX:ErrorFile="$CRASH_LOG" \
  "-XX:OnError=echo java-tool: the JVM crashed, its log is at $CRASH_LOG >&2" -Dai.djl.offline=true -cp "$CP" "$MAIN" "$@"
