"""The description of a network's workbook, built from its run's shape: the Training sheet's
columns, the Data sheet's cells and column A's panel. The writer, the check, the Notes and the
docs all read it, as they read `columns.py` for the article's neuron.

Every value the reference computes has a column, in the reference's own order (see
`fields.fields`): the attempt and its loss, then each sample's forward and backward pass, then
every weight and bias with its gradient. Each group of columns is made by a builder of its
own (`network_columns`). Sums are written out term by term in the reference's order, never
with SUM or SUMPRODUCT, which LibreOffice adds with compensation.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from openpyxl.utils import get_column_letter

from sheetgen.maths import fields as row_fields
from sheetgen.maths.fields import Field, Kind
from sheetgen.maths.network import Run
from sheetgen.maths.training import train
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.sheets import classified, gradient_check, held_out, network_columns, panel
from sheetgen.sheets.columns import SHEET_NAME, Column, Group
from sheetgen.sheets.network_data import (
    InitialCell,
    initial_cells,
    layer_tables,
    layer_title,
    sample_cells,
)
from sheetgen.sheets.network_panel import SUMMARY_FIRST_ROW, network_panel

CHARTS_SHEET_NAME = "Charts"
TITLE = "Network training"
"""The network workbook's sheets' page headers start with it."""
FIRST_COLUMN = 3
"""Column C: column A holds the panel, B is a spacer, as in the article's sheet."""


@dataclass(frozen=True)
class NetworkRows:
    """The `RowSource` of a network's Training sheet: the reference's values, row by row."""

    run: Run

    @property
    def attempts(self) -> int:
        return self.run.attempts

    @cached_property
    def fields(self) -> tuple[Field, ...]:
        """The row's fields, found once: each of the sheet's row templates reads them."""
        return row_fields.fields(self.run)

    def values(self) -> Iterator[tuple]:
        return map(row_fields.RowOrder(self.run), train(self.run))


@dataclass(frozen=True)
class NetworkSheet:
    """Everything about a network's workbook that follows from its run's shape."""

    run: Run
    groups: tuple[Group, ...]
    spacers: tuple[str, ...]
    sample_cells: tuple[tuple[str, ...], ...]
    """sample_cells[s][c]: the Data sheet cell of sample s's c-th value (inputs, then targets)."""
    initial_cells: tuple[InitialCell, ...]
    layer_tables: tuple[tuple[int, str], ...]
    """(header row, title) of each layer's table of initial weights and biases."""
    panel: panel.Panel
    summary: tuple[panel.Result, ...]
    """The summary cells, in column A of the Charts sheet."""
    confusion: classified.Confusion | None = None
    """The confusion matrix below the charts, where the outputs pick one class."""

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(col for group in self.groups for col in group.columns)

    @property
    def computed(self) -> tuple[Column, ...]:
        return tuple(col for col in self.columns if col.later is not None)

    def letter(self, field: Field) -> str:
        return self.column(field).letter

    def column(self, field: Field) -> Column:
        """The (first) column of `field`."""
        return self._by_field[field]

    @cached_property
    def _by_field(self) -> dict[Field, Column]:
        by_field: dict[Field, Column] = {}
        for col in self.columns:
            by_field.setdefault(col.field, col)
        return by_field

    def rows(self) -> NetworkRows:
        return NetworkRows(self.run)

    def constants(self) -> dict[Field, float]:
        """Values the same in every row: a full batch's inputs and targets, and the test
        samples'."""
        run = self.run
        sets = (((False, run.trained_samples),) if run.full_batch else ()) + (
            (True, run.trained_tests),)
        return {field: value for held_out, samples in sets
                for s, sample in enumerate(samples, start=1)
                for field, value in zip(row_fields.sample_fields(run.network, s, held_out),
                                        sample.inputs + sample.targets)}


def group_title(run: Run, field: Field) -> str:
    """The title of the group of columns a field belongs to."""
    if field.kind in (Kind.ATTEMPT, Kind.EPOCH, Kind.BATCH, Kind.SIZE, Kind.RATE, Kind.LOSS,
                      Kind.EPOCH_LOSS, Kind.PENALTY, Kind.ACCURACY, Kind.STREAK,
                      Kind.TEST_LOSS, Kind.TEST_ACCURACY) or (
            field.kind is Kind.SAMPLE and not field.sample):
        return "Attempt"
    if field.kind is Kind.LARGEST_DIFFERENCE:
        return "Gradient check"
    if field.kind in (Kind.PARAMETER, Kind.GRADIENT, Kind.STATE, Kind.CHECK):
        return f"Layer {field.layer}: {layer_title(run, field.layer)}"
    if field.held_out:
        return f"Test sample {field.sample}"
    if run.mini_batch:
        return f"Place {field.sample} of the batch"
    return f"Sample {field.sample}" if field.sample else "The row's sample"


def grouped(run: Run) -> list[tuple[str, list[Field]]]:
    """The row's fields, in order, in their groups."""
    groups: list[tuple[str, list[Field]]] = []
    for field in row_fields.fields(run):
        title = group_title(run, field)
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(field)
    return groups


def lettered(groups: list[tuple[str, list[Field]]], first_column: int
             ) -> tuple[dict[Field, str], list[str]]:
    """Each field's column letter from `first_column` on, and the spacers between groups."""
    letters, spacers, index = {}, [], first_column
    for number, (_, members) in enumerate(groups):
        if number:
            spacers.append(get_column_letter(index))
            index += 1
        for field in members:
            letters[field] = get_column_letter(index)
            index += 1
    return letters, spacers


def describe(run: Run, first_column: int = FIRST_COLUMN,
             names: Mapping[str, str] | None = None) -> NetworkSheet:
    """Lay the run's values out in columns from `first_column`, then write each column's
    formulas. They call the learning rate and the optimizer's hyperparameters by their
    workbook names, or by what `names` gives for them (another sheet's own cells)."""
    groups = grouped(run)
    letters, spacers = lettered(groups, first_column)
    initial, samples = initial_cells(run), sample_cells(run)
    builder = network_columns.Builder(run, letters, samples, sample_cells(run, True),
                                      names or {})
    columns = builder.build(initial)
    summary = panel.summary_results(loss=letters[row_fields.LOSS],
                                    first_row=SUMMARY_FIRST_ROW, sheet=SHEET_NAME)
    if run.gradient_step is not None:
        summary += (gradient_check.largest_difference(
            f"{SHEET_NAME}!{letters[row_fields.LOSS]}",
            f"{SHEET_NAME}!{letters[row_fields.LARGEST_DIFFERENCE]}", summary[-1].row + 2),)
    if run.criterion.classifies:
        summary += classified.accuracy_results(run, letters, summary[-1].row + 2)
    summary += held_out.test_results(run, letters, panel.row_after(summary))
    return NetworkSheet(run, tuple(Group(title, tuple(columns[field] for field in members))
                                   for title, members in groups),
                        tuple(spacers), samples, initial, layer_tables(run),
                        network_panel(run), summary, classified.confusion(run, letters))


def run_line(run: Run, attempts: bool = True, optimizer: bool = True) -> str:
    """The run's shape and settings in one line, for the page header; without the optimizer
    and its learning rate for the Optimizers sheet, which has four."""
    net = run.network
    batch = "full batch" if run.full_batch else (
        f"batches of {run.batch_size}" if run.mini_batch else "one sample per attempt") + (
        ", shuffled" if run.orders else "")
    samples = f"{len(run.samples)} sample" + ("s" if len(run.samples) > 1 else "") + (
        f" (and {len(run.tests)} held out to test)" if run.tests else "")
    step = ("" if run.rule is GRADIENT_DESCENT else f"{run.rule.title} · ") \
        + f"learning rate {run.learning_rate:g}" + ("" if run.lr_decay is None else
                                                    f" ×{run.lr_decay:g} every "
                                                    f"{run.lr_decay_every:,g} attempts")
    penalties = "".join(f" · {penalty.name.upper()} λ {strength:g}"
                        for penalty, strength in run.penalties)
    features = f"features {','.join(net.features)} · " if net.features else ""
    return (f"layers {net.layers_text} · {net.activations_text} · "
            f"{features}{samples}, {batch} · "
            + (step if optimizer else "each optimizer at the rate in column A")
            + penalties + (f" · {run.attempts:,} attempts" if attempts else "")
            + ("" if run.gradient_step is None or not optimizer
               else f" · gradient check, H {run.gradient_step:g}"))
