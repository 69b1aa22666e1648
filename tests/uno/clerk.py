#!/usr/bin/python3
"""Types into workbooks the way a clerk does, through LibreOffice (UNO).

One soffice process per call, with a fresh profile whose locale is set
(vi-VN: "05/03/2024" is 5 March and "1.234" is 1234; en-US: "3/5/2024" is
5 March and "1,234" is 1234). Every value is typed through FormulaLocal, so
LibreOffice parses it exactly as it parses keyboard input under that locale.

Usage: clerk.py JOB.json
JOB = {"profile": DIR, "locale": "vi-VN",
       "files": [{"src": PATH, "out": PATH, "filter": "Calc MS Excel 2007 XML",
                  "edits": [{"sheet": NAME, "cell": "I6", "text": "Hoàn thành",
                             "unprotect": false}]}]}
Prints one line per file written; exits non-zero on any failure.
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def start(profile, locale):
    user = os.path.join(profile, "user")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as f:
        f.write(XCU.format(locale=locale))
    pipe = "cchc_clerk_%d" % os.getpid()
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         "-env:UserInstallation=file://" + profile,
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            smgr = ctx.ServiceManager
            return proc, smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:  # not listening yet
            if proc.poll() is not None:
                raise RuntimeError("soffice exited early")
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("soffice did not start")


def fill(desktop, job):
    url = uno.systemPathToFileUrl(os.path.abspath(job["src"]))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    try:
        sheets = doc.Sheets
        for e in job.get("edits", []):
            sheet = sheets.getByName(e["sheet"])
            if e.get("unprotect") and sheet.isProtected():
                sheet.unprotect("")
            cell = sheet.getCellRangeByName(e["cell"])
            cell.FormulaLocal = e["text"]
        out = uno.systemPathToFileUrl(os.path.abspath(job["out"]))
        doc.storeToURL(out, (prop("FilterName", job["filter"]), prop("Overwrite", True)))
    finally:
        doc.close(True)
    print(job["out"], flush=True)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    proc, desktop = start(job["profile"], job["locale"])
    try:
        for j in job["files"]:
            fill(desktop, j)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
