#!/bin/sh
# Runs the test suite RUNS times in a row (default 20) while LOAD busy loops
# (default: 2 per core) keep every core saturated, and reports how many runs
# failed. Not part of CI: a soak to show no test depends on timing.
# Usage: scripts/stress-tests.sh [RUNS] [LOAD] [-- extra cargo test args]
#   e.g. scripts/stress-tests.sh 20 4 -- --test intake --test hardening
set -u
RUNS="${1:-20}"
LOAD="${2:-$(( $(nproc) * 2 ))}"
shift 2 2>/dev/null || shift $#
[ "${1:-}" = "--" ] && shift
cargo test --release --no-run --quiet "$@" || exit 2
pids=""
i=0
while [ "$i" -lt "$LOAD" ]; do
  sh -c 'while :; do :; done' &
  pids="$pids $!"
  i=$((i + 1))
done
trap 'kill $pids 2>/dev/null' EXIT INT TERM
failed=0
run=1
LOG="${TMPDIR:-/tmp}/cchc-stress.$$"
mkdir -p "$LOG"
while [ "$run" -le "$RUNS" ]; do
  if cargo test --release --quiet "$@" > "$LOG/run-$run.txt" 2>&1; then
    echo "run $run/$RUNS: ok"
  else
    failed=$((failed + 1))
    echo "run $run/$RUNS: FAILED (log: $LOG/run-$run.txt)"
    grep -E "^test .* FAILED|panicked" "$LOG/run-$run.txt" | head -5
  fi
  run=$((run + 1))
done
echo "$((RUNS - failed))/$RUNS runs passed under $LOAD busy loops on $(nproc) cores"
[ "$failed" -eq 0 ]
