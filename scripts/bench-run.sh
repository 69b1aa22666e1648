#!/bin/sh
# Whole quarter-end run at scale: N filled returns (default 10000, agencies
# cycled, so most are resubmissions the ledger must supersede), then
# `cchc run` end to end (validate, ledger, compile, DOCX, workbook); prints
# wall time, CPU and peak memory. Usage: scripts/bench-run.sh [N] [WORKDIR]
set -eu
N="${1:-10000}"
DIR="${2:-$(mktemp -d /tmp/cchc-bench-run.XXXXXX)}"
cargo build --release --quiet
if [ ! -f "$DIR/khoa.key" ]; then
  cargo bench --quiet --bench intake -- --generate "$DIR/returns" "$N"
  mv "$DIR/returns/khoa.key" "$DIR/khoa.key"
fi
rm -rf "$DIR/out"
/usr/bin/time -v target/release/cchc --key "$DIR/khoa.key" run --period 2024-Q1 \
  --returns "$DIR/returns" --out "$DIR/out" > "$DIR/run.txt" 2> "$DIR/time.txt" || true
grep -E "Elapsed|Maximum resident|Percent of CPU" "$DIR/time.txt"
head -3 "$DIR/run.txt"
echo "work dir: $DIR"
