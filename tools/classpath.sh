#!/usr/bin/env bash
# Prints the class path of prompttune's build tools (the tools module and its runtime dependencies), building the
# module first when needed (offline when the local Maven repository has everything):
#   CP=$(tools/classpath.sh SCRATCH_DIR)
# The tools and core jars are copied into SCRATCH_DIR, one copy per calling process, so that a rebuild while a long
# job runs (a pretraining build takes an hour) cannot change its classes mid-run. Used by models/java-tool.sh and
# data/build-corpus.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="$1"
mkdir -p "$SCRATCH"
cd "$ROOT"
if ! mvn -q -o -B package -DskipTests -pl tools -am >/dev/null 2>&1; then
  mvn -q -B package -DskipTests -pl tools -am >&2
fi
# Copies older than a day belong to finished runs.
find "$SCRATCH" -maxdepth 1 -name 'tools-jars-*' -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
COPY="$SCRATCH/tools-jars-$PPID"
rm -rf "$COPY"
mkdir -p "$COPY"
cp "$(ls "$ROOT"/tools/target/prompttune-tools-*.jar | grep -v -e sources -e tests | head -1)" "$COPY/prompttune-tools.jar"
cp "$(ls "$ROOT"/tools/target/lib/prompttune-core-*.jar | head -1)" "$COPY/prompttune-core.jar"
CP="$COPY/prompttune-tools.jar:$COPY/prompttune-core.jar"
for jar in "$ROOT"/tools/target/lib/*.jar; do
  case "$(basename "$jar")" in prompttune-core-*) ;; *) CP="$CP:$jar" ;; esac
done
echo "$CP"
