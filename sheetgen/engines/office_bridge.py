"""A LibreOffice kept running to work out one workbook after another: the grader's engine.

This file is a script for Debian's /usr/bin/python3, the Python that LibreOffice's bridge
(`uno`, package python3-uno) is built for; sheetgen's own Python starts it and never imports
it (see `office_session`). Run as

    office_bridge.py PROFILE_URL PIPE_NAME

it starts a headless LibreOffice on the profile, says "ready", then reads requests from
stdin, one JSON object a line, {"path": FILE, "ranges": [[SHEET, "B2:F9"], …]}, and answers
each with a line {"values": [ROWS, …]} or {"error": "…"}. Each workbook is loaded hidden,
recalculated whole (Data → Calculate → Recalculate Hard), its ranges read, and closed: a
value is a number, a text, an error's text such as "#VALUE!", or null for an empty cell. A
range's numbers come in one call of the bridge; only its other cells are asked one by one
(every call costs milliseconds).
"""

import contextlib
import json
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.table.CellContentType import EMPTY, FORMULA, TEXT

TEXT_RESULT = 2
"""com.sun.star.sheet.FormulaResult.STRING: a formula whose result is a text."""


def connect(pipe, office, seconds=120):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def value_of(cell):
    if cell.getError():
        return cell.getString()
    kind = cell.getType()
    if kind == EMPTY:
        return None
    if kind == TEXT or (kind == FORMULA and cell.FormulaResultType2 == TEXT_RESULT):
        return cell.getString()
    return cell.getValue()


def work_out(desktop, request):
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(request["path"]),
                                            "_blank", 0, (hidden,))
    if document is None:
        raise RuntimeError("LibreOffice could not open it")
    try:
        document.calculateAll()
        sheets = document.Sheets
        return [values_of(sheets.getByName(sheet).getCellRangeByName(cells))
                for sheet, cells in request["ranges"]]
    finally:
        document.close(True)


def values_of(cells):
    """A range's values, row by row."""
    return [[value if isinstance(value, float) else value_of(cells.getCellByPosition(x, y))
             for x, value in enumerate(row)] for y, row in enumerate(cells.getDataArray())]


@contextlib.contextmanager
def running_office(profile_url, pipe):
    """A headless LibreOffice on the profile, and its desktop; shut down after the block,
    whatever happens."""
    office = subprocess.Popen(["soffice", f"-env:UserInstallation={profile_url}", "--headless",
                               "--norestore", "--nologo", "--nolockcheck",
                               f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = connect(pipe, office)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        yield desktop
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge goes down with the office, as it should
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


def main(profile_url, pipe):
    with running_office(profile_url, pipe) as desktop:
        print("ready", flush=True)
        for line in sys.stdin:
            try:
                answer = {"values": work_out(desktop, json.loads(line))}
            except Exception as error:   # told to sheetgen, which reports it for the file
                answer = {"error": " ".join(str(error).split()) or type(error).__name__}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
