"""Write a network's workbook: its skeleton laid out (`network_layout`), the Training sheet
and the Optimizers sheet streamed from the reference, and what only the finished run knows,
its summary and the log axes' ranges, written into the Charts sheet and its charts."""

import math
import re
from contextlib import nullcontext
from functools import cache
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import BinaryIO

from sheetgen.maths import fields as row_fields
from sheetgen.maths.fields import (
    ACCURACY,
    ATTEMPT,
    DIFFERENCE,
    LARGEST_DIFFERENCE,
    LOSS,
    SIZE,
    TEST_ACCURACY,
    TEST_LOSS,
    Kind,
    parameter_field,
)
from sheetgen.maths.network import Run, featured_samples
from sheetgen.maths.training import unflat
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.maths.summary import Summarizing, Summary, uneven_samples
from sheetgen.sheets.boundary import Boundary, Picture, describe_boundary, has_boundary
from sheetgen.sheets.boundary_cells import map_cells, point_cells
from sheetgen.sheets.classified import has_pictures
from sheetgen.sheets.pictures import Pictures, describe_pictures
from sheetgen.sheets.pictures_cells import band_cells, forward_passes
from sheetgen.sheets.columns import last_row
from sheetgen.sheets.exercise import Exercise
from sheetgen.sheets.fit import fitting_sheet
from sheetgen.sheets.network_data import (
    feature_cells,
    sample_labels,
    samples_of,
    scaled_cells,
    statistics_cells,
    typed_cells,
)
from sheetgen.sheets.network_panel import POINTER_ROW
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, NetworkSheet
from sheetgen.sheets.optimizers_sheet import OptimizersSheet, describe_optimizers
from sheetgen.sheets.shown import parameter_cells, parameter_letters
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.boundary_band import band_part
from sheetgen.writing.column_heads import ColumnHeads
from sheetgen.writing.exercise_layout import exercised
from sheetgen.writing.network_layout import (
    PLACEHOLDER_RANGE,
    NetworkSkeleton,
    TrainingSkeleton,
    lay_out,
    lay_out_training,
)
from sheetgen.writing.parallel import formatted_chunks
from sheetgen.writing.pictures_layout import samples_part
from sheetgen.writing.rows import SheetRows, cell_xml
from sheetgen.writing.workbook import ProgressCallback, StreamedSheet, panel_cells, write_package


def write_network_workbook(run: Run, target: BinaryIO, progress: ProgressCallback | None = None,
                           compared: Mapping[tuple[str, str], float] | None = None,
                           picture: Picture | None = Picture(),
                           exercise: Exercise | None = None,
                           fitted: NetworkSheet | None = None) -> Summary:
    """Write the whole workbook to a seekable binary file; return how the run ended.

    The summary and the log axes' ranges are noted as the rows are computed, and written into
    the Charts sheet and the charts, which the package holds after the worksheets: every run
    is computed once, not once more ahead of the rows. `compared` sets the learning rates and
    hyperparameters of the Optimizers sheet's blocks (see `describe_optimizers`); `picture`
    what the Boundary sheet draws, where the samples are points of the plane (None for no
    Boundary sheet: the benchmark's measure of what it costs). An `exercise` leaves its
    blanks empty, and no formula a stored result (see `exercise_layout`).
    Refuses, before anything is written, a run whose workbook would not fit a sheet or what
    Excel takes (see `fit`), unless the caller has found it fits already: `fitted` is then
    its description, not made a second time.
    """
    sheet = fitted or fitting_sheet(run)
    boundary = describe_boundary(run, picture) if picture and has_boundary(run) else None
    pictures = describe_pictures(run, picture.shown) if picture and has_pictures(run) else None
    drawn = boundary or pictures
    noted = Noted(run, None if drawn is None else drawn.shown)
    # An exercise has no Optimizers sheet: its block of the run's own optimizer would train
    # the same network, answers and all.
    optimizers = None if run.rule is GRADIENT_DESCENT or exercise is not None else \
        describe_optimizers(run, compared)
    started = lay_out_training(sheet, exercise)
    training = _training_rows(started, sheet, noted, progress)
    # The rows start to be computed while the rest is laid out and saved (a head start, see
    # `parallel.AHEAD`); an exercise's rows wait for its layout, which changes them.
    with nullcontext() if exercise is not None else formatted_chunks(training.rows) as chunks:
        laid_out = lay_out(started, sheet, optimizers, boundary, exercise, pictures)
        if exercise is not None:
            training = replace(training, rows=exercised(training.rows, laid_out.workbook,
                                                         laid_out.training, exercise))
        _write_parts(laid_out, target, sheet, training, chunks, noted, optimizers,
                     (boundary, pictures), exercise)
    return noted.summary()


def _write_parts(laid_out: NetworkSkeleton, target: BinaryIO, sheet: NetworkSheet,
                 training: StreamedSheet, chunks: Iterator[bytes] | None, noted: "Noted",
                 optimizers: OptimizersSheet | None,
                 drawn: tuple[Boundary | None, Pictures | None],
                 exercise: Exercise | None) -> None:
    """Save the laid-out workbook with its streamed sheets, whatever only the rows tell, and
    every number in full; the Training sheet's row `chunks`, where already started."""
    run = sheet.run
    streamed = {laid_out.training: training}
    exact = {laid_out.training: {sheet.panel.inputs[0].cell: run.learning_rate},
             laid_out.data: _data_values(sheet)}
    end = last_row(run.attempts)
    late = {laid_out.charts: lambda xml: _summary_cells(xml, sheet, noted.summary(), end),
            laid_out.log_chart: lambda xml: _log_axis(xml, noted.losses.decades())}
    _add_shown_parts(exact, late, laid_out, sheet, *drawn, noted)
    if laid_out.data_cells is not None:
        late[laid_out.data] = laid_out.data_cells
    if laid_out.check_chart is not None:
        late[laid_out.check_chart] = lambda xml: _log_axis(xml, noted.differences.decades())
    if optimizers is not None:
        losses = LogRange(tuple(index for index, (_, field) in enumerate(
            optimizers.rows().fields) if field == LOSS))
        streamed[laid_out.optimizers] = _optimizers_rows(
            laid_out.styles, optimizers, losses, laid_out.styles.heads[laid_out.optimizers])
        exact[laid_out.optimizers] = {optimizers.panel.inputs[0].cell:
                                      optimizers.blocks[0].sheet.run.learning_rate}
        late[laid_out.optimizers_chart] = lambda xml: _log_axis(xml, losses.decades())
    write_package(laid_out.workbook, target, streamed, exact, late,
                  results=exercise is None or exercise.answers, guard=training.rows.guard,
                  first_chunks=chunks)


def _add_shown_parts(exact: dict, late: dict, laid_out: NetworkSkeleton, sheet: NetworkSheet,
                     boundary: Boundary | None, pictures: Pictures | None,
                     noted: "Noted") -> None:
    """The values and the late-written cells of the sheet that draws the shown attempt, the
    Boundary sheet or the Pictures sheet, once the rows have noted that attempt's weights."""
    if boundary is None and pictures is None:
        return
    letters = parameter_letters(sheet)
    if boundary is not None:
        exact[laid_out.boundary] = lambda: {computed.cell: computed.value for computed in
                                            parameter_cells(boundary, letters, *noted.shown)}
        late[laid_out.boundary] = lambda xml: band_part(
            xml, boundary, map_cells(boundary, *noted.shown),
            point_cells(boundary, *noted.shown), laid_out.band_styles)
    if pictures is not None:
        passes = cache(lambda: forward_passes(pictures, *noted.shown))
        exact[laid_out.pictures] = lambda: {
            computed.cell: computed.value for computed in (
                *parameter_cells(pictures, letters, *noted.shown),
                *band_cells(pictures, passes()))}
        late[laid_out.pictures] = lambda xml: samples_part(xml, pictures, passes(),
                                                          laid_out.samples_style)


def _data_values(sheet: NetworkSheet) -> dict[str, object]:
    """The Data sheet's numbers in full, and its formulas' results: the samples as typed,
    the initial weights and biases, the labels, the inputs' statistics and standardised
    values."""
    run = sheet.run
    values = {initial.cell: initial.value for initial in sheet.initial_cells}
    if run.standardize:
        for cells, statistics in zip(statistics_cells(run), zip(*run.input_scaling)):
            values.update(zip(cells, statistics))
    for held_out, trained in ((False, run.trained_samples), (True, run.trained_tests)):
        typed = samples_of(run, held_out)
        values.update({cell: value for cells, sample in zip(typed_cells(run, held_out), typed)
                       for cell, value in zip(cells, sample.inputs + sample.targets)})
        values.update({cell: value for cells, sample in
                       zip(feature_cells(run, held_out),
                           featured_samples(run.network, typed))
                       for cell, value in zip(cells, sample.inputs)})
        values.update(sample_labels(run, held_out))
        if run.standardize:
            values.update({cell: value for cells, sample in zip(scaled_cells(run, held_out),
                                                                trained)
                           for cell, value in zip(cells, sample.inputs)})
    return values


def _training_rows(laid_out: TrainingSkeleton, sheet: NetworkSheet, noted: "Noted",
                   progress: ProgressCallback | None) -> StreamedSheet:
    """The Training sheet's rows, with column A's inputs (the first is in the skeleton) and
    the pointer to the summary."""
    run, styles = sheet.run, laid_out.styles
    end = last_row(run.attempts)
    leading = panel_cells(styles, sheet.panel, {"loss_threshold": run.loss_threshold,
                                                "gradient_step": run.gradient_step,
                                                "l2": run.l2, "l1": run.l1,
                                                "lr_decay": run.lr_decay,
                                                "lr_decay_every": run.lr_decay_every,
                                                **run.rule.settings(run.settings)}, (), end)
    leading[POINTER_ROW] = cell_xml(f"A{POINTER_ROW}", styles.label_style,
                                    f"Summary and charts: {CHARTS_SHEET_NAME} sheet")
    rows = SheetRows(sheet.columns, styles.training_styles, sheet.rows(), sheet.constants(),
                     leading, shared_formulas=True, watcher=noted)
    return StreamedSheet(rows, f"{sheet.columns[-1].letter}{max(end, sheet.panel.last_row)}",
                         styles.heads[laid_out.training], progress)


def _optimizers_rows(skeleton: parts.Skeleton, optimizers: OptimizersSheet,
                     losses: "LogRange", heads: ColumnHeads) -> StreamedSheet:
    """The Optimizers sheet's rows, with column A's inputs (the first is in the skeleton)."""
    inputs = {entry.field: value for block in optimizers.blocks
              for entry, value in zip(block.inputs, (block.sheet.run.learning_rate,
                                                     *block.sheet.run.settings.values()))}
    end = last_row(optimizers.attempts)
    rows = SheetRows(optimizers.columns, skeleton.optimizers_styles, optimizers.rows(),
                     optimizers.constants(), panel_cells(skeleton, optimizers.panel, inputs, (),
                                                         end), shared_formulas=True,
                     watcher=losses)
    return StreamedSheet(rows, f"{optimizers.columns[-1].letter}"
                               f"{max(end, optimizers.panel.last_row)}", heads)


class Noted:
    """What the Charts sheet shows of a run, noted as its rows are computed: how it ends, the
    gradient check's largest difference, and the ranges of its losses and of the check's
    differences. A `Watcher` of the Training sheet's rows."""

    def __init__(self, run: Run, shown: int | None = None):
        fields = row_fields.fields(run)
        at = {field: index for index, field in enumerate(fields)}
        self.shape, self.shown_number, self.shown = run.weights, shown, None
        self.parameters_at = [at[parameter_field(p)] for p in run.network.parameters()]
        self.summarizing = Summarizing(run.loss_threshold, run.epoch, uneven_samples(run),
                                       bool(run.orders))
        self.number_at, self.loss_at = at[ATTEMPT], at[LOSS]
        self.accuracy_at, self.size_at = at.get(ACCURACY), at.get(SIZE)
        self.verdicts_at = [(at[field], at[field.of(Kind.PREDICTED)]) for field in fields
                            if field.kind is Kind.CLASS and not field.held_out]
        self.largest_at = at.get(LARGEST_DIFFERENCE)
        self.test_loss_at, self.test_accuracy_at = at.get(TEST_LOSS), at.get(TEST_ACCURACY)
        self.losses = LogRange((self.loss_at,) + (() if self.test_loss_at is None
                                                  else (self.test_loss_at,)))
        self.differences = LogRange(tuple(
            index for index, field in enumerate(fields)
            if field.kind is Kind.CHECK and field.part == DIFFERENCE))

    def see(self, values: tuple) -> None:
        def at(index: int | None) -> object:
            """The value at `index`, or None where the row has no such field."""
            return None if index is None else values[index]

        size = len(self.verdicts_at) if self.size_at is None else values[self.size_at]
        self.summarizing.see(values[self.number_at], values[self.loss_at], at(self.largest_at),
                             at(self.accuracy_at),
                             tuple((values[true], values[picked])
                                   for true, picked in self.verdicts_at[:size]), size,
                             at(self.test_loss_at), at(self.test_accuracy_at))
        self.differences.see(values)
        self.losses.see(values)
        if values[self.number_at] == self.shown_number:
            self.shown = unflat([values[index] for index in self.parameters_at], self.shape)

    def summary(self) -> Summary:
        return self.summarizing.summary()


class LogRange:
    """The smallest positive and the largest of the values (losses, relative differences) in
    the fields at `at` of a sheet's rows, noted as they are computed, for a log axis. A
    `Watcher`."""

    def __init__(self, at: tuple[int, ...]):
        self.at = at
        self.smallest, self.largest = math.inf, 0.0

    def see(self, values: tuple) -> None:
        for index in self.at:
            loss = values[index]
            if 0 < loss < self.smallest:
                self.smallest = loss
            if loss > self.largest:
                self.largest = loss

    def decades(self) -> tuple[float, float]:
        """Whole decades around the losses (no engine scales a log axis well by itself below
        about 1e-33)."""
        largest = max(self.largest, 1e-300)
        smallest = min(self.smallest, largest / 10)
        return (10.0 ** max(math.floor(math.log10(smallest)), -300),
                10.0 ** min(math.ceil(math.log10(largest)) + 1, 300))


def _summary_cells(xml: bytes, sheet: NetworkSheet, summary: Summary,
                   end: int) -> bytes:
    """Each summary cell of the Charts sheet, and each count of its confusion matrix, with
    its formula and the reference's result."""
    cells = [(result.cell, result.shown(summary), result.formula_for(end), result.array)
             for result in sheet.summary]
    if sheet.confusion is not None:
        cells += [(cell, summary.confusion.get(pair, 0), formula, False)
                  for pair, (cell, formula) in sheet.confusion.counts.items()]
    for address, value, formula, array in cells:
        pattern = f'<c r="{address}" s="([0-9]+)"[^>]*>.*?</c>'.encode()
        match = re.search(pattern, xml)
        assert match, f"the Charts sheet has no {address}"
        cell = cell_xml(address, int(match.group(1)), value, formula, array)
        xml = xml[:match.start()] + cell.encode() + xml[match.end():]
    return xml


def _log_axis(xml: bytes, decades: tuple[float, float]) -> bytes:
    for placeholder, value in zip(PLACEHOLDER_RANGE, decades):
        old, new = f'val="{placeholder!r}"'.encode(), f'val="{value!r}"'.encode()
        assert xml.count(old) == 1, f"the log-scale chart has no placeholder {placeholder!r}"
        xml = xml.replace(old, new)
    return xml
