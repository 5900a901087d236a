"""Time a real LibreOffice as a teacher uses it: open a workbook, type a value, and wait until
the cells that show the change have recomputed.

Run by Debian's /usr/bin/python3, which can import LibreOffice's `uno`:
    libreoffice_typing.py WORKBOOK PROFILE_URL SHEET!CELL=VALUE SHEET!RANGE[,SHEET!RANGE…] …
Each pair of arguments after the profile is one change and the cells (or ranges, A1:B9) it
must reach; the script prints the seconds the file took to open, then the seconds of each
change, from the typed value to every listed cell's new value (LibreOffice computes a changed
cell's dependents when they are asked for, so asking for all of them is waiting for all).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from libreoffice_edit import opened, session  # noqa: E402  (the tests' bridge helpers)


def cell_of(document, address):
    sheet, _, cell = address.rpartition("!")
    return document.Sheets.getByName(sheet).getCellRangeByName(cell)


def main(workbook, profile_url, *changes):
    with session(profile_url, "typing") as desktop:
        started = time.perf_counter()
        document = opened(desktop, workbook)
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


if __name__ == "__main__":
    main(*sys.argv[1:])
