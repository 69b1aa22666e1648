#!/bin/sh
# Reading at the floor, side by side on the same N returns (default 2000):
#   floor    - read + inflate + tokenise every XML part (examples/read_floor.rs)
#   cchc     - `cchc validate` (sandboxed reading in reader children + all checks)
#   openpyxl - scripts/openpyxl_baseline.py, the core checks in Python, 2 processes
# CPU seconds (user+sys, children included) are the figure to compare: the
# machine may be shared, so wall time is printed but not trusted.
# Usage: scripts/bench-floor.sh [N] [WORKDIR] [--no-openpyxl]
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
T='CPU %U %S\nwall %e\nrss %M'
/usr/bin/time -f "$T" -o "$DIR/floor.time" target/release/examples/read_floor "$DIR/returns"
/usr/bin/time -f "$T" -o "$DIR/cchc.time" target/release/cchc --key "$DIR/khoa.key" \
  validate "$DIR/returns" --period 2024-Q1 --format json > "$DIR/cchc.json" || true
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); f=d['files']; print('cchc:', len(f), 'files,', sum(x['status']=='accepted' for x in f), 'accepted')" "$DIR/cchc.json"
floor=$(cpu "$DIR/floor.time"); cchc=$(cpu "$DIR/cchc.time")
echo "floor    CPU ${floor} s (wall $(awk '/^wall/{print $2}' "$DIR/floor.time") s)"
echo "cchc     CPU ${cchc} s (wall $(awk '/^wall/{print $2}' "$DIR/cchc.time") s, peak RSS $(awk '/^rss/{print $2}' "$DIR/cchc.time") KB)"
awk -v a="$cchc" -v b="$floor" 'BEGIN {printf "cchc / floor = %.2f (target <= 2)\n", a / b}'
if [ "${3:-}" != "--no-openpyxl" ]; then
  /usr/bin/time -f "$T" -o "$DIR/py.time" python3 scripts/openpyxl_baseline.py "$DIR/returns" 2 | tee "$DIR/py.txt"
  py=$(awk -F', ' '{print $4}' "$DIR/py.txt" | awk '{print $1}')
  echo "openpyxl CPU ${py} s in workers (wall $(awk '/^wall/{print $2}' "$DIR/py.time") s)"
  awk -v a="$py" -v b="$cchc" 'BEGIN {printf "openpyxl / cchc = %.1f (target >= 30)\n", a / b}'
fi
echo "work dir: $DIR"
