#!/bin/sh
# Is `cchc run`'s peak memory flat in the number of returns? Runs
# scripts/bench-run.sh on 1,000 and on 10,000 returns (generated once into
# WORKDIR/1000 and WORKDIR/10000, reused by later calls) and prints both
# peaks and the growth; the target is within 10 %.
# Usage: scripts/bench-memory.sh [WORKDIR]
set -eu
DIR="${1:-/tmp/cchc-bench-memory}"
mkdir -p "$DIR"
peak() {
  scripts/bench-run.sh "$1" "$DIR/$1" | sed -n 's/.*Maximum resident set size (kbytes): //p'
}
SMALL=$(peak 1000)
LARGE=$(peak 10000)
echo "peak RSS: 1,000 returns ${SMALL} kB; 10,000 returns ${LARGE} kB"
awk -v a="$SMALL" -v b="$LARGE" 'BEGIN { printf "growth: %+.1f %% (target: within 10 %%)\n", (b - a) * 100 / a }'
