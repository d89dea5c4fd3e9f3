# Sourced by bin/prompttune and bin/prompttune-tools (after setting ROOT): when and how to rebuild.
#
# sources_newer_than STAMP DIR...: true when STAMP is missing or a main source or POM under the DIRs is newer.
# The launchers touch their stamp after each successful build. A jar's own time cannot say whether the last build
# saw a change: Maven leaves a jar whose contents did not change untouched, so an unchanged module jar (Spark's,
# the tools') looked older than the sources forever and every command rebuilt. Test sources are not in the jars
# and do not count.
sources_newer_than() {
  local stamp="$1"; shift
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$@" \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
        -newer "$stamp" -not -path '*/target/*' -not -path '*/src/test/*' -print -quit 2>/dev/null)" ]
}

# maven_build MODULES: `mvn package` of MODULES and what they need, tests skipped, quiet; its output goes to stderr
# without the colour-reset codes Debian's Maven 3.8 prints even in batch mode. Fails when the build fails.
maven_build() {
  (cd "$ROOT" && set -o pipefail && mvn -q -B -Dstyle.color=never -DskipTests package -pl "$1" -am 2>&1 \
    | sed -u 's/\x1b\[[0-9;]*m//g' >&2)
}

# Locks of this checkout's launchers. Builds run one at a time under an exclusive lock, and the build need is checked
# again once it is held: three launchers started together after a change used to run three Maven builds into the same
# target/ folders, and one JVM started on a half-written jar (ClassNotFoundException). Every JVM a launcher starts
# holds a shared lock for as long as it runs (the descriptor passes through exec), and a build waits for them: Maven
# rewrites jars in place, under a run that still reads classes from them. A notebook kernel installed by
# `bin/prompttune kernel install` holds the shared lock too (bin/lib/kernel-start.sh starts its JVM). Without flock
# (util-linux), no locking.
LOCK_DIR="$ROOT/core/target"

# build_locked NEEDS BUILD: runs the command BUILD when the command NEEDS succeeds, under the build lock, after the
# commands still running from this checkout's jars have ended. Returns BUILD's failure.
build_locked() {
  local needs="$1" build="$2" status=0
  "$needs" || return 0
  if [ ! -w "$ROOT" ] || { [ -d "$LOCK_DIR" ] && [ ! -w "$LOCK_DIR" ]; }; then
    # A shared installation whose owner changed its sources and did not rebuild: this user cannot build into it.
    echo "$(basename "$0"): $ROOT must be rebuilt (no build yet, or its sources changed since the last), and" \
      "$(id -un 2>/dev/null || echo this user) cannot write to it: ask its owner to run $(basename "$0") once there," \
      "or use a checkout of your own" >&2
    return 2
  fi
  command -v flock >/dev/null || { "$build"; return; }
  mkdir -p "$LOCK_DIR"
  exec 8>>"$LOCK_DIR/.prompttune-build.lock" 9>>"$LOCK_DIR/.prompttune-run.lock"
  flock -x 8
  if "$needs"; then
    if ! flock -n -x 9; then
      echo "$(basename "$0"): sources changed: waiting for the commands still running from this checkout to end" \
        "before rebuilding (notebook kernels too: shut them down in Jupyter) ..." >&2
      flock -x 9
    fi
    "$build" || status=$?
    flock -u 9
  fi
  flock -u 8
  exec 8>&-
  return "$status"
}

# hold_run_lock [SECONDS]: takes the shared run lock (waiting while a build runs, at most SECONDS when given: returns 1
# when the wait ran out) and keeps it open for the JVM exec starts.
# A user who may read but not write the checkout (a shared installation built by its owner) locks through a
# read-only descriptor, which flock accepts; where the lock file cannot be opened at all, the command runs unlocked
# (no build of this user's can run under it: the checkout is not theirs to rebuild).
hold_run_lock() {
  command -v flock >/dev/null || return 0
  local lock="$LOCK_DIR/.prompttune-run.lock"
  mkdir -p "$LOCK_DIR" 2>/dev/null || true
  if { [ -e "$lock" ] && [ -w "$lock" ]; } || { [ ! -e "$lock" ] && [ -w "$LOCK_DIR" ]; }; then
    exec 9>>"$lock"
  elif [ -r "$lock" ]; then
    exec 9<"$lock"
  else
    return 0
  fi
  flock -s ${1:+-w "$1"} 9
}
