#!/bin/sh
# Reading at the floor, side by side on the same N returns (default 2000):
#   floor    - read + inflate + tokenise every XML part (examples/read_floor.rs)
#   cchc     - `cchc validate` (sandboxed reading in reader children + all checks)
#   openpyxl - scripts/openpyxl_baseline.py, the core checks in Python, 2 processes
# CPU seconds (user+sys, children included) are the figure to compare: the
# machine may be shared, so wall time is not used.
# Usage: [ROUNDS=3] scripts/bench-floor.sh [N] [WORKDIR] [--no-openpyxl]
set -eu
N="${1:-2000}"
DIR="${2:-$(mktemp -d /tmp/cchc-bench-floor.XXXXXX)}"
cargo build --release --quiet
cargo build --release --quiet --example read_floor
if [ ! -f "$DIR/khoa.key" ]; then
  cargo bench --quiet --bench intake -- --generate "$DIR/returns" "$N"
  mv "$DIR/returns/khoa.key" "$DIR/khoa.key"
fi
python3 -c "import openpyxl" 2>/dev/null || pip install --quiet openpyxl
cpu() { awk '/^CPU/ {print $2 + $3}' "$1"; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
T='CPU %U %S\nwall %e\nrss %M'
# ROUNDS rounds (default 3), each running the three side by side; the
# minimum of each is kept, as the machine's speed drifts between runs.
ROUNDS="${ROUNDS:-3}"
floor=""; cchc=""; py=""
for r in $(seq "$ROUNDS"); do
  /usr/bin/time -f "$T" -o "$DIR/floor.time" target/release/examples/read_floor "$DIR/returns" > /dev/null
  floor=$(min "$(cpu "$DIR/floor.time")" "$floor")
  /usr/bin/time -f "$T" -o "$DIR/cchc.time" target/release/cchc --key "$DIR/khoa.key" \
    validate "$DIR/returns" --period 2024-Q1 --format json > "$DIR/cchc.json" || true
  cchc=$(min "$(cpu "$DIR/cchc.time")" "$cchc")
  if [ "${3:-}" != "--no-openpyxl" ]; then
    python3 scripts/openpyxl_baseline.py "$DIR/returns" 2 > "$DIR/py.txt"
    py=$(min "$(awk -F', ' '{print $4}' "$DIR/py.txt" | awk '{print $1}')" "$py")
  fi
  echo "round $r: floor $(cpu "$DIR/floor.time") s, cchc $(cpu "$DIR/cchc.time") s${py:+, openpyxl $(awk -F', ' '{print $4}' "$DIR/py.txt" | awk '{print $1}') s}"
done
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); f=d['files']; print('cchc:', len(f), 'files,', sum(x['status']=='accepted' for x in f), 'accepted')" "$DIR/cchc.json"
echo "floor    CPU ${floor} s (min of $ROUNDS)"
echo "cchc     CPU ${cchc} s (min of $ROUNDS; last peak RSS $(awk '/^rss/{print $2}' "$DIR/cchc.time") KB)"
awk -v a="$cchc" -v b="$floor" 'BEGIN {printf "cchc / floor = %.2f (target <= 2)\n", a / b}'
if [ -n "$py" ]; then
  echo "openpyxl CPU ${py} s in workers (min of $ROUNDS; $(cat "$DIR/py.txt"))"
  awk -v a="$py" -v b="$cchc" 'BEGIN {printf "openpyxl / cchc = %.1f (target >= 30)\n", a / b}'
fi
echo "work dir: $DIR"
