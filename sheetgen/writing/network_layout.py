"""The skeleton of a network's workbook, as openpyxl lays it out before any attempt row is
streamed in: the Training sheet's headers and column A, the Charts sheet with its summary
cells and charts, the Data sheet of samples and initial weights and biases, the Notes, and
the Optimizers sheet where there is one."""

import math
from copy import copy
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart.scatter_chart import ScatterChart
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from sheetgen.maths import fields as row_fields
from sheetgen.maths.datasets import LIMIT
from sheetgen.maths.fields import (
    ACCURACY,
    ATTEMPT,
    DIFFERENCE,
    EPOCH_LOSS,
    LOSS,
    TEST_ACCURACY,
    TEST_LOSS,
    Field,
    Kind,
)
from sheetgen.maths.losses import SQUARED_ERROR
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.sheets import network_notes
from sheetgen.sheets.boundary import Boundary
from sheetgen.sheets.classified import CONFUSION_COLUMN, Confusion, wide_charts
from sheetgen.sheets.columns import CHART_ROWS, FIRST_ROW, SHEET_NAME, last_row
from sheetgen.sheets.network_data import (
    DATA_SHEET_NAME,
    SAMPLES_HEADER_ROW,
    SAMPLES_TITLE_ROW,
    CLASSES_CELL,
    SHAPE_CELLS,
    batch_text,
    class_cells,
    data_reference,
    STANDARDISED,
    feature_cells,
    feature_formulas,
    label_cells,
    label_formula,
    order_cells,
    samples_of,
    scaled_cells,
    scaled_formulas,
    scaled_title_row,
    statistics_cells,
    statistics_formulas,
    statistics_rows,
    test_title_row,
    typed_cells,
)
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, NetworkSheet, run_line
from sheetgen.sheets.optimizers_sheet import CHART_COLUMNS, OPTIMIZERS_SHEET_NAME, OptimizersSheet
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.boundary_band import BandStyles
from sheetgen.writing.boundary_layout import lay_out_boundary
from sheetgen.writing.sheet_parts import (
    BOXED,
    CENTRED,
    CHART_HEIGHT_CM,
    CHART_WIDTH_CM,
    GROUP_FILL,
    GROUP_FONT,
    HEADER_BORDER,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_LOOK,
    LABEL_FONT,
    RESULT_FILL,
    RESULT_FONT,
)

TITLE = "Network training"


LOSS_COLOUR = "C0504D"
EPOCH_LOSS_COLOUR = "1F3864"
"""Dark blue: the epochs' steps over the attempts' red."""
ACCURACY_COLOUR = "4F81BD"
TEST_COLOUR = "E69F00"
"""Orange: the test set's loss and accuracy beside the training's."""
COLOURS = ("1F77B4", "FF7F0E", "2CA02C", "9467BD", "8C564B", "D62728")
MOST_OUTPUT_SERIES = len(COLOURS)
"""Outputs drawn against their targets: more lines than this would be a tangle."""
PRINTED_ROWS = 60
NOTE_LINE_CHARACTERS, NOTE_LINE_HEIGHT = 22, 13
"""About how many characters of a note fit a line of column A, and a line's height (points)."""
OPTIMIZERS_PANEL_WIDTH = 30
"""Wide enough for labels such as 'Gradient descent: learning rate' on one line."""


PLACEHOLDER_RANGE = (1e-299, 1e299)
"""The log axis's range until the run has been computed (see `_log_axis`)."""


@dataclass(frozen=True)
class NetworkSkeleton:
    """The laid-out workbook, and the parts of it that the rows and the run's end fill in."""

    workbook: Workbook
    styles: parts.Skeleton
    training: Worksheet
    charts: Worksheet
    data: Worksheet
    log_chart: ScatterChart
    """The loss on a log scale, whose axis is set once the losses are known."""
    check_chart: ScatterChart | None
    """The gradient check's relative differences on a log scale, where there is a check."""
    optimizers: Worksheet | None
    optimizers_chart: ScatterChart | None
    boundary: Worksheet | None
    band_styles: BandStyles | None


def lay_out(sheet: NetworkSheet, optimizers: OptimizersSheet | None,
            boundary: Boundary | None) -> NetworkSkeleton:
    run = sheet.run
    workbook = parts.new_workbook("A small neural network learning by backpropagation")
    skeleton = parts.Skeleton(workbook)
    training = workbook.active
    attempt_group = sheet.groups[0]
    frozen = parts.column_after(attempt_group.columns[-1].letter, 2)
    skeleton.training_styles = parts.lay_out_training_sheet(
        skeleton, training, sheet.groups, sheet.spacers, sheet.panel, run.learning_rate,
        f"{frozen}{FIRST_ROW}")
    printed_group = sheet.groups[1]
    parts.set_up_printing(training, TITLE, run_line(run),
                          f"A1:{printed_group.columns[-1].letter}{PRINTED_ROWS}")
    charts = workbook.create_sheet(CHARTS_SHEET_NAME)
    log_chart, check_chart = _lay_out_charts(charts, sheet)
    drawn, band_styles = (None, None) if boundary is None else lay_out_boundary(
        workbook, boundary, sheet)
    data = workbook.create_sheet(DATA_SHEET_NAME)
    _lay_out_data(data, sheet)
    notes = workbook.create_sheet(network_notes.NOTES_SHEET_NAME)
    network_notes.write_notes(notes, sheet, HEADER_FONT)
    parts.set_up_printing(notes, TITLE, run_line(run), title_rows=None)
    parts.name_panel_inputs(workbook, sheet.panel)
    for initial in sheet.initial_cells:
        workbook.defined_names[initial.name] = DefinedName(
            initial.name, attr_text=data_reference(initial.cell))
    compared = compared_chart = None
    if optimizers is not None:
        compared = workbook.create_sheet(OPTIMIZERS_SHEET_NAME)
        skeleton.optimizers_styles, compared_chart = _lay_out_optimizers(skeleton, compared,
                                                                          optimizers)
    return NetworkSkeleton(workbook, skeleton, training, charts, data, log_chart, check_chart,
                           compared, compared_chart, drawn, band_styles)


def _lay_out_optimizers(skeleton: parts.Skeleton, sheet, optimizers: OptimizersSheet
                        ) -> tuple[dict[str, int], ScatterChart]:
    """Column A's inputs of every block, the blocks' headers, and the chart of their losses
    beside column A; its styles and the chart."""
    blocks = optimizers.blocks
    styles = parts.lay_out_training_sheet(
        skeleton, sheet, optimizers.groups, optimizers.spacers, optimizers.panel,
        blocks[0].sheet.run.learning_rate, f"B{FIRST_ROW}", OPTIMIZERS_SHEET_NAME)
    sheet.column_dimensions["A"].width = OPTIMIZERS_PANEL_WIDTH
    end = last_row(optimizers.attempts)
    attempts = parts.data_range(OPTIMIZERS_SHEET_NAME, blocks[0].sheet.letter(ATTEMPT), end)
    series = [parts.line_series(block.optimizer.title, attempts,
                                parts.data_range(OPTIMIZERS_SHEET_NAME,
                                                 block.sheet.letter(LOSS), end),
                                colour, literal=True)
              for block, colour in zip(blocks, COLOURS)]
    chart = parts.scatter_chart("Loss under each optimizer, log scale", "Loss",
                                optimizers.attempts, series,
                                log_range=PLACEHOLDER_RANGE)
    chart.width, chart.height = 2 * CHART_WIDTH_CM, 2 * CHART_HEIGHT_CM
    chart.legend.position = "r"
    sheet.add_chart(chart, "C3")
    # Its printout is the chart beside the inputs: four blocks of numbers do not fit a page.
    parts.set_up_printing(sheet, TITLE, run_line(blocks[0].sheet.run, optimizer=False),
                          f"A1:{parts.column_after('C', CHART_COLUMNS)}{3 + 2 * CHART_ROWS}")
    return styles, chart


def _lay_out_charts(charts, sheet: NetworkSheet) -> tuple[ScatterChart, ScatterChart | None]:
    """The summary in column A; the loss, linear and log, each sample's output against its
    target and the gradient check's differences beside it. The charts whose log axes the
    finished run sets: the loss's and the check's (None without a check)."""
    run = sheet.run
    _lay_out_summary(charts, sheet)
    end = last_row(run.attempts)
    attempts = parts.data_range(SHEET_NAME, sheet.letter(ATTEMPT), end)

    def line(field: Field, label: str, colour: str, dashed: bool = False):
        series = parts.line_series(label, attempts,
                                   parts.data_range(SHEET_NAME, sheet.letter(field), end),
                                   colour, literal=True)
        if dashed:
            series.graphicalProperties.line.dashStyle = "dash"
        return series

    last = run.network.last
    pairs = [(sample, k) for sample in row_fields.pass_numbers(run)
             for k in range(run.network.sizes[-1])][:MOST_OUTPUT_SERIES]
    outputs = []
    for (sample, k), colour in zip(pairs, COLOURS):
        me = run.network.neuron(last, k)
        name = f"s{sample} {me}" if sample else f"{me} of the row's sample"
        outputs += [line(Field(Kind.OUT, sample, last, k), name, colour),
                    line(Field(Kind.TARGET, sample, last, k), f"{name} target", colour,
                         dashed=True)]
    losses = [line(LOSS, "Loss", LOSS_COLOUR)]
    if run.mini_batch:   # each epoch's step, drawn over the attempts' noise and wider
        losses.append(line(EPOCH_LOSS, "Epoch's mean loss", EPOCH_LOSS_COLOUR))
        losses[-1].graphicalProperties.line.width = 2 * losses[0].graphicalProperties.line.width
    if run.tests:   # beside the training loss: where it turns up, the network over-fits
        losses.append(line(TEST_LOSS, "Test loss", TEST_COLOUR))
    log = parts.scatter_chart("Loss, log scale", "Loss", run.attempts, losses,
                              log_range=PLACEHOLDER_RANGE)
    check = None if run.gradient_step is None else parts.scatter_chart(
        "Gradient check: relative differences, log scale", "Relative difference",
        run.attempts, [line(row_fields.parameter_field(parameter, Kind.CHECK, DIFFERENCE),
                            row_fields.parameter_header(run.network, parameter), colour)
                       for parameter, colour in zip(run.network.parameters(), COLOURS)],
        log_range=PLACEHOLDER_RANGE)   # the first six parameters' differences at most
    beside = [] if not run.criterion.classifies else [parts.scatter_chart(
        "Accuracy: the share classified right", "Accuracy", run.attempts,
        [line(ACCURACY, "Accuracy", ACCURACY_COLOUR)]
        + ([line(TEST_ACCURACY, "Test accuracy", TEST_COLOUR)] if run.tests else []))]
    made = [parts.scatter_chart("Loss falling", "Loss", run.attempts, losses),
            *beside, log,
            parts.scatter_chart("Outputs (solid) and targets (dashed)", "Output", run.attempts,
                                outputs),
            *([] if check is None else [check])]
    assert len(made) == 2 + wide_charts(run)
    _place_charts(charts, run, made, sheet.confusion)
    if sheet.confusion is not None:
        _lay_out_confusion(charts, sheet.confusion)
    return log, check


def _lay_out_confusion(charts, confusion: Confusion) -> None:
    """The confusion matrix under the charts: a row per true class, a column per class
    picked, each count a placeholder until the rows are computed."""
    classes, column = confusion.classes, CONFUSION_COLUMN
    title = charts.cell(confusion.title_row, column, confusion.title)
    parts.apply_style(title, GROUP_FONT, GROUP_FILL)
    charts.merge_cells(start_row=confusion.title_row, start_column=column,
                       end_row=confusion.title_row, end_column=column + len(classes))
    for k, name in enumerate(["true ↓  picked →", *classes]):
        cell = charts.cell(confusion.header_row, column + k, name)
        parts.apply_style(cell, HEADER_FONT, HEADER_FILL, HEADER_BORDER, CENTRED)
    for i, name in enumerate(classes, start=1):
        label = charts.cell(confusion.header_row + i, column, name)
        parts.apply_style(label, HEADER_FONT, HEADER_FILL, HEADER_BORDER, CENTRED)
    for cell, _ in confusion.counts.values():
        charts[cell] = 0   # a placeholder, as the summary's
        parts.apply_style(charts[cell], RESULT_FONT, RESULT_FILL, BOXED, CENTRED)
    widest = max(map(len, classes))
    charts.column_dimensions[get_column_letter(column)].width = max(16, widest + 2)
    for k in range(1, len(classes) + 1):
        charts.column_dimensions[get_column_letter(column + k)].width = max(9, widest + 2)


def _lay_out_summary(charts, sheet: NetworkSheet) -> None:
    """Column A: each summary cell under its label, a placeholder until the rows are
    computed, and its note below it."""
    parts.heading(charts, 1, "Summary")
    charts.column_dimensions["A"].width = parts.PANEL_WIDTH
    for result in sheet.summary:
        charts.cell(result.row - 1, 1, result.label).font = LABEL_FONT
        value = charts[result.cell]
        value.value = 0   # a placeholder: the result is written once the rows are computed
        value.number_format = result.number_format
        parts.apply_style(value, RESULT_FONT, RESULT_FILL, BOXED, Alignment(horizontal="center"))
        if result.note:
            note = charts.cell(result.row + 1, 1, result.note)
            parts.apply_style(note, LABEL_FONT, alignment=Alignment(wrap_text=True,
                                                                     vertical="top"))
            charts.row_dimensions[result.row + 1].height = NOTE_LINE_HEIGHT * math.ceil(
                len(result.note) / NOTE_LINE_CHARACTERS)


def _place_charts(charts, run, made: list[ScatterChart], confusion: Confusion | None) -> None:
    """The loss charts (or the loss and the accuracy) side by side at the top, the wider
    ones below, one a band, and the confusion matrix below them, where there is one."""
    for chart in made[2:]:
        if chart.legend is not None:   # a chart of one series has none
            chart.legend.position = "r"
        chart.width = 2 * CHART_WIDTH_CM
    for index, chart in enumerate(made[:2]):
        charts.add_chart(chart, f"{parts.column_after('C', index * 9)}1")
    for index, chart in enumerate(made[2:], start=1):
        charts.add_chart(chart, f"C{index * (CHART_ROWS + 1) + 1}")
    bottom = (len(made) - 1) * CHART_ROWS + 2 + round(CHART_HEIGHT_CM)
    if confusion is not None:
        bottom = confusion.header_row + len(confusion.classes)
    parts.set_up_printing(charts, TITLE, run_line(run), f"A1:T{bottom}", title_rows=None)


def _input(sheet, cell: str, value: float, what: str, meaning: str) -> None:
    sheet[cell] = value
    parts.apply_style(sheet[cell], **INPUT_LOOK)
    parts.validate(sheet, cell, -LIMIT, LIMIT, what[:32], meaning)


SAMPLE_MEANINGS = {Kind.INPUT: "An input of the sample.", Kind.TARGET: "Its target."}
POINT_MEANING = "A coordinate of the sample's point; the network takes features of it."


SAMPLE_TABLES = {False: ("Samples (type new values here)", "Sample"),
                 True: ("Test samples, held out: never trained on (type new values here)",
                        "Test sample")}
"""The title and the first header of the training samples' table and the test samples'."""


def _lay_out_samples(data, sheet: NetworkSheet, width: int) -> None:
    """A table of the samples, a row each: its inputs, then its targets, orange and
    validated; the test samples' table below it, where some are held out."""
    run = sheet.run
    _lay_out_sample_table(data, run, SAMPLES_TITLE_ROW, False)
    if run.tests:
        _lay_out_sample_table(data, run, test_title_row(run), True)
    if run.standardize:
        inputs = [row_fields.header(run.network, field)
                  for field in row_fields.sample_fields(run.network, 0)]
        _lay_out_standardised(data, run, inputs[:run.network.sizes[0]], width)
    if run.orders:
        _lay_out_orders(data, run)


def _typed_columns(network) -> list[tuple[str, str]]:
    """The header and meaning of each value of a sample as typed: its inputs, or its point's
    coordinates where the network takes features of them, then its targets."""
    fields = row_fields.sample_fields(network, 0)
    typed = [(row_fields.header(network, field), SAMPLE_MEANINGS[field.kind])
             for field in fields]
    if not network.features:
        return typed
    return [(f"x{c + 1}", POINT_MEANING) for c in range(2)] + typed[network.sizes[0]:]


def _lay_out_sample_table(data, run, title_row: int, held_out: bool) -> None:
    """The training samples' table, or with `held_out` the test samples', from `title_row`:
    a column for each value of a sample as typed, its label, then its features."""
    title, first = SAMPLE_TABLES[held_out]
    columns = _typed_columns(run.network)
    # Across the table's own columns: the order table of shuffled samples stands to its right.
    parts.heading(data, title_row, title, 1 + len(columns) + bool(run.classes))
    parts.header_row(data, title_row + 1, [first, *(header for header, _ in columns)]
            + (["class"] if run.classes else []))
    labels = label_cells(run, held_out)
    for s, (cells, sample) in enumerate(zip(typed_cells(run, held_out),
                                            samples_of(run, held_out)), start=1):
        data.cell(title_row + 1 + s, 1, s).alignment = Alignment(horizontal="center")
        for cell, value, (header, meaning) in zip(cells, sample.inputs + sample.targets,
                                                  columns):
            _input(data, cell, value, f"{first} {s}, {header}", meaning)
        if labels:
            data[labels[s - 1]] = label_formula(run, s, held_out)
            data[labels[s - 1]].alignment = CENTRED
    if run.network.features:
        _lay_out_features(data, run, title_row, held_out)


def _lay_out_features(data, run, title_row: int, held_out: bool) -> None:
    """Right of the samples, each one's features: live formulas of its point."""
    cells, network = feature_cells(run, held_out), run.network
    column = coordinate_to_tuple(cells[0][0])[1]
    parts.heading(data, title_row, "Features: the network's inputs", len(network.features), column)
    parts.header_row(data, title_row + 1, [network.neuron(0, i) for i in range(network.sizes[0])],
            column)
    formulas = feature_formulas(run)
    for row in cells:
        for cell in row:
            data[cell] = formulas[cell]
            data[cell].alignment = CENTRED


def _lay_out_orders(data, run) -> None:
    """Right of the samples, the order each epoch visits them in, where they are shuffled: a
    column numbering the turns, then an epoch's order a column, orange and validated."""
    cells, n = order_cells(run), len(run.samples)
    turns = coordinate_to_tuple(cells[0][0])[1] - 1
    parts.heading(data, SAMPLES_TITLE_ROW, "Shuffled: each epoch's order (type another)",
             1 + len(cells), turns)
    parts.header_row(data, SAMPLES_HEADER_ROW, ["Turn", *(f"epoch {e}" for e in range(1, len(cells) + 1))],
            turns)
    for p in range(1, n + 1):
        data.cell(SAMPLES_HEADER_ROW + p, turns, p).alignment = CENTRED
    parts.apply_style(data[cells[0][0]], **INPUT_LOOK)
    # A hundred orders of iris are 15,000 cells: each takes the first one's look, copied as
    # openpyxl's documentation copies styles, in a hundredth of the time of setting it.
    look = data[cells[0][0]]._style
    for column, order in zip(cells, run.orders):
        for cell, sample in zip(column, order):
            data[cell] = sample
            data[cell]._style = copy(look)
    parts.validate(data, f"{cells[0][0]}:{cells[-1][-1]}", 1, n, "Order",
                   "The sample this turn of this epoch trains on; once the last epoch's "
                   "order is used, the first's comes again.", whole=True)


def _lay_out_standardised(data, run, inputs: list[str], width: int) -> None:
    """Each input's mean and standard deviation under the samples, then the inputs
    standardised, which the Training sheet reads: live formulas of the samples typed above."""
    for row, label in zip(statistics_rows(run), ("mean", "standard deviation")):
        data.cell(row, 1, label).font = LABEL_FONT
    for i, cells in enumerate(statistics_cells(run)):
        for cell, formula in zip(cells, statistics_formulas(run, i)):
            data[cell] = formula
            data[cell].alignment = CENTRED
    title = scaled_title_row(run)
    parts.heading(data, title, "Standardised inputs, (x − mean) / standard deviation: what the "
                          "network sees", 1 + width)
    parts.header_row(data, title + 1, ["Sample", *inputs])
    formulas = scaled_formulas(run)
    rows = [(s, cells) for s, cells in enumerate(scaled_cells(run), start=1)] + [
        (f"test {s}", cells) for s, cells in enumerate(scaled_cells(run, True), start=1)]
    for row, (label, cells) in enumerate(rows, start=title + 2):
        data.cell(row, 1, label).alignment = Alignment(horizontal="center")
        for cell in cells:
            data[cell] = formulas[cell]
            data[cell].alignment = CENTRED


def _lay_out_data(data, sheet: NetworkSheet) -> None:
    """The shape the formulas were built for, the samples, the initial weights and biases."""
    run = sheet.run
    net = run.network
    width = max(net.typed_inputs + net.sizes[-1] + bool(run.classes)
                + (len(net.features) + 1 if net.features else 0), 2 + len(run.classes),
                *(size + 1 for size in net.sizes[:-1]))
    parts.heading(data, 1, "The network (fixed: the formulas are built for it)", 1 + width)
    shape = {"layers": ("Layers", ",".join(map(str, net.sizes))),
             "activations": ("Activations", ",".join(net.activations)),
             "batch": ("Batch", batch_text(run))}
    if run.rule is not GRADIENT_DESCENT:   # plain gradient descent's workbook says nothing
        shape["optimizer"] = ("Optimizer", run.optimizer)
    if run.loss != SQUARED_ERROR.name:      # nor does the squared error's
        shape["loss"] = ("Loss", run.loss)
    if run.standardize:
        shape["inputs"] = ("Inputs", STANDARDISED)
    if run.orders:
        shape["orders"] = ("Orders", len(run.orders))
    if run.tests:
        shape["tests"] = ("Test samples", len(run.tests))
    if net.features:
        shape["features"] = ("Features", ",".join(net.features))
    for key, (label, value) in shape.items():
        cell = data[SHAPE_CELLS[key]]
        data.cell(cell.row, cell.column - 1, label).font = LABEL_FONT
        cell.value = value
        cell.alignment = Alignment(horizontal="left")
    if run.classes:
        data[CLASSES_CELL].font = LABEL_FONT
        data[CLASSES_CELL] = "Classes"
    for cell, name in zip(class_cells(run), run.classes):
        data[cell] = name

    _lay_out_samples(data, sheet, width)

    first_table = sheet.layer_tables[0][0]
    parts.heading(data, first_table - 1, "Initial weights and biases (named cells)", 1 + width)
    by_cell = {initial.cell: initial for initial in sheet.initial_cells}
    for layer, (row, title) in enumerate(sheet.layer_tables, start=1):
        before = [net.neuron(layer - 1, i) for i in range(net.sizes[layer - 1])]
        parts.header_row(data, row, [f"{title}: into ↓ from →"] + before + ["bias"])
        for j in range(net.sizes[layer]):
            data.cell(row + 1 + j, 1, net.neuron(layer, j)).alignment = \
                Alignment(horizontal="center")
            for column in range(len(before) + 1):
                cell = f"{parts.column_after('B', column)}{row + 1 + j}"
                initial = by_cell[cell]
                _input(data, cell, initial.value, initial.name,
                       f"The initial {initial.label} (named {initial.name}).")
    data.column_dimensions["A"].width = 34
    for index in range(width):
        data.column_dimensions[parts.column_after("B", index)].width = 12
    parts.set_up_printing(data, TITLE, run_line(run), title_rows=None)
