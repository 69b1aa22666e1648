#!/bin/sh
# Whole-run intake measurement: N filled returns (default 10000), validated by
# the release binary with JSON output; prints wall time and peak memory.
# Usage: scripts/bench-intake.sh [N] [WORKDIR]
set -eu
N="${1:-10000}"
DIR="${2:-$(mktemp -d /tmp/cchc-bench-intake.XXXXXX)}"
cargo build --release --quiet
if [ ! -f "$DIR/khoa.key" ]; then
  cargo bench --quiet --bench intake -- --generate "$DIR/returns" "$N"
  mv "$DIR/returns/khoa.key" "$DIR/khoa.key"
fi
/usr/bin/time -v target/release/cchc --key "$DIR/khoa.key" validate "$DIR/returns" \
  --period 2024-Q1 --format json > "$DIR/result.json" 2> "$DIR/time.txt" || true
grep -E "Elapsed|Maximum resident|Percent of CPU" "$DIR/time.txt"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); f=d['files']; print(len(f), 'files,', sum(x['status']=='accepted' for x in f), 'accepted')" "$DIR/result.json"
echo "work dir: $DIR"
