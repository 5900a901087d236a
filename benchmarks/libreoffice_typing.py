"""Time a real LibreOffice as a teacher uses it: open a workbook, type a value, and wait until
the cells that show the change have recomputed.

Run by Debian's /usr/bin/python3, which can import LibreOffice's `uno`:
    libreoffice_typing.py WORKBOOK PROFILE_URL SHEET!CELL=VALUE SHEET!RANGE[,SHEET!RANGE…] …
Each pair of arguments after the profile is one change and the cells (or ranges, A1:B9) it
must reach; the script prints the seconds the file took to open, then the seconds of each
change, from the typed value to every listed cell's new value (LibreOffice computes a changed
cell's dependents when they are asked for, so asking for all of them is waiting for all).
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def property_value(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


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
            time.sleep(0.25)


def cell_of(document, address):
    sheet, _, cell = address.rpartition("!")
    return document.Sheets.getByName(sheet).getCellRangeByName(cell)


def main(workbook, profile_url, *changes):
    pipe = f"sheetgen-typing-{os.getpid()}"
    office = subprocess.Popen(["soffice", f"-env:UserInstallation={profile_url}", "--headless",
                               "--norestore", "--nologo", "--nolockcheck",
                               f"--accept=pipe,name={pipe};urp;"])
    try:
        context = connect(pipe, office)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        started = time.perf_counter()
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(workbook), "_blank", 0, (property_value("Hidden", True),))
        print(f"open {time.perf_counter() - started:.3f}", flush=True)
        for typed, watched in zip(changes[::2], changes[1::2]):
            address, value = typed.split("=")
            ranges = [cell_of(document, cell) for cell in watched.split(",")]
            started = time.perf_counter()
            cell_of(document, address).setValue(float(value))
            shown = [cells.getDataArray() for cells in ranges]
            seconds = time.perf_counter() - started
            print(f"{address} {seconds:.3f} {shown[0][0][0]!r}", flush=True)
        document.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge goes down with the office, as it should
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:])
