#!/usr/bin/env bash
# Starts a notebook kernel's JVM for Jupyter: kernel.json (written by `bin/prompttune kernel install`) runs
#   bin/lib/kernel-start.sh java ... dev.prompttune.kernel.KernelMain {connection_file}
# The JVM holds this checkout's shared run lock for as long as it runs, as every command bin/prompttune starts does,
# so a rebuild after a source change waits for the kernel to end instead of rewriting the jars it still reads classes
# from (a class loaded after that could come from a half-written jar). exec, not a child: the JVM keeps this
# process's pid, so Jupyter's interrupt and shutdown signals reach it directly and no wrapper outlives it.
set -euo pipefail

# Through symbolic links: the checkout is the target's.
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

# shellcheck source=build-stamp.sh
source "$ROOT/bin/lib/build-stamp.sh"
# shellcheck source=utf8-locale.sh
source "$ROOT/bin/lib/utf8-locale.sh"

[ "$#" -gt 0 ] || { echo "kernel-start.sh: no command to start; usage: kernel-start.sh java ARGS..." >&2; exit 2; }

# Jupyter gives a kernel 60 seconds to answer; a build that outlasts most of that ends this start with a reason.
WAIT_S="${PROMPTTUNE_KERNEL_BUILD_WAIT_S:-45}"
if ! hold_run_lock "$WAIT_S"; then
  echo "prompttune kernel: $ROOT is being rebuilt (its sources changed) and the build took longer than ${WAIT_S} s;" \
    "start the kernel again once it has ended" >&2
  exit 1
fi
exec "$@"
