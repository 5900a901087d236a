"""Benchmark: how fast and how lean sheetgen writes its workbook, beside plain openpyxl.

    python benchmarks/generate.py [--attempts N ...] [--no-baseline] [--no-libreoffice]

Each writer runs in a fresh process, so that its peak resident memory is its own. The baseline
writes the same cells (formulas and constants, no stored results, no chart) with openpyxl in
write-only mode, its fastest and leanest. LibreOffice's recalculation time is what opening the
workbook costs a user; it is measured for the smaller sizes.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sheetgen.maths.neuron import Parameters, train
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, GROUPS, MAX_ATTEMPTS

SIZES = (1_000, 100_001, MAX_ATTEMPTS)
LIBREOFFICE_SIZES = (1_000, 100_001)


def write_with_sheetgen(attempts: int, path: Path) -> None:
    """What `sheetgen --attempts N --learning-rate 0.01 -o PATH -q` does."""
    from sheetgen.cli import main
    main(["--attempts", str(attempts), "--learning-rate", "0.01", "-o", str(path), "-q"])


def write_with_openpyxl(attempts: int, path: Path) -> None:
    """The same sheet, cell for cell, the plain way."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    parameters = Parameters(learning_rate=0.01, attempts=attempts)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Training")
    width = ord(COLUMNS[-1].letter) - ord("A") + 1
    groups, headers = [None] * width, [None] * width
    groups[0], headers[0] = "Learning rate", parameters.learning_rate
    for group in GROUPS:
        groups[ord(group.columns[0].letter) - ord("A")] = group.title
    for col in COLUMNS:
        headers[ord(col.letter) - ord("A")] = col.header
    sheet.append(groups)
    sheet.append(headers)
    for row, attempt in enumerate(train(parameters), start=FIRST_ROW):
        cells = [None] * width
        for col in COLUMNS:
            formula = col.formula(row)
            cells[ord(col.letter) - ord("A")] = (
                formula if formula is not None else getattr(attempt, col.field))
        sheet.append(cells)
    workbook.defined_names["LEARNING_RATE"] = DefinedName("LEARNING_RATE",
                                                          attr_text="Training!$A$2")
    workbook.save(path)


WRITERS = {"sheetgen": write_with_sheetgen, "openpyxl": write_with_openpyxl}


def measure(writer: str, attempts: int, path: Path) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, file MB) of one writer in a process of its own.

    The peak is of the writer and its child processes together (sheetgen forks one to help
    format rows), sampled from /proc twenty times a second.
    """
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", writer, str(attempts),
                                str(path)])
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{writer} failed at {attempts} attempts")
    return seconds, peak / 2**20, path.stat().st_size / 1e6


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and its children, as /proc tells them now."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            total += next(int(line.split()[1]) * 1024 for line in status
                          if line.startswith("VmRSS:"))
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            total += sum(tree_rss(int(child)) for child in children.read().split())
    except (OSError, StopIteration):   # it ended between two reads
        pass
    return total


def libreoffice_seconds(path: Path) -> float:
    from sheetgen.engines.programs import LIBREOFFICE
    started = time.perf_counter()
    LIBREOFFICE.recalculate(path, path.with_name(path.stem + "-recalculated.xlsx"),
                            timeout=3600)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-libreoffice", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        writer, attempts, path = options.child
        WRITERS[writer](int(attempts), Path(path))
        return

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; learning rate 0.01; "
          f"each writer in a process of its own; peak memory is the whole process tree\n")
    print("| attempts | rows | sheetgen s | sheetgen peak MB | file MB "
          "| openpyxl s | openpyxl peak MB | file MB | time vs openpyxl | memory vs openpyxl "
          "| LibreOffice recalculation s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="sheetgen-bench-") as scratch:
        for attempts in options.attempts:
            ours_path = Path(scratch) / f"sheetgen-{attempts}.xlsx"
            ours = measure("sheetgen", attempts, ours_path)
            cells = [f"{attempts:,}", f"3–{attempts + 2:,}",
                     f"{ours[0]:.2f}", f"{ours[1]:.0f}", f"{ours[2]:.1f}"]
            if options.no_baseline:
                cells += ["–"] * 5
            else:
                base = measure("openpyxl", attempts, Path(scratch) / f"openpyxl-{attempts}.xlsx")
                cells += [f"{base[0]:.2f}", f"{base[1]:.0f}", f"{base[2]:.1f}",
                          f"{ours[0] / base[0]:.2f}×", f"{ours[1] / base[1]:.2f}×"]
            if options.no_libreoffice or attempts not in LIBREOFFICE_SIZES:
                cells.append("–")
            else:
                cells.append(f"{libreoffice_seconds(ours_path):.1f}")
            print("| " + " | ".join(cells) + " |", flush=True)
            for leftover in Path(scratch).iterdir():
                leftover.unlink()


if __name__ == "__main__":
    main()
