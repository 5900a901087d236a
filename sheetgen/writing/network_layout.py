"""The skeleton of a network's workbook, as openpyxl lays it out before any attempt row is
streamed in: the Training sheet's headers and column A, the Charts sheet with its summary
cells and charts, the Data sheet of samples and initial weights and biases, the Notes, and
the Optimizers sheet where there is one."""

import math
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart.scatter_chart import ScatterChart
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from sheetgen.maths import fields as row_fields
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
from sheetgen.maths.network import Run
from sheetgen.sheets import network_notes
from sheetgen.sheets.boundary import Boundary
from sheetgen.sheets.pictures import Pictures
from sheetgen.sheets.classified import (
    CONFUSION_COLUMN,
    Confusion,
    charted_outputs,
    output_name,
    wide_charts,
)
from sheetgen.sheets.columns import CHART_ROWS, FIRST_ROW, SHEET_NAME, last_row
from sheetgen.sheets.exercise import Exercise
from sheetgen.sheets.network_data import DATA_SHEET_NAME, data_reference
from sheetgen.sheets.notes import NOTES_COLUMNS
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, TITLE, NetworkSheet, run_line
from sheetgen.sheets.optimizers_sheet import CHART_COLUMNS, OPTIMIZERS_SHEET_NAME, OptimizersSheet
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.boundary_band import BandStyles
from sheetgen.writing.boundary_layout import lay_out_boundary
from sheetgen.writing.data_layout import lay_out_data
from sheetgen.writing.pictures_layout import lay_out_pictures, samples_style
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
    LABEL_FONT,
    RESULT_FILL,
    RESULT_FONT,
)



LOSS_COLOUR = "C0504D"
EPOCH_LOSS_COLOUR = "1F3864"
BATCH_LOSS_COLOUR = "E8B4B3"
"""Dark blue: the epochs' steps over the attempts' red."""
ACCURACY_COLOUR = "4F81BD"
TEST_COLOUR = "E69F00"
"""Orange: the test set's loss and accuracy beside the training's."""
COLOURS = ("1F77B4", "FF7F0E", "2CA02C", "9467BD", "8C564B", "D62728")
"""Outputs drawn against their targets: more lines than this would be a tangle."""
CHART_POINTS = CHART_WIDTH_CM / 2.54 * 72
MOST_CHART_COLUMNS = 20
"""The Charts sheet's columns given their width: every one the charts may reach."""
PRINT_SCALE = 62
"""Per cent: the Training sheet's type prints at about 8.6 points a word's box, readable in
class (measured on LibreOffice's PDF)."""
PARAMETER_PAGES = 2
LEARNING_KINDS = (Kind.PARAMETER, Kind.GRADIENT, Kind.STATE)
"""What a row learns: each weight and bias, its gradient and the optimizer's state."""
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
    data_cells: Callable[[bytes], bytes] | None = None
    """What writes the Data sheet's pictures into its XML, where it draws them."""
    pictures: Worksheet | None = None
    samples_style: int | None = None
    """The Pictures sheet's samples' rows' style, where there is one."""


@dataclass(frozen=True)
class TrainingSkeleton:
    """The workbook with its Training sheet laid out, all that its rows need."""

    workbook: Workbook
    styles: parts.Skeleton
    training: Worksheet


def lay_out_training(sheet: NetworkSheet, exercise: Exercise | None = None
                     ) -> TrainingSkeleton:
    """The workbook's first sheet, the Training sheet, but for its rows: laid out first, so
    that its rows can be computed while the rest is (see `lay_out`)."""
    workbook = parts.new_workbook("A small neural network learning by backpropagation")
    skeleton = parts.Skeleton(workbook)
    training = workbook.active
    attempt_group = sheet.groups[0]
    frozen = parts.column_after(attempt_group.columns[-1].letter, 2)
    skeleton.training_styles = parts.lay_out_training_sheet(
        skeleton, training, sheet.groups, sheet.spacers, sheet.panel, sheet.run.learning_rate,
        f"{frozen}{FIRST_ROW}", exercise=exercise)
    _set_up_training_printing(training, sheet)
    return TrainingSkeleton(workbook, skeleton, training)


def lay_out(started: TrainingSkeleton, sheet: NetworkSheet,
            optimizers: OptimizersSheet | None, boundary: Boundary | None,
            exercise: Exercise | None = None, pictures: Pictures | None = None
            ) -> NetworkSkeleton:
    """The workbook but for its rows, after its Training sheet: an `exercise`'s notes here,
    its blanks by the writer (see `exercise_layout`). A run has a Boundary sheet or a
    Pictures sheet at most."""
    run = sheet.run
    workbook, skeleton, training = started.workbook, started.styles, started.training
    charts = workbook.create_sheet(CHARTS_SHEET_NAME)
    log_chart, check_chart = _lay_out_charts(charts, sheet)
    drawn, band_styles = (None, None) if boundary is None else lay_out_boundary(
        workbook, boundary, sheet)
    drawn_pictures = None if pictures is None else lay_out_pictures(workbook, pictures, sheet)
    data = workbook.create_sheet(DATA_SHEET_NAME)
    data_cells = lay_out_data(data, sheet)
    notes = workbook.create_sheet(network_notes.NOTES_SHEET_NAME)
    network_notes.write_notes(notes, sheet, HEADER_FONT, exercise)
    parts.set_up_printing(notes, TITLE, run_line(run), title_rows=None,
                          scale=parts.fitting_scale(notes, list(NOTES_COLUMNS)))
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
                           compared, compared_chart, drawn, band_styles, data_cells,
                           drawn_pictures,
                           None if pictures is None else samples_style(drawn_pictures))


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


def _set_up_training_printing(training, sheet: NetworkSheet) -> None:
    """The attempt and the loss beside every weight and bias with its gradient (and the
    optimizer's state), their first rows, at a size a class reads: on `PARAMETER_PAGES`
    pages where that holds them all, else on one, the footer saying where the rest are. The
    samples' passes stay on screen."""
    run = sheet.run
    # Column A's inputs and the attempt's columns repeat on every page.
    titles = [get_column_letter(k) for k in range(
        1, column_index_from_string(sheet.groups[0].columns[-1].letter) + 1)]
    learning = [col.letter for col in sheet.columns if col.field.kind in LEARNING_KINDS]
    span = [get_column_letter(k) for k in range(column_index_from_string(learning[0]),
                                                column_index_from_string(learning[-1]) + 1)]
    # Each page holds the repeated columns and what fits beside them, less a little that
    # LibreOffice's page breaks round away.
    page = 0.97 * parts.PAGE_POINTS[0] * 100 / PRINT_SCALE - sum(
        parts.column_points(training, letter) for letter in titles)
    shown = parts.columns_fitting(training, span, PARAMETER_PAGES * page)
    if shown != span:   # more than the pages hold: the first page's, the rest on screen
        shown = parts.columns_fitting(training, span, page)
    rows = min(FIRST_ROW - 1 + run.attempts, parts.rows_fitting(PRINT_SCALE, parts.HEADER_POINTS))
    rest = [letter for letter in learning if letter not in shown]
    note = f"Attempts 1 to {rows - FIRST_ROW + 1:,} of {run.attempts:,}" + (
        f"; {len(rest):,} more columns of weights from {rest[0]}" if rest else "") + \
        "; each sample's passes on screen"
    # The rows print on one page, so no title rows repeat (Gnumeric takes one range of
    # titles, the attempt's columns on each page of weights).
    parts.set_up_printing(training, TITLE, run_line(run), f"{shown[0]}1:{shown[-1]}{rows}",
                          scale=PRINT_SCALE, title_rows=None,
                          title_columns=f"{titles[0]}:{titles[-1]}", note=note)


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
    outputs = []
    for (sample, k), colour in zip(charted_outputs(run), COLOURS):
        name = output_name(run, sample, k)
        outputs += [line(Field(Kind.OUT, sample, last, k), name, colour),
                    line(Field(Kind.TARGET, sample, last, k), f"{name}: target", colour,
                         dashed=True)]
    losses = [line(LOSS, "Loss", LOSS_COLOUR)]
    if run.mini_batch:   # each epoch's mean, over the batches' noise, drawn thin and light
        losses[0] = line(LOSS, "Each batch's loss", BATCH_LOSS_COLOUR)
        losses[0].graphicalProperties.line.width //= 2
        losses.append(line(EPOCH_LOSS, "Epoch's mean loss", EPOCH_LOSS_COLOUR))
        losses[-1].graphicalProperties.line.width *= 2
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
    beside = [] if not run.criterion.classifies else [_accuracy_chart(run, [
        line(ACCURACY, "Accuracy", ACCURACY_COLOUR)]
        + ([line(TEST_ACCURACY, "Test accuracy", TEST_COLOUR)] if run.tests else []))]
    made = [parts.scatter_chart("Loss falling", "Loss", run.attempts, losses),
            *beside, log,
            *([parts.scatter_chart("Outputs (solid) and targets (dashed)", "Output",
                                   run.attempts, outputs)] if outputs else []),
            *([] if check is None else [check])]
    assert len(made) == 2 + wide_charts(run)
    _place_charts(charts, run, made, sheet.confusion)
    return log, check


def _accuracy_chart(run: Run, series: list) -> ScatterChart:
    """The accuracy from 0 to 100%, whatever it reaches."""
    chart = parts.scatter_chart("Accuracy: the share classified right", "Accuracy",
                                run.attempts, series)
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.y_axis.number_format = "0%"
    return chart


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
    charts.cell(confusion.note_row, column, confusion.note).font = LABEL_FONT
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


def _place_charts(charts, run: Run, made: list[ScatterChart],
                  confusion: Confusion | None) -> None:
    """The loss charts (or the loss and the accuracy) side by side at the top, the wider
    ones below, one a band, and the confusion matrix below them, where there is one; then
    the page: to the second chart's right edge, at the largest scale that fits it one page
    wide. The second chart stands where the first ends in Excel's narrower columns, the
    print area where it ends in LibreOffice's wider ones, the matrix's widened columns
    counted."""
    for letter in map(get_column_letter, range(2, MOST_CHART_COLUMNS + 1)):
        charts.column_dimensions[letter].width = parts.DEFAULT_WIDTH   # kept by both
    if confusion is not None:
        _lay_out_confusion(charts, confusion)
    for chart in made[2:]:
        if chart.legend is not None:   # a chart of one series has none
            chart.legend.position = "r"
        chart.width = 2 * CHART_WIDTH_CM
    second = parts.column_past(charts, "C", CHART_POINTS, parts.excel_column_points)
    for letter, chart in zip(("C", second), made[:2]):
        charts.add_chart(chart, f"{letter}1")
    for index, chart in enumerate(made[2:], start=1):
        charts.add_chart(chart, f"C{index * (CHART_ROWS + 1) + 1}")
    last = parts.column_past(charts, second, CHART_POINTS, parts.column_points)
    printed = [get_column_letter(k) for k in range(1, column_index_from_string(last) + 1)]
    bottom, note = (len(made) - 1) * CHART_ROWS + 2 + round(CHART_HEIGHT_CM), ""
    if confusion is not None and confusion.printed:
        bottom = confusion.note_row
    elif confusion is not None:
        bottom = confusion.title_row - 1
        note = (f"Not printed: the confusion matrix, from cell C{confusion.title_row}; the "
                "Pictures sheet prints its own")
    parts.set_up_printing(charts, TITLE, run_line(run), f"A1:{last}{bottom}",
                          title_rows=None, scale=parts.fitting_scale(charts, printed), note=note)
