"""Benchmark: how fast and how lean sheetgen writes its workbook, beside plain openpyxl.

    python benchmarks/generate.py [--attempts N ...] [--xor-attempts N ...] [--no-baseline]
                                  [--no-libreoffice]

The XOR sizes are written three times: with plain gradient descent, with Adam, whose cells
counted include its Optimizers sheet's, and with the gradient check's columns. Each writer
runs in a fresh process, so that its peak resident memory is its own. The baseline writes the
same Training-sheet cells (formulas and constants, no stored results, no chart, no other
sheet) with openpyxl in write-only mode, its fastest and leanest. LibreOffice's recalculation
time is what opening the workbook costs a user; it is measured for the smaller sizes.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, GROUPS, MAX_ATTEMPTS

SIZES = (1_000, 100_001, MAX_ATTEMPTS)
XOR_SIZES = (100_000,)
IRIS_SIZES = (10_000,)
WITHOUT_BASELINE = ("iris", "iris, batches of 10, shuffled",
                    "iris, batches of 10, shuffled, 30% held out")
"""Measured against the rust preset's rate in the same run, not against openpyxl, which would
take most of an hour over the iris sheet's 55 million cells."""
LIBREOFFICE_SIZES = (1_000, 100_001)
CHECKED_SIZE = 100_001
"""The big sheet both engines recompute in full and `sheetgen check` compares row by row with
the reference: the rust preset, too big for the test suite (see README, "How it is tested")."""


@dataclass(frozen=True)
class Sheet:
    """A kind of Training sheet: the command that writes it, and its columns."""

    arguments: tuple[str, ...]
    """`sheetgen` arguments, less the attempts."""

    def command(self, attempts: int, path: Path) -> list[str]:
        return [*self.arguments, "--attempts", str(attempts), "-o", str(path), "-q"]

    def columns(self, attempts: int) -> tuple:
        """(the columns, the first group's title and letters by group) as in the sheet."""
        if self.arguments[:1] != ("network",):
            return COLUMNS, GROUPS
        from sheetgen.sheets.network_sheet import describe
        sheet = describe(self._network_run(attempts))
        return sheet.columns, sheet.groups

    def cells(self, attempts: int) -> int:
        """The attempt rows' cells, the Optimizers sheet's included where there is one."""
        cells = attempts * len(self.columns(attempts)[0])
        if self.arguments[:1] == ("network",):
            from sheetgen.sheets.optimizers_sheet import describe_optimizers
            run = self._network_run(attempts)
            if run.optimizer != "gd":
                optimizers = describe_optimizers(run)
                cells += optimizers.attempts * len(optimizers.columns)
        return cells

    def _network_run(self, attempts: int):
        from sheetgen.api import network_run
        from sheetgen.cli.network import network_parser
        from sheetgen.cli.parsing import given
        return network_run(**given(network_parser().parse_args(
            [*self.arguments[1:], "--attempts", str(attempts)])))


SHEETS = {"article": Sheet(("--learning-rate", "0.01")),
          "xor": Sheet(("network", "--preset", "xor")),
          "xor, Adam": Sheet(("network", "--preset", "xor", "--optimizer", "adam")),
          "xor, gradient check": Sheet(("network", "--preset", "xor", "--gradient-check")),
          "iris": Sheet(("network", "--preset", "iris")),
          "iris, batches of 10, shuffled": Sheet(("network", "--preset", "iris", "--batch", "10",
                                                   "--shuffle")),
          "iris, batches of 10, shuffled, 30% held out": Sheet((
              "network", "--preset", "iris", "--batch", "10", "--shuffle", "--test-fraction",
              "0.3"))}


def write_with_sheetgen(sheet: Sheet, attempts: int, path: Path) -> None:
    """What `sheetgen [network …] --attempts N -o PATH -q` does."""
    from sheetgen.cli import main
    main(sheet.command(attempts, path))


def write_with_openpyxl(sheet: Sheet, attempts: int, path: Path) -> None:
    """The same cells, the plain way: every formula, and the attempt numbers (openpyxl cannot
    store a formula's result); no styles, charts or other sheets."""
    from openpyxl import Workbook
    from openpyxl.utils import column_index_from_string

    columns, groups = sheet.columns(attempts)
    workbook = Workbook(write_only=True)
    training = workbook.create_sheet("Training")
    width = column_index_from_string(columns[-1].letter)
    titles, headers = [None] * width, [None] * width
    titles[0], headers[0] = "Learning rate", 0.01
    for group in groups:
        titles[column_index_from_string(group.columns[0].letter) - 1] = group.title
    positions = [(column_index_from_string(col.letter) - 1, col) for col in columns]
    for position, col in positions:
        headers[position] = col.header
    training.append(titles)
    training.append(headers)
    for row in range(FIRST_ROW, FIRST_ROW + attempts):
        cells = [None] * width
        for position, col in positions:
            formula = col.formula(row)
            cells[position] = formula if formula is not None else row - FIRST_ROW + 1
        training.append(cells)
    workbook.save(path)


WRITERS = {"sheetgen": write_with_sheetgen, "openpyxl": write_with_openpyxl}


def measure(writer: str, sheet: str, attempts: int, path: Path) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, file MB) of one writer in a process of its own.

    The peak is of the writer and its child processes together (sheetgen forks one to help
    format rows), sampled from /proc twenty times a second.
    """
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", writer, sheet,
                                str(attempts), str(path)])
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


def stored_exactly(path: Path, attempts: int) -> str:
    """Whether every stored result of the article's sheet is the reference's, to the bit:
    what a program that does not calculate (pandas, a previewer) shows."""
    from sheetgen.engines.reading import read_sheet_rows
    from sheetgen.maths.neuron import Parameters, train
    from sheetgen.sheets.columns import COLUMNS, SHEET_NAME
    rows = read_sheet_rows(path, SHEET_NAME, COLUMNS, data_only=True)
    reference = train(Parameters(learning_rate=0.01, attempts=attempts))
    same = len(rows) == attempts and all(
        cells == {col.letter: getattr(attempt, col.field) for col in COLUMNS}
        for cells, attempt in zip(rows, reference))
    if not same:
        return "STORED VALUES DIFFER"
    return (f"stored exactly, last output {rows[-1]['L']!r} (the network reference's: "
            f"{network_figure(attempts)!r})")


def network_figure(attempts: int) -> float:
    """The last output of the article's neuron trained as a 1-1 network, `sheetgen network
    --layers 1,1 --data article`: the network code's own route to the article's figure."""
    from sheetgen.api import network_run
    from sheetgen.maths.network import train
    run = network_run(layers=(1, 1), data="article", learning_rate=0.01, attempts=attempts)
    *_, last = train(run)
    return last.passes[0].outputs[-1][0]


def checked(path: Path) -> str:
    """`sheetgen check` of a big sheet: both engines recalculate it and every row is compared
    with the reference; the verdict, its time and the largest difference seen."""
    from sheetgen.api import check
    started = time.perf_counter()
    result = check(path)
    seconds = time.perf_counter() - started
    largest = max(difference for engine in result.engines
                  for difference in engine.training.largest.values())
    verdict = "passed" if result.passed else "FAILED"
    return f"{verdict} in {seconds:.0f} s, largest difference {largest:.0e}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--xor-attempts", type=int, nargs="*", default=list(XOR_SIZES))
    parser.add_argument("--iris-attempts", type=int, nargs="*", default=list(IRIS_SIZES))
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-libreoffice", action="store_true")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        writer, sheet, attempts, path = options.child
        WRITERS[writer](SHEETS[sheet], int(attempts), Path(path))
        return

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; each writer in a process "
          "of its own; peak memory is the whole process tree\n")
    print("| sheet | attempts | cells | sheetgen s | cells/s | sheetgen peak MB | file MB "
          "| openpyxl s | openpyxl peak MB | file MB | time vs openpyxl | memory vs openpyxl "
          "| LibreOffice recalculation s | sheetgen check, LibreOffice and Gnumeric |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    cases = ([("article", n) for n in options.attempts]
             + [(sheet, n) for sheet in ("xor", "xor, Adam", "xor, gradient check")
                for n in options.xor_attempts]
             + [(sheet, n) for sheet in WITHOUT_BASELINE for n in options.iris_attempts])
    rates = {}
    with tempfile.TemporaryDirectory(prefix="sheetgen-bench-") as scratch:
        for sheet, attempts in cases:
            cells_in_all = SHEETS[sheet].cells(attempts)
            name = sheet.replace(", ", "-").replace(" ", "-")
            ours_path = Path(scratch) / f"sheetgen-{name}-{attempts}.xlsx"
            ours = measure("sheetgen", sheet, attempts, ours_path)
            rates[sheet, attempts] = cells_in_all / ours[0]
            cells = [sheet, f"{attempts:,}", f"{cells_in_all:,}", f"{ours[0]:.2f}",
                     f"{cells_in_all / ours[0] / 1e6:.2f} M", f"{ours[1]:.0f}", f"{ours[2]:.1f}"]
            if options.no_baseline or sheet in WITHOUT_BASELINE:
                cells += ["–"] * 5
            else:
                base = measure("openpyxl", sheet, attempts,
                               Path(scratch) / f"openpyxl-{name}-{attempts}.xlsx")
                cells += [f"{base[0]:.2f}", f"{base[1]:.0f}", f"{base[2]:.1f}",
                          f"{ours[0] / base[0]:.2f}×", f"{ours[1] / base[1]:.2f}×"]
            if options.no_libreoffice or sheet != "article" or attempts not in LIBREOFFICE_SIZES:
                cells += ["–", "–"]
            else:
                cells.append(f"{libreoffice_seconds(ours_path):.1f}")
                cells.append(f"{stored_exactly(ours_path, attempts)}; {checked(ours_path)}"
                             if attempts == CHECKED_SIZE else "–")
            print("| " + " | ".join(cells) + " |", flush=True)
            for leftover in Path(scratch).iterdir():
                leftover.unlink()
    rust = rates.get(("article", CHECKED_SIZE))
    for (sheet, attempts), rate in rates.items():
        if sheet in WITHOUT_BASELINE and rust:
            print(f"\n{sheet}, {attempts:,} attempts: {rate / 1e6:.2f} M "
                  f"cells/s, {rate / rust:.0%} of the rust preset's {rust / 1e6:.2f} M in this "
                  "run")


if __name__ == "__main__":
    main()
