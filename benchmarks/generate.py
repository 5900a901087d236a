"""Benchmark: how fast and how lean sheetgen writes its workbook, beside three baselines.

    python benchmarks/generate.py [--attempts N ...] [--xor-attempts N ...] [--no-baseline]
                                  [--no-libreoffice]

The XOR sizes are written three times: with plain gradient descent, with Adam, whose cells
counted include its Optimizers sheet's, and with the gradient check's columns. Each writer
runs in a fresh process, so that its peak memory is its own. Three baselines write
the same Training-sheet cells (no style, chart or other sheet), each the way its documentation
recommends for speed: openpyxl in write-only mode, and PyExcelerate, formulas only (neither
can store a formula's result); and XlsxWriter in `constant_memory` mode, every formula with
its result, the reference's, as sheetgen stores them. They need the `bench` extra
(`pip install -e '.[bench]'`). LibreOffice's recalculation time is what opening the workbook
costs a user; it is measured for the smaller sizes.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, GROUPS, MAX_ATTEMPTS, Column

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

    def rows(self, attempts: int):
        """What sheetgen fills the attempt rows' values from, the reference (a `RowSource`)."""
        if self.arguments[:1] != ("network",):
            from sheetgen.sheets.columns import NeuronRuns
            return NeuronRuns((self.parameters(attempts),))
        from sheetgen.sheets.network_sheet import describe
        return describe(self._network_run(attempts)).rows()

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

    def parameters(self, attempts: int):
        """The article's neuron's `Parameters`, as `sheetgen` takes them from the arguments."""
        from sheetgen.cli.neuron import generate_parser
        from sheetgen.inputs.presets import neuron_parameters
        chosen = self._given(generate_parser(), self.arguments, attempts)
        return neuron_parameters(chosen["preset"], chosen)

    def _network_run(self, attempts: int):
        from sheetgen.api import network_run
        from sheetgen.cli.network import network_parser
        return network_run(**self._given(network_parser(), self.arguments[1:], attempts))

    @staticmethod
    def _given(parser: argparse.ArgumentParser, arguments: tuple[str, ...],
               attempts: int) -> dict:
        from sheetgen.cli.parsing import given
        return given(parser.parse_args([*arguments, "--attempts", str(attempts)]))


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


@dataclass(frozen=True)
class Layout:
    """Where the baselines put the Training sheet's cells, as sheetgen does: a row of group
    titles and a row of headers (the first cell of each the learning rate's label and value),
    then a row per attempt."""

    heading: tuple[list, list]
    """The two header rows, from column A, with None in the cells left empty."""
    positions: tuple[tuple[int, Column], ...]
    """Each column of the table with its index, counted from 0 in column A."""

    @property
    def width(self) -> int:
        return len(self.heading[0])


def layout(sheet: Sheet, attempts: int) -> Layout:
    from openpyxl.utils import column_index_from_string
    columns, groups = sheet.columns(attempts)
    width = column_index_from_string(columns[-1].letter)
    titles, headers = [None] * width, [None] * width
    titles[0], headers[0] = "Learning rate", 0.01
    for group in groups:
        titles[column_index_from_string(group.columns[0].letter) - 1] = group.title
    positions = tuple((column_index_from_string(col.letter) - 1, col) for col in columns)
    for position, col in positions:
        headers[position] = col.header
    return Layout((titles, headers), positions)


def formula_rows(sheet: Sheet, attempts: int) -> Iterator[list]:
    """The sheet's rows from row 1, each a list from column A: the header rows, then every
    attempt's formulas, with its number where a column holds a constant (the attempt column,
    the only one in the sheets measured). What a writer that cannot store a formula's result
    writes."""
    cells = layout(sheet, attempts)
    yield from cells.heading
    for row in range(FIRST_ROW, FIRST_ROW + attempts):
        line = [None] * cells.width
        for position, col in cells.positions:
            formula = col.formula(row)
            line[position] = formula if formula is not None else row - FIRST_ROW + 1
        yield line


def write_with_openpyxl(sheet: Sheet, attempts: int, path: Path) -> None:
    """openpyxl in write-only mode, its fastest and leanest: formulas only."""
    from openpyxl import Workbook
    workbook = Workbook(write_only=True)
    training = workbook.create_sheet("Training")
    for line in formula_rows(sheet, attempts):
        training.append(line)
    workbook.save(path)


def write_with_pyexcelerate(sheet: Sheet, attempts: int, path: Path) -> None:
    """PyExcelerate, which writes a text starting with "=" as a formula and cannot store its
    result: formulas only. It takes the whole sheet as a list of rows, held in memory (a
    generator would go to its slower store of scattered cells). It writes a formula's text
    into the XML unescaped, which these sheets' formulas, none with <, > or &, survive."""
    from pyexcelerate import Workbook
    workbook = Workbook()
    workbook.new_sheet("Training", data=list(formula_rows(sheet, attempts)))
    workbook.save(str(path))


def write_with_xlsxwriter(sheet: Sheet, attempts: int, path: Path) -> None:
    """XlsxWriter in `constant_memory` mode, which writes each row as it is finished: every
    formula with its result and the attempt numbers, the reference's values, which it computes
    as sheetgen does."""
    import xlsxwriter
    from sheetgen.writing.rows import value_index
    cells = layout(sheet, attempts)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    training = workbook.add_worksheet("Training")
    for row, line in enumerate(cells.heading):
        training.write_row(row, 0, line)
    source = sheet.rows(attempts)
    fields = {field: index for index, field in enumerate(source.fields)}
    placed = [(position, col, value_index(col, fields)) for position, col in cells.positions]
    for row, values in enumerate(source.values(), start=FIRST_ROW):
        for position, col, index in placed:
            formula = col.formula(row)
            if formula is None:
                training.write_number(row - 1, position, values[index])
            else:
                training.write_formula(row - 1, position, formula, None, values[index])
    workbook.close()


@dataclass(frozen=True)
class Baseline:
    """A writer people would pick instead of sheetgen, and the package it needs."""

    name: str
    package: str
    write: Callable[[Sheet, int, Path], None]


BASELINES = (Baseline("openpyxl", "openpyxl", write_with_openpyxl),
             Baseline("XlsxWriter", "xlsxwriter", write_with_xlsxwriter),
             Baseline("PyExcelerate", "pyexcelerate", write_with_pyexcelerate))
WRITERS = {"sheetgen": write_with_sheetgen,
           **{baseline.name: baseline.write for baseline in BASELINES}}


def require_baselines() -> None:
    """Stop in one line if a baseline's package is missing."""
    missing = [baseline.package for baseline in BASELINES if find_spec(baseline.package) is None]
    if missing:
        raise SystemExit(f"benchmarks/generate.py: {' and '.join(missing)} not installed: "
                         "pip install -e '.[bench]', or run with --no-baseline")


def measure(writer: str, sheet: str, attempts: int, path: Path) -> tuple[float, float, float]:
    """(wall seconds, peak memory in MB, file MB) of one writer in a process of its own.

    The peak is of the writer and its child processes together (sheetgen forks one to help
    format rows), sampled from /proc twenty times a second (see `tree_memory`).
    """
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", writer, sheet,
                                str(attempts), str(path)])
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{writer} failed at {attempts} attempts")
    return seconds, peak / 2**20, path.stat().st_size / 1e6


def tree_memory(pid: int) -> int:
    """The bytes a process and its children hold now, as /proc tells them: each one's
    proportional set size, in which a page the forked helper still shares with its parent
    counts half in each (their resident sizes would count it twice)."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            total += next(int(line.split()[1]) * 1024 for line in rollup
                          if line.startswith("Pss:"))
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            total += sum(tree_memory(int(child)) for child in children.read().split())
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
    from sheetgen.maths.neuron import train
    from sheetgen.sheets.columns import SHEET_NAME
    rows = read_sheet_rows(path, SHEET_NAME, COLUMNS, data_only=True)
    reference = train(SHEETS["article"].parameters(attempts))
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
    from sheetgen.maths.training import train
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


HEADER = ("sheet", "attempts", "cells", "sheetgen s", "cells/s", "sheetgen peak MB", "file MB",
          *(heading for baseline in BASELINES for heading in (
              f"{baseline.name} s", f"{baseline.name} peak MB", f"time vs {baseline.name}",
              f"memory vs {baseline.name}")),
          "LibreOffice recalculation s", "sheetgen check, LibreOffice and Gnumeric")
"""The table's columns. A ratio is sheetgen's figure over the baseline's: below 1× is less."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--xor-attempts", type=int, nargs="*", default=list(XOR_SIZES))
    parser.add_argument("--iris-attempts", type=int, nargs="*", default=list(IRIS_SIZES))
    parser.add_argument("--no-baseline", action="store_true", help="measure sheetgen alone")
    parser.add_argument("--no-libreoffice", action="store_true")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        writer, sheet, attempts, path = options.child
        WRITERS[writer](SHEETS[sheet], int(attempts), Path(path))
        return
    if not options.no_baseline:
        require_baselines()

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; each writer in a process "
          "of its own; peak memory is the whole process tree's, each page the helper "
          "shares counted half in each process\n")
    print("| " + " | ".join(HEADER) + " |")
    print("|---|" + "---:|" * (len(HEADER) - 2) + "---|")
    cases = ([("article", n) for n in options.attempts]
             + [(sheet, n) for sheet in ("xor", "xor, Adam", "xor, gradient check")
                for n in options.xor_attempts]
             + [(sheet, n) for sheet in WITHOUT_BASELINE for n in options.iris_attempts])
    rates = {}
    with tempfile.TemporaryDirectory(prefix="sheetgen-bench-") as scratch:
        for sheet, attempts in cases:
            cells_in_all = SHEETS[sheet].cells(attempts)
            ours_path = Path(scratch) / f"sheetgen-{attempts}.xlsx"
            ours = measure("sheetgen", sheet, attempts, ours_path)
            rates[sheet, attempts] = cells_in_all / ours[0]
            cells = [sheet, f"{attempts:,}", f"{cells_in_all:,}", f"{ours[0]:.2f}",
                     f"{cells_in_all / ours[0] / 1e6:.2f} M", f"{ours[1]:.0f}", f"{ours[2]:.1f}"]
            if options.no_baseline or sheet in WITHOUT_BASELINE:
                cells += ["–"] * 4 * len(BASELINES)
            else:
                cells += baseline_cells(sheet, attempts, ours, Path(scratch))
            cells += checked_cells(sheet, attempts, ours_path, options.no_libreoffice)
            print("| " + " | ".join(cells) + " |", flush=True)
            for leftover in Path(scratch).iterdir():
                leftover.unlink()
    print_iris_rates(rates)


def baseline_cells(sheet: str, attempts: int, ours: tuple[float, float, float],
                   scratch: Path) -> list[str]:
    """Each baseline's seconds and peak MB, and sheetgen's (`ours`) over its."""
    cells = []
    for baseline in BASELINES:
        seconds, peak, _ = measure(baseline.name, sheet, attempts,
                                   scratch / f"{baseline.name}-{attempts}.xlsx")
        cells += [f"{seconds:.2f}", f"{peak:.0f}", f"{ours[0] / seconds:.2f}×",
                  f"{ours[1] / peak:.2f}×"]
    return cells


def checked_cells(sheet: str, attempts: int, path: Path, no_libreoffice: bool) -> list[str]:
    """LibreOffice's recalculation time, and at the checked size the proof of the stored
    results and `sheetgen check`'s verdict; dashes where they are not measured."""
    if no_libreoffice or sheet != "article" or attempts not in LIBREOFFICE_SIZES:
        return ["–", "–"]
    return [f"{libreoffice_seconds(path):.1f}",
            f"{stored_exactly(path, attempts)}; {checked(path)}"
            if attempts == CHECKED_SIZE else "–"]


def print_iris_rates(rates: dict[tuple[str, int], float]) -> None:
    """The sheets without a baseline, against the rust preset's rate in the same run."""
    rust = rates.get(("article", CHECKED_SIZE))
    for (sheet, attempts), rate in rates.items():
        if sheet in WITHOUT_BASELINE and rust:
            print(f"\n{sheet}, {attempts:,} attempts: {rate / 1e6:.2f} M "
                  f"cells/s, {rate / rust:.0%} of the rust preset's {rust / 1e6:.2f} M in this "
                  "run")


if __name__ == "__main__":
    main()
