#!/bin/sh
# A quarter end of the province as it is today: 111 reporting units (15
# provincial + 96 communes, directory from 1/7/2025), quý I/2026, the
# illustrative 2026 plan. `cchc demo --nam 2026` prepares the 109 returns
# once (3 units missing, 1 resubmitted); then `cchc run` is timed end to end
# (validate, ledger, compile, DOCX report, summary workbook), RUNS times.
# Target: < 2 s wall on 2 cores. Usage: scripts/bench-province.sh [RUNS] [WORKDIR]
set -eu
RUNS="${1:-5}"
DIR="${2:-$(mktemp -d /tmp/cchc-bench-province.XXXXXX)}"
cargo build --release --quiet
if [ ! -d "$DIR/demo/2-bao-cao-nhan" ]; then
  target/release/cchc demo --nam 2026 --out "$DIR/demo" > /dev/null
fi
# The demo signs with its public key (src/demo/mod.rs); run checks with it.
printf 'cchc-demo-khoa-cong-khai-khong-dung-that' | od -An -tx1 | tr -d ' \n' > "$DIR/khoa.key"
i=1
while [ "$i" -le "$RUNS" ]; do
  rm -rf "$DIR/out"
  /usr/bin/time -v target/release/cchc --key "$DIR/khoa.key" run --period 2026-Q1 \
    --plan seeds/ke-hoach-cchc-2026-minh-hoa.txt \
    --returns "$DIR/demo/2-bao-cao-nhan" --out "$DIR/out" > "$DIR/run.txt" 2> "$DIR/time.txt" || true
  grep -E "Elapsed" "$DIR/time.txt" | sed "s/^/run $i: /"
  i=$((i + 1))
done
grep -E "Maximum resident|Percent of CPU" "$DIR/time.txt"
grep -E "Tổng hợp|đơn vị" "$DIR/run.txt" | head -3
echo "work dir: $DIR"
