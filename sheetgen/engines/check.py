"""`sheetgen check FILE` (`sheetgen.check`): recalculate a workbook in real engines and compare it with the reference.

A value agrees when it is within 1e-12 of the reference, or within 1e-12 of it relatively where
the reference is larger than 1 (a bias of -5000 has no digits left at 1e-12).

Where the training is chaotic (learning rates of about 3.3 and more), a difference of one unit
in the last place, such as between two engines' TANH, grows until it dominates. The check finds
where the reference itself is that sensitive, by running it again with a tanh that is one ulp
off on every attempt (up, then down), and compares values only up to there. Formulas are
compared on every row, so a changed formula is caught wherever it is.
"""

import math
import tempfile
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sheetgen.engines.programs import ENGINES, Engine, EngineError
from sheetgen.engines.reading import (
    Cells,
    UnreadableSheet,
    is_network_workbook,
    read_network_workbook,
    read_optimizers_sheet,
    read_training_sheet,
)
from sheetgen.maths import fields as row_fields
from sheetgen.maths.fields import CHECKS, LARGEST_DIFFERENCE, LOSS, Field, Kind
from sheetgen.maths.gradient_check import difference_of, estimate_of
from sheetgen.maths.network import Overflow, Run
from sheetgen.maths.network import train as train_network
from sheetgen.maths.summary import Summarizing, Summary, summarize as summarize_network
from sheetgen.maths.neuron import Parameters, summarize, train
from sheetgen.sheets import panel
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, Column, last_row
from sheetgen.sheets.network_sheet import NetworkSheet, run_line
from sheetgen.sheets.optimizers_sheet import OPTIMIZERS_SHEET_NAME, OptimizersSheet

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


NEAR_EQUAL = 2**-48
"""LibreOffice's subtraction gives 0 for two numbers this close, relatively (README, "Engine
notes")."""
WRITTEN_PRECISION = 5e-15
"""How exactly a number read back from an engine's file is known, relatively: LibreOffice
writes 15 significant digits, and Gnumeric's numbers read back may differ from those it
computed with in their last digit."""


def agrees(found: float, expected: float, tolerance: float = TOLERANCE) -> bool:
    return abs(found - expected) <= tolerance * max(1.0, abs(expected))


Recheck = Callable[[dict[Hashable, object], Hashable], tuple[float, float] | None]
"""What a field must hold given the engine's own cells of the row before it (by field), where
that, not the reference's value, is what can be compared, and how far from it those cells'
written precision lets it be, beyond the tolerance; None for every other field."""


def no_recheck(found: dict[Hashable, object], field: Hashable) -> tuple[float, float] | None:
    return None


def own_arithmetic(run: Run) -> Recheck:
    """A gradient check's estimates, relative differences and the row's largest one as their
    formulas compute them from the engine's own cells of the row.

    An estimate divides the difference of two losses that agree in eight digits or so by 2H,
    so the last-place differences of two engines' TANH and EXP grow a million times in it:
    no engine's estimate can match another's to 1e-12 (Gnumeric's first-row estimate of the
    article's weight gradient is 9e-12 from the reference's). What can be proved is that each
    moved loss agrees with the reference within 1e-12, as every other cell does, and that the
    estimate and the difference are exactly those losses' arithmetic: to within what the
    losses' 15 written digits allow, where the file is LibreOffice's.
    """
    if run.gradient_step is None:
        return no_recheck
    h = run.gradient_step
    estimate_part, difference_part = CHECKS[2:]
    differences = [row_fields.parameter_field(parameter, Kind.CHECK, difference_part)
                   for parameter in run.network.parameters()]

    def recheck(found: dict[Field, object], field: Field) -> tuple[float, float] | None:
        if field == LARGEST_DIFFERENCE:
            return max(found[difference] for difference in differences), 0.0
        if field.kind is not Kind.CHECK or field.part not in (estimate_part, difference_part):
            return None
        up, down, estimate, _ = (field.of(Kind.CHECK, part) for part in CHECKS)
        if field.part == difference_part:
            return difference_of(found[estimate], found[field.of(Kind.GRADIENT)]), 0.0
        losses = abs(found[up]) + abs(found[down])
        if found[field] == 0 and abs(found[up] - found[down]) <= NEAR_EQUAL * losses:
            return 0.0, 0.0
        return estimate_of(found[up], found[down], h), WRITTEN_PRECISION * losses / (2 * h)
    return recheck


def own_summary(sheet: NetworkSheet, rows: list[dict[str, object]],
                summary: Summary) -> Summary:
    """The reference's summary, with the gradient check's largest difference as its formula
    takes it from the engine's own cells (which `own_arithmetic` proves)."""
    run = sheet.run
    if run.gradient_step is None:
        return summary
    summarizing = Summarizing(run.loss_threshold)
    loss, largest = sheet.letter(LOSS), sheet.letter(LARGEST_DIFFERENCE)
    for number, cells in enumerate(rows, start=1):
        summarizing.see(number, cells[loss], cells[largest])
    return summary._replace(largest_difference=summarizing.summary().largest_difference)


def one_ulp_off(direction: float) -> Callable[[float], float]:
    """An engine's rounding of a library function's result: one unit in the last place off.

    Saturated at ±1, every engine agrees: a step past 1 is no engine's rounding.
    """
    def nudge(exact: float) -> float:
        return exact if abs(exact) == 1 else math.nextafter(exact, direction)
    return nudge


def first_sensitive(runs: Callable[[Callable[[float], float] | None], Iterable[Sequence]]
                    ) -> int | None:
    """The first attempt whose values the reference, rounded one ulp off (up, then down)
    wherever an engine's library may round differently, visibly moves; None when the run
    absorbs such errors, and every attempt can be compared.

    `runs(nudge)` gives each attempt's values, with `nudge` applied to every such result.
    """
    probes = [runs(one_ulp_off(direction)) for direction in (math.inf, -math.inf)]
    for number, (exact, *others) in enumerate(zip(runs(None), *probes), start=1):
        for other in others:
            if not all(agrees(a, b, SENSITIVITY_PROBE) for a, b in zip(other, exact)):
                return number
    return None


def sensitive_from(parameters: Parameters) -> int | None:
    """`first_sensitive` for the article's neuron, whose one such function is TANH."""
    def runs(nudge):
        return train(parameters) if nudge is None else \
            train(parameters, lambda net: nudge(math.tanh(net)))
    return first_sensitive(runs)


def compare_values(rows: list[dict[str, object]], reference: Iterable, until: int | None = None,
                   columns: tuple[Column, ...] = COLUMNS,
                   value_of: Callable[[object, Hashable], float] = getattr,
                   recheck: Recheck = no_recheck) -> Comparison:
    """Compare each row's cells with the reference, up to (not including) attempt `until`.

    `value_of(attempt, field)` is what the reference holds for a column's field, unless
    `recheck` says what the field must hold given the row's cells before it.
    """
    comparison = Comparison(0, {col.letter: 0.0 for col in columns})
    for number, (cells, attempt) in enumerate(zip(rows, reference), start=1):
        if until is not None and number >= until:
            break
        row = FIRST_ROW + number - 1
        seen: dict[str, object] = {}
        for col in columns:
            found = seen[col.field] = cells[col.letter]
            if not _is_number(found):
                comparison.mismatch = Mismatch(f"{col.letter}{row}", found,
                                               value_of(attempt, col.field))
                return comparison
            expected, slack = recheck(seen, col.field) or (value_of(attempt, col.field), 0.0)
            difference = abs(found - expected)
            if not agrees(found, expected) and difference > slack:
                comparison.mismatch = Mismatch(f"{col.letter}{row}", found, expected)
            comparison.largest[col.letter] = max(comparison.largest[col.letter], difference)
            if comparison.mismatch:
                return comparison
        comparison.compared_attempts += 1
    return comparison


def network_reference(run: Run) -> Iterator[dict[Field, float]]:
    """Each attempt of a network's run as {field: value}, for `compare_values`."""
    fields = row_fields.fields(run)
    return (dict(zip(fields, row_fields.row_values(attempt))) for attempt in train_network(run))


def compare_network_values(rows: list[dict[str, object]], sheet: NetworkSheet,
                           until: int | None = None) -> Comparison:
    return compare_values(rows, network_reference(sheet.run), until, sheet.columns,
                          dict.__getitem__, own_arithmetic(sheet.run))


def formula_mismatch(formulas: Cells, columns: tuple[Column, ...] = COLUMNS,
                     results: tuple[panel.Result, ...] = panel.SUMMARY,
                     summary_formulas: dict[int, object] | None = None) -> Mismatch | None:
    """The first cell whose formula is not the one sheetgen writes there; the summary's
    formulas are column A's of `formulas`, or `summary_formulas` where they stand elsewhere."""
    for row, cells in enumerate(formulas.rows, start=FIRST_ROW):
        for col in columns:
            expected, found = col.formula(row), cells[col.letter]
            if expected is None:
                if isinstance(found, str):
                    return Mismatch(f"{col.letter}{row}", found, "a number")
            elif found != expected:
                return Mismatch(f"{col.letter}{row}", found, expected)
    end = last_row(len(formulas.rows))
    for result in results:
        found = (formulas.panel if summary_formulas is None else summary_formulas).get(result.row)
        expected = result.formula_for(end)
        if _formula_text(found) != expected:
            return Mismatch(result.cell, _formula_text(found), expected)
    return None


def summary_mismatch(panel_values: dict[int, object], summary: tuple,
                     results: tuple[panel.Result, ...] = panel.SUMMARY) -> Mismatch | None:
    """The first summary cell whose value differs from the reference's summary."""
    for result in results:
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
class Subject:
    """A workbook to check, whichever kind: what it says it trains, and how to compare it."""

    heading: str
    """What the file's inputs say, for the report's first line."""
    attempts: int
    columns: tuple[Column, ...]
    results: tuple[panel.Result, ...]
    formulas: Cells
    summary_formulas: dict[int, object]
    """The summary cells' formulas by row (column A of the Training or the Charts sheet)."""
    reference: Callable[[], Iterable]
    """Each attempt of the reference run, for `compare_values` with `value_of`."""
    value_of: Callable[[object, Hashable], float]
    sensitive: Callable[[], int | None]
    summary: Callable[[], tuple]
    read_values: Callable[[Path], tuple[Cells, dict[int, object]]]
    """The stored values of a (recalculated) file laid out like this one: the attempt rows'
    and the summary's."""
    recheck: Recheck = no_recheck
    own_summary: Callable[[list[dict[str, object]], tuple], tuple] = lambda rows, summary: summary
    """The summary to expect, given the engine's rows (see `own_summary`)."""
    other_sheets: Callable[[Path], Iterator[tuple[str, Comparison]]] = lambda path: iter(())
    """Each comparison with the reference of the other computed sheets of a (recalculated)
    file laid out like this one, such as the Optimizers sheet's blocks, by name."""


def neuron_subject(path: Path) -> Subject:
    sheet = read_training_sheet(path)
    parameters = sheet.parameters()
    return Subject(
        f"learning rate {parameters.learning_rate!r}, input {parameters.input!r}, target "
        f"factor {parameters.target_factor!r}, initial weight {parameters.weight!r}, initial "
        f"bias {parameters.bias!r}, loss threshold {parameters.loss_threshold!r}",
        parameters.attempts, COLUMNS, panel.SUMMARY, sheet.formulas, sheet.formulas.panel,
        lambda: train(parameters), getattr, lambda: sensitive_from(parameters),
        lambda: summarize(train(parameters), parameters.loss_threshold), _neuron_values)


def _neuron_values(path: Path) -> tuple[Cells, dict[int, object]]:
    values = read_training_sheet(path).values
    return values, values.panel


def _network_values(path: Path) -> tuple[Cells, dict[int, object]]:
    workbook = read_network_workbook(path)
    return workbook.values, workbook.summary_values


def network_subject(path: Path) -> Subject:
    workbook = read_network_workbook(path)
    run, sheet = workbook.run, workbook.sheet

    return Subject(
        f"{run_line(run, attempts=False)}, loss threshold {run.loss_threshold!r}",
        run.attempts, sheet.columns, sheet.summary, workbook.formulas, workbook.summary_formulas,
        lambda: network_reference(run), dict.__getitem__, lambda: network_sensitive(run),
        lambda: summarize_network(train_network(run), run.loss_threshold), _network_values,
        own_arithmetic(run), lambda rows, summary: own_summary(sheet, rows, summary),
        _optimizers_comparisons(workbook.optimizers))


def network_sensitive(run: Run) -> int | None:
    """`first_sensitive` for a network, whose rounded functions are TANH and EXP. The run's
    gradient check reads the training but never steers it, and is left out: its estimates
    move with every ulp by design (see `own_arithmetic`)."""
    unchecked = replace(run, gradient_step=None)
    return first_sensitive(lambda nudge: map(row_fields.row_values,
                                             train_network(unchecked, nudge)))


def _optimizers_comparisons(optimizers: OptimizersSheet | None
                            ) -> Callable[[Path], Iterator[tuple[str, Comparison]]]:
    """The comparison of each block of a file's Optimizers sheet, if it has one."""
    if optimizers is None:
        return lambda path: iter(())
    # Computed now, before any engine runs: a block whose run overflows cannot be checked.
    sensitive = [network_sensitive(block.sheet.run) for block in optimizers.blocks]

    def compare(path: Path) -> Iterator[tuple[str, Comparison]]:
        rows = read_optimizers_sheet(path, optimizers, True).rows
        for block, until in zip(optimizers.blocks, sensitive):
            name = f"{OPTIMIZERS_SHEET_NAME} sheet, {block.optimizer.title}"
            if len(rows) != optimizers.attempts:
                yield name, Comparison(0, mismatch=Mismatch(
                    name, f"{len(rows):,} rows", f"{optimizers.attempts:,}"))
                continue
            yield name, compare_network_values(rows, block.sheet, until)
    return compare


def run_check(path: Path, engine_name: str, out) -> int:
    """Check `path`; print the report to `out`; return the exit status (0, 1)."""
    if not path.is_file():
        raise CannotCheck("no such file")
    engines = _chosen_engines(engine_name)
    try:
        subject = (network_subject if is_network_workbook(path) else neuron_subject)(path)
        sensitive = subject.sensitive()
        # A chaotic run's last rows, and so its summary, are each engine's own.
        summary = subject.summary() if sensitive is None else None
    except UnreadableSheet as error:
        raise CannotCheck(str(error)) from None
    except Overflow as error:
        raise CannotCheck(f"its inputs make the reference overflow: {error}") from None
    out.write(f"{path}: {subject.heading}, {subject.attempts:,} attempts (rows {FIRST_ROW} to "
              f"{last_row(subject.attempts):,})\n")
    failed = False
    formula = formula_mismatch(subject.formulas, subject.columns, subject.results,
                               subject.summary_formulas)
    if formula:
        out.write(f"formulas: MISMATCH: {formula}\n")
        failed = True
    else:
        out.write(f"formulas: all {subject.attempts:,} rows and the summary as sheetgen "
                  "writes them\n")
    if sensitive is not None:
        sensitive = max(sensitive, 2)   # the first attempt follows from the inputs alone
        out.write(f"note: this run is chaotic from attempt {sensitive:,} (row "
                  f"{last_row(sensitive):,}): a TANH or EXP one ulp off moves it from there on, so "
                  f"engines may honestly differ; values are compared up to attempt "
                  f"{sensitive - 1:,}\n")
    for engine in engines:
        failed |= not _check_with(engine, path, subject, sensitive, summary, out)
    out.write("result: MISMATCH\n" if failed else "result: OK\n")
    return 1 if failed else 0


def _check_with(engine: Engine, path: Path, subject: Subject, until: int | None,
                summary: tuple | None, out) -> bool:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sheetgen-check-") as scratch:
        recalculated = Path(scratch) / "recalculated.xlsx"
        try:
            warnings = engine.recalculate(path, recalculated)
            values, summary_values = subject.read_values(recalculated)
            seconds = time.monotonic() - started
            return _report(engine, subject, until, summary, out, warnings, values,
                           summary_values, seconds, recalculated)
        except (EngineError, UnreadableSheet) as error:
            raise CannotCheck(str(error)) from None


def _report(engine: Engine, subject: Subject, until: int | None, summary: tuple | None, out,
            warnings: str, values: Cells, summary_values: dict[int, object], seconds: float,
            recalculated: Path) -> bool:
    """Compare an engine's recalculation with the reference and say how it went."""
    if len(values.rows) != subject.attempts:
        out.write(f"{engine.name}: MISMATCH after {seconds:.1f} s: it gave back "
                  f"{len(values.rows):,} rows of the {subject.attempts:,}\n")
        return False
    comparison = compare_values(values.rows, subject.reference(), until, subject.columns,
                                subject.value_of, subject.recheck)
    if comparison.mismatch is None and summary is not None:
        comparison.mismatch = summary_mismatch(
            summary_values, subject.own_summary(values.rows, summary), subject.results)
    largest = "  ".join(f"{letter} {difference:.1e}"
                        for letter, difference in comparison.largest.items())
    if comparison.mismatch:
        out.write(f"{engine.name}: MISMATCH after {seconds:.1f} s: {comparison.mismatch}\n")
        return False
    rounding = ("" if subject.recheck is no_recheck else
                " (a gradient check's estimates: their own moved losses' arithmetic)")
    out.write(f"{engine.name}: {comparison.compared_attempts:,} rows agree within "
              f"{TOLERANCE:g}{rounding} ({seconds:.1f} s); largest difference by column: "
              f"{largest}\n")
    for line in warnings.splitlines():
        out.write(f"{engine.name} warned: {line}\n")
    agreed = True
    for name, other in subject.other_sheets(recalculated):
        if other.mismatch:
            out.write(f"{engine.name}: {name}: MISMATCH: {other.mismatch}\n")
            agreed = False
        else:
            out.write(f"{engine.name}: {name}: {other.compared_attempts:,} rows agree within "
                      f"{TOLERANCE:g}\n")
    return agreed
