"""`sheetgen check FILE` (`sheetgen.check`): recalculate a workbook in real engines and
compare it with the reference (see `comparison`), whichever kind of workbook it is (what to
compare, see `subjects`), and report how it went, engine by engine."""

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sheetgen.engines.comparison import (
    TOLERANCE,
    Comparison,
    compare_values,
    formula_mismatch,
    no_recheck,
    summary_mismatch,
)
from sheetgen.engines.programs import ENGINES, Engine, EngineError
from sheetgen.engines.network_reading import is_network_workbook
from sheetgen.engines.reading import UnreadableSheet
from sheetgen.engines.sheet_values import workbook_names
from sheetgen.engines.subjects import Subject, network_subject, neuron_subject
from sheetgen.maths.training import Overflow
from sheetgen.sheets.columns import FIRST_ROW, last_row
from sheetgen.sheets.exercise import BLANKS_NAME


class CannotCheck(Exception):
    """The file cannot be checked at all; the message is one line."""


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


@dataclass(frozen=True)
class EngineResult:
    """How one engine's recalculation of a workbook compared with the reference."""

    engine: str
    seconds: float
    training: Comparison
    """The Training sheet's rows and summary: the rows compared, the largest difference in
    each column, and the first cell that differs, if one does."""
    sheets: tuple[tuple[str, Comparison], ...] = ()
    """The other computed sheets' comparisons (the Optimizers sheet's blocks), by name."""
    warnings: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.training.mismatch is None and all(
            comparison.mismatch is None for _, comparison in self.sheets)


@dataclass(frozen=True)
class CheckOutcome:
    """What checking a workbook found: its formulas, where its run turns chaotic (values are
    compared before that attempt), and each engine's result."""

    formula_mismatch: object | None
    chaotic_from: int | None
    engines: tuple[EngineResult, ...]

    @property
    def passed(self) -> bool:
        return self.formula_mismatch is None and all(engine.passed for engine in self.engines)


def run_check(path: Path, engine_name: str, out) -> CheckOutcome:
    """Check `path`, writing the report to `out` line by line as the engines finish."""
    if not path.is_file():
        raise CannotCheck("no such file")
    try:
        network = is_network_workbook(path)
    except UnreadableSheet as error:
        raise CannotCheck(str(error)) from None
    if BLANKS_NAME.format(1) in workbook_names(path)[1]:
        raise CannotCheck("it is an exercise, with cells left for a class to fill in: "
                          "'sheetgen grade' marks it")
    engines = _chosen_engines(engine_name)
    try:
        subject = (network_subject if network else neuron_subject)(path)
        sensitive = subject.sensitive()
        # A chaotic run's last rows, and so its summary, are each engine's own.
        summary = subject.summary() if sensitive is None else None
    except UnreadableSheet as error:
        raise CannotCheck(str(error)) from None
    except Overflow as error:
        raise CannotCheck(f"its inputs make the reference overflow: {error}") from None
    out.write(f"{path}: {subject.heading}, {subject.attempts:,} attempts (rows {FIRST_ROW} to "
              f"{last_row(subject.attempts):,})\n")
    formula = formula_mismatch(subject.formulas, subject.columns, subject.results,
                               subject.summary_formulas)
    if formula:
        out.write(f"formulas: MISMATCH: {formula}\n")
    else:
        out.write(f"formulas: all {subject.attempts:,} rows and the summary as sheetgen "
                  "writes them\n")
    if sensitive is not None:
        sensitive = max(sensitive, 2)   # the first attempt follows from the inputs alone
        out.write(f"note: this run is chaotic from attempt {sensitive:,} (row "
                  f"{last_row(sensitive):,}): a TANH or EXP one ulp off moves it from there on, so "
                  f"engines may honestly differ; values are compared up to attempt "
                  f"{sensitive - 1:,}\n")
    results = []
    for engine in engines:
        results.append(_check_with(engine, path, subject, sensitive, summary))
        _report(results[-1], subject, out)
    outcome = CheckOutcome(formula or None, sensitive, tuple(results))
    out.write("result: OK\n" if outcome.passed else "result: MISMATCH\n")
    return outcome


def _check_with(engine: Engine, path: Path, subject: Subject, until: int | None,
                summary: tuple | None) -> EngineResult:
    """Recalculate `path` in `engine` and compare what it computed with the reference."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sheetgen-check-") as scratch:
        recalculated = Path(scratch) / "recalculated.xlsx"
        try:
            warnings = engine.recalculate(path, recalculated)
            values, summary_values = subject.read_values(recalculated)
            seconds = time.monotonic() - started
            if len(values.rows) != subject.attempts:
                return EngineResult(engine.name, seconds, Comparison(0, mismatch=(
                    f"it gave back {len(values.rows):,} rows of the {subject.attempts:,}")))
            comparison = compare_values(values.rows, subject.reference(), until,
                                        subject.columns, subject.value_of, subject.recheck)
            if comparison.mismatch is None and summary is not None:
                comparison.mismatch = summary_mismatch(
                    summary_values, subject.own_summary(values.rows, summary), subject.results)
            others = () if comparison.mismatch else tuple(subject.other_sheets(recalculated))
            return EngineResult(engine.name, seconds, comparison, others,
                                tuple(warnings.splitlines()))
        except (EngineError, UnreadableSheet) as error:
            raise CannotCheck(str(error)) from None


MOST_COLUMNS_LISTED = 100
"""A report lists each column's largest difference, in order, for a sheet of up to this many
columns (XOR's 72, iris's in batches); past it, a digits network's thousands, it names the
MOST_COLUMNS_SHOWN columns with the largest."""
MOST_COLUMNS_SHOWN = 12


def _largest_columns(largest: dict[str, float]) -> str:
    """Each column's largest difference, in order; for a wide sheet, the largest few."""
    shown = largest if len(largest) <= MOST_COLUMNS_LISTED else dict(
        sorted(largest.items(), key=lambda item: -item[1])[:MOST_COLUMNS_SHOWN])
    listed = "  ".join(f"{letter} {difference:.1e}" for letter, difference in shown.items())
    rest = len(largest) - len(shown)
    return listed + (f" (the {MOST_COLUMNS_SHOWN} largest; the other {rest:,} columns' are "
                     "no larger)" if rest else "")


def _report(result: EngineResult, subject: Subject, out) -> None:
    """Say how an engine's recalculation went."""
    name, comparison = result.engine, result.training
    if comparison.mismatch:
        out.write(f"{name}: MISMATCH after {result.seconds:.1f} s: {comparison.mismatch}\n")
        return
    largest = _largest_columns(comparison.largest)
    rounding = ("" if subject.recheck is no_recheck else
                " (a gradient check's estimates: their own moved losses' arithmetic)")
    out.write(f"{name}: {comparison.compared_attempts:,} rows agree within "
              f"{TOLERANCE:g}{rounding} ({result.seconds:.1f} s); largest difference by "
              f"column: {largest}\n")
    for line in result.warnings:
        out.write(f"{name} warned: {line}\n")
    for sheet, other in result.sheets:
        if other.mismatch:
            out.write(f"{name}: {sheet}: MISMATCH: {other.mismatch}\n")
        else:
            out.write(f"{name}: {sheet}: {other.compared_attempts:,} {other.unit} agree "
                      f"within {TOLERANCE:g}\n")
