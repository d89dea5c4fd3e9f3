# Sourced by the launchers (bin/prompttune, bin/prompttune-tools, models/java-tool.sh):
#   run_jvm NAME java ARGS...
# runs the JVM and ends this script with its exit status, saying why the JVM ended where the JVM itself cannot.
# JVM_KILLED_KEEPS, if set, says in one sentence what a killed JVM leaves to continue from (the default is a run's).
#
# Why not `exec java`: a JVM killed with SIGKILL, most often by the kernel's out-of-memory killer (a batch too large
# for the machine, or for a container's memory limit), ends without a word, and a shell shows only "Killed" or
# nothing at all (a notebook's %%sh, a CI log, a job scheduler). So the JVM runs as a child, and this script reports a
# SIGKILL (exit 137) with the kernel's own count of out-of-memory kills (/proc/vmstat's oom_kill) to tell the two
# causes apart.
#
# What running it as a child needs, so that it behaves as if exec'ed:
#  - Signals sent to this script (kill, coreutils' timeout, a job scheduler's SIGTERM) are passed on to the JVM. A
#    terminal's Ctrl-C reaches the JVM directly as well (one process group); the JVM takes a repeat that close as the
#    same request (dev.prompttune.core.run.Interrupts.SAME_EVENT_MS), so the run still stops at its next step.
#  - A background child of a non-interactive shell starts with SIGINT and SIGQUIT ignored, and a JVM installs no
#    handler for an ignored signal (Ctrl-C would do nothing, Ctrl-\ would print no thread dump): coreutils' env
#    --default-signal restores them. Where env lacks that option (coreutils before 8.31) the JVM is exec'ed as before.
#  - The same child gets /dev/null as standard input unless one is given: `<&0` keeps the terminal, which the JVM's
#    System.console() needs to draw its progress line in place.
#  - Ctrl-\ must not end this script while the JVM prints its thread dump and goes on: this script ignores SIGQUIT.

# The kernel's count of processes its out-of-memory killer has ended (machine-wide and in every cgroup), or nothing
# where /proc/vmstat has no such line (kernels before 4.13).
oom_kills() {
  awk '$1 == "oom_kill" { print $2 }' /proc/vmstat 2>/dev/null || true
}

# Refuses, in one line, a java command that is missing or older than 17 (the jars are Java 17 classes: an older JVM
# prints an UnsupportedClassVersionError stack trace). The version is read from the JDK's `release` file, which costs
# no JVM start; a java without one is let through.
require_java17() {
  local name="$1" java="$2" path home version
  if ! path="$(command -v "$java")"; then
    echo "$name: no '$java' command on the PATH; install a JDK 17 or later (Debian: apt-get install" \
      "openjdk-17-jdk-headless) or put its bin folder on the PATH" >&2
    exit 2
  fi
  home="$(dirname "$(dirname "$(readlink -f "$path")")")"
  version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)"
  # Java 8 and older say "1.8.0": major version 1.
  if [ -n "$version" ] && [ "$version" -lt 17 ]; then
    echo "$name: $path is Java $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release"); prompttune needs Java 17 or" \
      "later: install one (Debian: apt-get install openjdk-17-jdk-headless) and put it first on the PATH" >&2
    exit 2
  fi
}

# (The callers run require_java17 first, before they build.)
run_jvm() {
  local name="$1"
  shift
  if ! env --default-signal=INT true 2>/dev/null; then
    exec "$@"
  fi
  local oom_before
  oom_before="$(oom_kills)"
  trap '' QUIT
  # The traps are set before the JVM starts: a SIGTERM in between would end this script and leave the JVM running.
  JVM_PID=""
  trap 'pass_on INT' INT
  trap 'pass_on TERM' TERM
  trap 'pass_on HUP' HUP
  env --default-signal=INT,QUIT "$@" <&0 &
  JVM_PID=$!
  local rc
  while :; do
    JVM_SIGNALLED=0
    rc=0
    # 2>/dev/null: bash's own "line N: PID Killed env ..." notice names this script's internals; the report below
    # says it for people.
    wait "$JVM_PID" 2>/dev/null || rc=$?
    # A signal passed on cuts the wait short (status 128 + its number): wait again for the JVM's own status.
    [ "$JVM_SIGNALLED" = 1 ] || break
  done
  trap - INT TERM HUP QUIT
  if [ "$rc" = 137 ]; then
    report_sigkill "$name" "$oom_before" "$JVM_PID"
  fi
  exit "$rc"
}

# The trap of signal $1: passes it on to the JVM.
pass_on() {
  JVM_SIGNALLED=1
  if [ -n "$JVM_PID" ]; then
    kill -s "$1" "$JVM_PID" 2>/dev/null || true
  fi
}

# The line (or two) for a JVM that SIGKILL ended; $2 is oom_kills from before it started, $3 its pid.
report_sigkill() {
  local name="$1" before="$2" pid="$3" after
  after="$(oom_kills)"
  if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ]; then
    echo "$name: the JVM (pid $pid) was ended by the kernel's out-of-memory killer (SIGKILL, exit 137): the machine," \
      "or this container's memory limit, ran out of memory (the kernel log says more: dmesg or journalctl -k)." \
      "A run takes less with a smaller batch or maxInput, or precision 'fp16'." >&2
  else
    echo "$name: the JVM (pid $pid) was ended by SIGKILL (exit 137), which it cannot report: kill -9, or a memory" \
      "limit that a job scheduler or container runtime enforces itself." >&2
  fi
  local keeps="what was saved before stays: a run's record keeps the checkpoint of its last evaluation, if it had"
  keeps="$keeps one (prompttune resume RECORD continues it)."
  echo "$name: ${JVM_KILLED_KEEPS:-$keeps}" >&2
}
