#!/usr/bin/env python3
"""Baseline for the intake benchmark (scripts/bench-floor.sh): the core
checks of `cchc validate` written the obvious way with openpyxl, two worker
processes (the machine's cores). Per file: SHA-256, the identity sheet
(`_cchc`: agency, period, token present), the task sheet found by its
header row (status from the list, percent 0-100, evidence and date for a
completed task, result text present), the figures sheet (every value a
non-negative number). Prints files read, accepted and the wall time.
Usage: python3 scripts/openpyxl_baseline.py DIR [PROCESSES]
"""
import hashlib
import os
import sys
import time
from multiprocessing import Pool

import openpyxl

STATUSES = {"Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Không thực hiện"}


def check(path):
    started = time.process_time()
    path, sha, errors = check_file(path)
    return path, sha, errors, time.process_time() - started


def check_file(path):
    errors = []
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - a damaged file is a finding
        return path, sha, ["F002 " + type(e).__name__]
    meta = {}
    if "_cchc" in wb.sheetnames:
        for row in wb["_cchc"].iter_rows(values_only=True):
            if row and row[0]:
                meta[str(row[0])] = row[1] if len(row) > 1 else None
    for key in ("cchc.agency", "cchc.period", "cchc.token"):
        if not meta.get(key):
            errors.append("M001 " + key)
    tasks = None
    for name in wb.sheetnames:
        rows = list(wb[name].iter_rows(values_only=True))
        for i, row in enumerate(rows[:20]):
            if row and row[0] == "Mã NV":
                tasks = (row, rows[i + 1:])
                break
        if tasks:
            break
    if tasks is None:
        errors.append("S001 task sheet")
    else:
        header, body = tasks
        col = {h: i for i, h in enumerate(header) if h}
        for row in body:
            if not row or not row[0]:
                continue
            status = row[col["Tình trạng"]]
            if status not in STATUSES:
                errors.append("C001 status %r" % (status,))
            pct = row[col["Tỷ lệ hoàn thành (%)"]]
            try:
                p = float(str(pct).replace(",", "."))
                if not 0 <= p <= 100:
                    errors.append("C002 percent")
            except (TypeError, ValueError):
                errors.append("C002 percent")
            if status == "Hoàn thành":
                if not row[col["Văn bản minh chứng (số, ký hiệu, ngày)"] if "Văn bản minh chứng (số, ký hiệu, ngày)" in col else 11]:
                    errors.append("C003 evidence")
                if not row[col["Ngày văn bản"]]:
                    errors.append("C004 date")
            if not row[col["Kết quả đạt được"]]:
                errors.append("C005 result")
    if "Số liệu" in wb.sheetnames:
        rows = list(wb["Số liệu"].iter_rows(values_only=True))
        start = next((i for i, r in enumerate(rows) if r and r[0] == "Mã chỉ số"), None)
        for row in rows[start + 1:] if start is not None else []:
            if row and row[0]:
                v = row[3]
                if not isinstance(v, (int, float)) or v < 0:
                    errors.append("V001 " + str(row[0]))
    wb.close()
    return path, sha, errors


def main():
    root = sys.argv[1]
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
    )
    start = time.time()
    with Pool(procs) as pool:
        results = pool.map(check, files, chunksize=8)
    accepted = sum(1 for _, _, e, _ in results if not e)
    cpu = sum(c for _, _, _, c in results)
    print(
        "%d files, %d accepted, %.2f s wall, %.2f s CPU in workers"
        % (len(results), accepted, time.time() - start, cpu)
    )


if __name__ == "__main__":
    main()
