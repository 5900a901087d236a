"""`sheetgen check FILE`: recalculate a workbook in real engines and compare it with the reference.

A value agrees when it is within 1e-12 of the reference, or within 1e-12 of it relatively where
the reference is larger than 1 (a bias of -5000 has no digits left at 1e-12).

Where the training is chaotic (learning rates of about 3.3 and more), a difference of one unit
in the last place, such as between two engines' TANH, grows until it dominates. The check finds
where the reference itself is that sensitive, by running it again with a tanh that is one ulp
off on every attempt (up, then down), and compares values only up to there. Formulas are
compared on every row, so a changed formula is caught wherever it is.
"""

import math
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sheetgen.arguments import OneLineParser
from sheetgen.engines.programs import ENGINES, Engine, EngineError
from sheetgen.engines.reading import TrainingSheet, UnreadableSheet, read_training_sheet
from sheetgen.maths import network
from sheetgen.maths.network import Run
from sheetgen.maths.neuron import Parameters, Summary, summarize, train
from sheetgen.sheets import panel
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, Column, last_row
from sheetgen.sheets.network_sheet import NetworkSheet

TOLERANCE = 1e-12
SENSITIVITY_PROBE = TOLERANCE / 100
"""How far the one-ulp-off reference may drift before the run counts as sensitive. Tighter than
the tolerance, for a margin: measured against Gnumeric at learning rates from 3 to 1000, a
probe at the tolerance itself sometimes found the onset an attempt or three after Gnumeric
had already left the reference; at a tenth of it, never; a hundredth leaves room."""


@dataclass
class Mismatch:
    cell: str
    found: object
    expected: object

    def __str__(self) -> str:
        return f"{self.cell} holds {self.found!r}, expected {self.expected!r}"


@dataclass
class Comparison:
    """How a sheet's values compare with the reference, attempt by attempt."""

    compared_attempts: int
    largest: dict[str, float] = field(default_factory=dict)
    """The largest absolute difference in each column."""
    mismatch: Mismatch | None = None


def agrees(found: float, expected: float, tolerance: float = TOLERANCE) -> bool:
    return abs(found - expected) <= tolerance * max(1.0, abs(expected))


def sensitive_from(parameters: Parameters) -> int | None:
    """The first attempt whose values a tanh one ulp off visibly moves.

    None when the run absorbs such errors: then every attempt can be compared.
    """
    def one_ulp_off(direction: float):
        def tanh(net: float) -> float:
            exact = math.tanh(net)
            # Saturated at ±1, every engine agrees: a step past 1 is no engine's rounding.
            return exact if abs(exact) == 1 else math.nextafter(exact, direction)
        return tanh

    runs = [train(parameters, one_ulp_off(direction)) for direction in (math.inf, -math.inf)]
    for exact, *others in zip(train(parameters), *runs):
        for other in others:
            if not all(agrees(a, b, SENSITIVITY_PROBE) for a, b in zip(other, exact)):
                return exact.number
    return None


def compare_values(rows: list[dict[str, object]], reference: Iterable, until: int | None = None,
                   columns: tuple[Column, ...] = COLUMNS,
                   value_of: Callable[[object, str], float] = getattr) -> Comparison:
    """Compare each row's cells with the reference, up to (not including) attempt `until`.

    `value_of(attempt, field)` is what the reference holds for a column's field.
    """
    comparison = Comparison(0, {col.letter: 0.0 for col in columns})
    for number, (cells, attempt) in enumerate(zip(rows, reference), start=1):
        if until is not None and number >= until:
            break
        row = FIRST_ROW + number - 1
        for col in columns:
            found, expected = cells[col.letter], value_of(attempt, col.field)
            if not _is_number(found):
                comparison.mismatch = Mismatch(f"{col.letter}{row}", found, expected)
                return comparison
            difference = abs(found - expected)
            if not agrees(found, expected):
                comparison.mismatch = Mismatch(f"{col.letter}{row}", found, expected)
            comparison.largest[col.letter] = max(comparison.largest[col.letter], difference)
            if comparison.mismatch:
                return comparison
        comparison.compared_attempts += 1
    return comparison


def network_reference(run: Run, nudge=None) -> Iterator[dict[str, float]]:
    """Each attempt of a network's run as {field: value}, for `compare_values`."""
    fields = network.field_names(run)
    return (dict(zip(fields, network.row_values(attempt)))
            for attempt in network.train(run, nudge))


def compare_network_values(rows: list[dict[str, object]], sheet: NetworkSheet,
                           until: int | None = None) -> Comparison:
    return compare_values(rows, network_reference(sheet.run), until, sheet.columns,
                          dict.__getitem__)


def formula_mismatch(sheet: TrainingSheet) -> Mismatch | None:
    """The first cell whose formula is not the one sheetgen writes there."""
    for row, cells in enumerate(sheet.formulas.rows, start=FIRST_ROW):
        for col in COLUMNS:
            expected, found = col.formula(row), cells[col.letter]
            if expected is None:
                if isinstance(found, str):
                    return Mismatch(f"{col.letter}{row}", found, "a number")
            elif found != expected:
                return Mismatch(f"{col.letter}{row}", found, expected)
    end = last_row(sheet.attempts)
    for result in panel.SUMMARY:
        expected, found = result.formula_for(end), sheet.formulas.panel.get(result.row)
        if _formula_text(found) != expected:
            return Mismatch(result.cell, _formula_text(found), expected)
    return None


def summary_mismatch(panel_values: dict[int, object], summary: Summary) -> Mismatch | None:
    """The first summary cell whose value differs from the reference's summary."""
    for result in panel.SUMMARY:
        expected = result.shown(summary)
        found = panel_values.get(result.row)
        if isinstance(expected, str) or isinstance(found, str):
            same = found == expected
        else:
            same = _is_number(found) and agrees(found, expected)
        if not same:
            return Mismatch(result.cell, found, expected)
    return None


def _formula_text(value: object) -> object:
    """openpyxl gives an array formula as an object; its text is what counts here."""
    return getattr(value, "text", value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class CannotCheck(Exception):
    """The file cannot be checked at all; the message is one line."""


def check_command(argv: list[str]) -> int:
    parser = OneLineParser(
        prog="sheetgen check",
        description="Recalculate a training workbook in real spreadsheet engines and compare "
                    f"every computed cell with the Python reference (within {TOLERANCE:g}).")
    parser.add_argument("file", type=Path, help="the .xlsx workbook to check")
    parser.add_argument("--engine", choices=[*ENGINES, "all"], default="all",
                        help="which engine recalculates (default: every one installed)")
    options = parser.parse_args(argv)
    try:
        return run_check(options.file, options.engine, sys.stdout)
    except CannotCheck as error:
        print(f"sheetgen check: cannot check {options.file}: {error}", file=sys.stderr)
        return 2


def _chosen_engines(name: str) -> list[Engine]:
    if name != "all":
        engine = ENGINES[name]
        if engine.path() is None:
            raise CannotCheck(f"{engine.name} is not installed ({engine.program} not found; "
                              f"Debian package {engine.package})")
        return [engine]
    installed = [engine for engine in ENGINES.values() if engine.path() is not None]
    if not installed:
        raise CannotCheck("no spreadsheet engine is installed (need soffice or ssconvert)")
    return installed


def run_check(path: Path, engine_name: str, out) -> int:
    """Check `path`; print the report to `out`; return the exit status (0, 1)."""
    if not path.is_file():
        raise CannotCheck("no such file")
    engines = _chosen_engines(engine_name)
    try:
        sheet = read_training_sheet(path)
        parameters = sheet.parameters()
    except UnreadableSheet as error:
        raise CannotCheck(str(error)) from None
    out.write(f"{path}: learning rate {parameters.learning_rate!r}, input {parameters.input!r}, "
              f"target factor {parameters.target_factor!r}, initial weight "
              f"{parameters.weight!r}, initial bias {parameters.bias!r}, loss threshold "
              f"{parameters.loss_threshold!r}, {parameters.attempts:,} attempts (rows "
              f"{FIRST_ROW} to {last_row(parameters.attempts):,})\n")
    failed = False
    formula = formula_mismatch(sheet)
    if formula:
        out.write(f"formulas: MISMATCH: {formula}\n")
        failed = True
    else:
        out.write(f"formulas: all {parameters.attempts:,} rows and the summary as sheetgen "
                  "writes them\n")
    sensitive = sensitive_from(parameters)
    if sensitive is not None:
        sensitive = max(sensitive, 2)   # the first attempt follows from the inputs alone
        out.write(f"note: this run is chaotic from attempt {sensitive:,} (row "
                  f"{last_row(sensitive):,}): a TANH one ulp off moves it from there on, so "
                  f"engines may honestly differ; values are compared up to attempt "
                  f"{sensitive - 1:,}\n")
    # A chaotic run's last rows, and so its summary, are each engine's own.
    summary = summarize(train(parameters), parameters.loss_threshold) if sensitive is None \
        else None
    for engine in engines:
        failed |= not _check_with(engine, path, parameters, sensitive, summary, out)
    out.write("result: MISMATCH\n" if failed else "result: OK\n")
    return 1 if failed else 0


def _check_with(engine: Engine, path: Path, parameters: Parameters, until: int | None,
                summary: Summary | None, out) -> bool:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sheetgen-check-") as scratch:
        recalculated = Path(scratch) / "recalculated.xlsx"
        try:
            warnings = engine.recalculate(path, recalculated)
            sheet = read_training_sheet(recalculated)
        except (EngineError, UnreadableSheet) as error:
            raise CannotCheck(str(error)) from None
    seconds = time.monotonic() - started
    if sheet.attempts != parameters.attempts:
        out.write(f"{engine.name}: MISMATCH after {seconds:.1f} s: it gave back "
                  f"{sheet.attempts:,} rows of the {parameters.attempts:,}\n")
        return False
    comparison = compare_values(sheet.values.rows, train(parameters), until)
    if comparison.mismatch is None and summary is not None:
        comparison.mismatch = summary_mismatch(sheet.values.panel, summary)
    largest = "  ".join(f"{letter} {difference:.1e}"
                        for letter, difference in comparison.largest.items())
    if comparison.mismatch:
        out.write(f"{engine.name}: MISMATCH after {seconds:.1f} s: {comparison.mismatch}\n")
        return False
    out.write(f"{engine.name}: {comparison.compared_attempts:,} rows agree within "
              f"{TOLERANCE:g} ({seconds:.1f} s); largest difference by column: {largest}\n")
    for line in warnings.splitlines():
        out.write(f"{engine.name} warned: {line}\n")
    return True
