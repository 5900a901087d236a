"""What `sheetgen check` compares, whichever kind of workbook it is: the subject of a check,
the reference run its file describes and how each computed part of it compares, the attempt
rows, the summary and every other sheet that computes something."""

import math
import operator
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from itertools import islice
from pathlib import Path

from sheetgen.engines.comparison import (
    NEAR_EQUAL,
    WRITTEN_PRECISION,
    Comparison,
    Mismatch,
    Recheck,
    agrees,
    compare_values,
    first_sensitive,
    no_recheck,
)
from sheetgen.engines.network_reading import (
    read_network_workbook,
    read_optimizers_sheet,
)
from sheetgen.engines.reading import Cells, read_cells, read_training_sheet
from sheetgen.maths import fields as row_fields
from sheetgen.maths.fields import (
    CHECKS,
    DIFFERENCE,
    ESTIMATE,
    LARGEST_DIFFERENCE,
    LOSS,
    Field,
    Kind,
)
from sheetgen.maths.gradient_check import difference_of, estimate_of
from sheetgen.maths.network import Run
from sheetgen.maths.training import train as train_network
from sheetgen.maths.summary import Summarizing, Summary, summarize_run
from sheetgen.maths.neuron import Parameters, summarize, train
from sheetgen.sheets import panel
from sheetgen.sheets.boundary import (
    BOUNDARY_SHEET_NAME,
    Picture,
    describe_boundary,
    has_boundary,
)
from sheetgen.sheets.boundary_cells import boundary_values
from sheetgen.sheets.pictures import PICTURES_SHEET_NAME, describe_pictures
from sheetgen.sheets.pictures_cells import pictures_values
from sheetgen.sheets.columns import COLUMNS, Column
from sheetgen.sheets.data_gallery import describe_gallery
from sheetgen.sheets.network_data import DATA_SHEET_NAME, sample_labels
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, NetworkSheet, run_line
from sheetgen.sheets.optimizers_sheet import OPTIMIZERS_SHEET_NAME, OptimizersSheet


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
    differences = [row_fields.parameter_field(parameter, Kind.CHECK, DIFFERENCE)
                   for parameter in run.network.parameters()]

    def recheck(found: dict[Field, object], field: Field) -> tuple[float, float] | None:
        if field == LARGEST_DIFFERENCE:
            return max(found[difference] for difference in differences), 0.0
        if field.kind is not Kind.CHECK or field.part not in (ESTIMATE, DIFFERENCE):
            return None
        up, down, estimate, _ = (field.of(Kind.CHECK, part) for part in CHECKS)
        if field.part == DIFFERENCE:
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


def sensitive_from(parameters: Parameters) -> int | None:
    """`first_sensitive` for the article's neuron, whose one such function is TANH."""
    def runs(nudge):
        return train(parameters) if nudge is None else \
            train(parameters, lambda net: nudge(math.tanh(net)))
    return first_sensitive(runs)


def network_reference(run: Run) -> Iterator[dict[Field, float]]:
    """Each attempt of a network's run as {field: value}, for `compare_values`."""
    fields, values = row_fields.fields(run), row_fields.RowOrder(run)
    return (dict(zip(fields, values(attempt))) for attempt in train_network(run))


def compare_network_values(rows: list[dict[str, object]], sheet: NetworkSheet,
                           until: int | None = None) -> Comparison:
    return compare_values(rows, network_reference(sheet.run), until, sheet.columns,
                          dict.__getitem__, own_arithmetic(sheet.run))


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


def neuron_subject(path: Path, max_row: int | None = None) -> Subject:
    """The article's neuron's workbook at `path` (to row `max_row`, where given)."""
    sheet = read_training_sheet(path, max_row)
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
    workbook = read_network_workbook(path, formulas=False)
    return workbook.values, workbook.summary_values


def network_subject(path: Path, max_row: int | None = None) -> Subject:
    """A network's workbook at `path` (to row `max_row`, where given)."""
    workbook = read_network_workbook(path, max_row=max_row)
    run, sheet = workbook.run, workbook.sheet
    # Each a whole training or more, asked for by the values' and the matrix's comparisons.
    sensitive, summary = cache(lambda: network_sensitive(run)), cache(lambda: summarize_run(run))

    return Subject(
        f"{run_line(run, attempts=False)}, loss threshold {run.loss_threshold!r}",
        run.attempts, sheet.columns, sheet.summary, workbook.formulas, workbook.summary_formulas,
        lambda: network_reference(run), dict.__getitem__, sensitive, summary, _network_values,
        own_arithmetic(run), lambda rows, reference: own_summary(sheet, rows, reference),
        _others(_optimizers_comparisons(workbook.optimizers),
                _classes_comparison(sheet, sensitive, summary),
                _shown_comparison(sheet, workbook.picture, sensitive),
                _gallery_comparison(sheet)))


def _others(*comparisons: Callable[[Path], Iterator[tuple[str, Comparison]]]
            ) -> Callable[[Path], Iterator[tuple[str, Comparison]]]:
    """The comparisons of every other computed part of a file, one after the other."""
    return lambda path: (found for compare in comparisons for found in compare(path))


def _classes_comparison(sheet: NetworkSheet, sensitive: Callable[[], int | None],
                        summary: Callable[[], Summary]
                        ) -> Callable[[Path], Iterator[tuple[str, Comparison]]]:
    """The samples' labels on the Data sheet and the confusion matrix's counts against the
    reference's, where the file has them; no counts where the run is chaotic, whose last
    rows are each engine's own."""
    run, matrix = sheet.run, sheet.confusion
    labels = sample_labels(run)

    def compare(path: Path) -> Iterator[tuple[str, Comparison]]:
        confusion = None if matrix is None or sensitive() is not None else summary().confusion
        counts = {} if confusion is None else {cell: confusion.get(pair, 0)
                                               for pair, (cell, _) in matrix.counts.items()}
        for sheet_name, what, expected in ((DATA_SHEET_NAME, "labels", labels),
                                           (CHARTS_SHEET_NAME, "confusion matrix", counts)):
            if expected:   # names and whole counts: exactly
                yield _cells_compared(path, sheet_name, expected,
                                      f"{sheet_name} sheet, {what}", operator.eq)
    return compare


def _shown_comparison(sheet: NetworkSheet, picture: Picture | None,
                      sensitive: Callable[[], int | None]
                      ) -> Callable[[Path], Iterator[tuple[str, Comparison]]]:
    """Every formula of the sheet that draws the shown attempt (the Boundary sheet or the
    Pictures sheet) against the reference at that attempt, where the file has one; none
    where the run is chaotic by then (each engine's weights are its own)."""
    if picture is None:
        return lambda path: iter(())
    run = sheet.run
    onset = sensitive()
    if onset is not None and onset <= picture.shown:
        return lambda path: iter(())
    shown = next(islice(train_network(run), picture.shown - 1, None))
    if has_boundary(run):
        name, expected = BOUNDARY_SHEET_NAME, boundary_values(
            describe_boundary(run, picture), sheet, shown.weights, shown.biases)
    else:
        name, expected = PICTURES_SHEET_NAME, pictures_values(
            describe_pictures(run, picture.shown), sheet, shown.weights, shown.biases)

    def compare(path: Path) -> Iterator[tuple[str, Comparison]]:
        yield _cells_compared(path, name, expected, f"{name} sheet at attempt {picture.shown}")
    return compare


def _gallery_comparison(sheet: NetworkSheet
                         ) -> Callable[[Path], Iterator[tuple[str, Comparison]]]:
    """Every pixel and label of the Data sheet's pictures of the samples against the
    samples the file holds, where it draws them."""
    gallery = describe_gallery(sheet.run)
    if gallery is None:
        return lambda path: iter(())
    expected = gallery.values()

    def compare(path: Path) -> Iterator[tuple[str, Comparison]]:
        yield _cells_compared(path, DATA_SHEET_NAME, expected,
                              f"{DATA_SHEET_NAME} sheet, the samples' pictures")
    return compare


def _cells_compared(path: Path, sheet_name: str, expected: dict[str, float | str],
                    title: str, same: Callable[[object, float | str], bool] | None = None
                    ) -> tuple[str, Comparison]:
    """A sheet's cells as the file at `path` holds them against the `expected` values, the
    same by `same` (by default a text as it is, a number within the tolerance)."""
    same = same or cell_agrees
    found = read_cells(path, sheet_name, list(expected))
    mismatch = next((Mismatch(cell, found[cell], value) for cell, value in expected.items()
                     if not same(found[cell], value)), None)
    return title, Comparison(len(expected), mismatch=mismatch, unit="cells")


def cell_agrees(found: object, expected: float | str) -> bool:
    """A text as it is; a number within the tolerance."""
    if isinstance(expected, str) or isinstance(found, str | None):
        return found == expected
    return agrees(found, expected)


def network_sensitive(run: Run) -> int | None:
    """`first_sensitive` for a network, whose rounded functions are TANH and EXP. The run's
    gradient check reads the training but never steers it, and is left out: its estimates
    move with every ulp by design (see `own_arithmetic`)."""
    unchecked = replace(run, gradient_step=None)
    return first_sensitive(lambda nudge: map(row_fields.RowOrder(unchecked),
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
