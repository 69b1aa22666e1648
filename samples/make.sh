#!/usr/bin/env bash
# Regenerates the committed sample returns in samples/2024-Q1/ reproducibly:
# 1. the tool writes the scenario's .xlsx files (answers are deterministic,
#    signed with the public demo key, template time fixed at 26/02/2024);
# 2. LibreOffice re-saves the ones listed in chuyen-dinh-dang.txt as .xls or
#    .ods, as agencies using LibreOffice or old Excel do.
# Run from the repository root: bash samples/make.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=samples/2024-Q1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --release --quiet -- demo --write-samples "$work"
rm -rf "$out" && mkdir -p "$out"
while read -r file fmt; do
  [ -n "$file" ] || continue
  case "$fmt" in
    xls) filter='xls:MS Excel 97' ;;
    ods) filter='ods' ;;
    *) echo "unknown format $fmt" >&2; exit 1 ;;
  esac
  soffice --headless "-env:UserInstallation=file://$work/lo" --convert-to "$filter" --outdir "$work/conv" "$work/$file" >/dev/null
  rm "$work/$file"
done < "$work/chuyen-dinh-dang.txt"
cp "$work"/*.xlsx "$work"/conv/* "$work/ngay-nhan.csv" "$out/"
ls -l "$out"
