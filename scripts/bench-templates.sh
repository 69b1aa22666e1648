#!/usr/bin/env bash
# Whole-run template benchmark: writes N templates (default 1,000 and 10,000,
# cycling through the 33 reporting units) to a temporary folder under
# /usr/bin/time -v and prints wall time and peak memory (max RSS) for each N,
# so that one can see memory stay flat as N grows.
# Usage: scripts/bench-templates.sh [N ...]
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(1000 10000)
bin=$(cargo bench --bench templates --no-run --message-format=json 2>/dev/null \
  | grep -o '"executable":"[^"]*templates-[^"]*"' | tail -1 | cut -d'"' -f4)
[ -x "$bin" ] || { echo "không tìm thấy chương trình đo (cargo bench --no-run)" >&2; exit 2; }
for n in "${counts[@]}"; do
  log=$(mktemp)
  CCHC_BENCH_BULK="$n" /usr/bin/time -v "$bin" 2>"$log"
  grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$log" | sed 's/^\s*/    /'
  rm -f "$log"
done
