"""Everything in the workbook except the attempt rows: sheets, headers, styles, names, charts.

openpyxl builds this skeleton; `workbook.py` then streams the rows into its worksheet parts.
Styles for the streamed cells are registered here too, so openpyxl writes them into the
workbook's style table.
"""

import math

from openpyxl.chart.series import XYSeries

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.pagebreak import Break

from sheetgen.maths.neuron import Parameters
from sheetgen.sheets import notes, panel, sweep
from sheetgen.sheets.exercise import Exercise
from sheetgen.sheets.columns import (
    CHART_ROWS,
    FIRST_ROW,
    GROUPS,
    SHEET_NAME,
    SPACERS,
    last_row,
    letter_of,
)
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.sheet_parts import (
    CENTRED,
    CHART_HEIGHT_CM,
    CHART_WIDTH_CM,
    GROUP_FILL,
    GROUP_FONT,
    HEADER_FONT,
    INPUT_LOOK,
)

TITLE = "Single neuron training"
"""Printed at the top left of every page."""

SMALLEST_LOG_AXIS = 1e-300
CHART_COLUMN = "S"
"""The charts stand two by two right of the table."""
CHART_GROWTH, CHART_TEXT_POINTS = 1.4, 14
CHART_SPAN, CHART_SPAN_ROWS = 11, 20
"""The columns and rows from one chart to the next: a chart's width in Excel's columns
(LibreOffice's are wider, in DejaVu Sans)."""
CHARTS_PRINTED = CHART_SPAN + 9
"""The columns the charts print in: the second chart's first and its width in LibreOffice's."""
LOSS_COLOUR, OUTPUT_COLOUR, TARGET_COLOUR = "C0504D", "1F77B4", "7F7F7F"
WEIGHT_COLOUR, BIAS_COLOUR = "2CA02C", "9467BD"
SWEEP_COLOURS = ("8C564B", "1F77B4", "2CA02C", "FF7F0E", "9467BD", "D62728")


def build_skeleton(parameters: Parameters, exercise: Exercise | None = None) -> parts.Skeleton:
    """The workbook but for its rows; an `exercise`'s blanks are laid out by the writer (see
    `exercise_layout`), its notes and the room for its marks here."""
    workbook = parts.new_workbook("A single tanh neuron learning by gradient descent")
    training = workbook.active
    skeleton = parts.Skeleton(workbook)
    _lay_out_training(skeleton, training, parameters, exercise)
    if exercise is None:   # an exercise's Sweep sheet would give its answers away
        _lay_out_sweep(skeleton, workbook.create_sheet(sweep.SWEEP_SHEET_NAME), parameters)
    notes_sheet = workbook.create_sheet(notes.NOTES_SHEET_NAME)
    notes.write_notes(notes_sheet, parameters, HEADER_FONT, exercise)
    parts.set_up_printing(notes_sheet, TITLE, parameters_line(parameters), title_rows=None,
                          scale=parts.fitting_scale(notes_sheet, list(notes.ARTICLE_COLUMNS)))
    parts.name_panel_inputs(workbook, panel.NEURON)
    return skeleton


# The Training sheet

def _lay_out_training(skeleton: parts.Skeleton, sheet, parameters: Parameters,
                      exercise: Exercise | None) -> None:
    skeleton.training_styles = parts.lay_out_training_sheet(
        skeleton, sheet, GROUPS, SPACERS, panel.NEURON, parameters.learning_rate, f"A{FIRST_ROW}",
        exercise=exercise)
    # A self-checking exercise's marks stand right of the table, and the charts right of them.
    marks = len(exercise.columns) + 1 if exercise is not None and exercise.self_check else 0
    charts = parts.column_after(CHART_COLUMN, marks)
    _add_training_charts(sheet, parameters, charts)
    table = [get_column_letter(k) for k in range(1, column_index_from_string(charts) - 1)]
    scale = parts.fitting_scale(sheet, table)
    rows = min(FIRST_ROW - 1 + parameters.attempts, parts.rows_fitting(scale, parts.HEADER_POINTS))
    # The table's first attempts on one page, at a size a class can read, and the charts,
    # which tell the rest of the run, on the next: one print range (Gnumeric takes no more)
    # broken before the charts.
    sheet.col_breaks.append(Break(id=column_index_from_string(table[-1])))
    for offset in range(CHARTS_PRINTED):   # widths given, which LibreOffice and Excel keep
        sheet.column_dimensions[parts.column_after(charts, offset)].width = parts.DEFAULT_WIDTH
    parts.set_up_printing(
        sheet, TITLE, parameters_line(parameters),
        f"A1:{parts.column_after(charts, CHARTS_PRINTED - 1)}"
        f"{max(rows, 1 + 2 * CHART_SPAN_ROWS)}", scale=scale, title_rows=None,
        note=f"Attempts 1 to {rows - FIRST_ROW + 1:,} of {parameters.attempts:,}; all of them "
             "on screen")


def _add_training_charts(sheet, parameters: Parameters, column: str = CHART_COLUMN) -> None:
    """The article's 'neat graph' of the loss, the same on a log scale, output and parameters.

    The loss soon drops below anything a linear axis can show (1e-30 is usual), so the
    log-scale chart keeps the whole descent visible; and it falls in the first few tens of
    a thousand attempts, so the other charts count the attempts on a log scale, where the
    fall takes half the chart rather than its first pixels.
    """
    end = last_row(parameters.attempts)
    attempts = parts.data_range(SHEET_NAME, letter_of("number"), end)

    def series(letter: str, colour: str) -> XYSeries:
        return parts.line_series(f"'{SHEET_NAME}'!${letter}$2", attempts,
                                 parts.data_range(SHEET_NAME, letter, end), colour)

    charts = [
        parts.scatter_chart("Loss falling", "Loss", parameters.attempts,
                            [series("Q", LOSS_COLOUR)], log_attempts=True),
        parts.scatter_chart("Loss, log scale", "Loss", parameters.attempts,
                            [series("Q", LOSS_COLOUR)],
                            log_range=log_axis_range(parameters.target)),
        parts.scatter_chart("Output and target", "Output", parameters.attempts,
                            [series("L", OUTPUT_COLOUR), series("N", TARGET_COLOUR)],
                            log_attempts=True),
        parts.scatter_chart("Weight and bias", "Value", parameters.attempts,
                            [series("G", WEIGHT_COLOUR), series("I", BIAS_COLOUR)],
                            log_attempts=True),
    ]
    for index, chart in enumerate(charts):
        # Printed at the table's scale, about 60%: larger, and their type too.
        chart.width, chart.height = CHART_GROWTH * CHART_WIDTH_CM, CHART_GROWTH * CHART_HEIGHT_CM
        parts.with_text_size(chart, CHART_TEXT_POINTS)
        sheet.add_chart(chart, f"{parts.column_after(column, index % 2 * CHART_SPAN)}"
                               f"{2 + index // 2 * CHART_SPAN_ROWS}")


def log_axis_range(target: float) -> tuple[float, float]:
    """Decades that hold every loss this target allows, whatever the learning rate.

    LibreOffice cannot scale a log axis by itself once values reach about 1e-33, so the
    range is fixed, from what the arithmetic allows rather than from one run, so that it
    still fits after the learning rate is changed. The smallest error that is not zero is
    one unit in the last place of the target; the largest is 1 + |target|, as tanh stays
    within (-1, 1).
    """
    smallest = max(math.ulp(target) ** 2 / 2, SMALLEST_LOG_AXIS)
    largest = (1 + abs(target)) ** 2 / 2
    return 10.0 ** math.floor(math.log10(smallest)), 10.0 ** math.ceil(math.log10(largest))


def parameters_line(parameters: Parameters) -> str:
    """The run's parameters in one line, as generated (a header cannot refer to cells)."""
    return (f"learning rate {parameters.learning_rate:g} · input {parameters.input:g} · "
            f"target ×{parameters.target_factor:g} · initial weight {parameters.weight:g}, "
            f"bias {parameters.bias:g} · {parameters.attempts:,} attempts")


# The Sweep sheet

def _lay_out_sweep(skeleton: parts.Skeleton, sheet, parameters: Parameters) -> None:
    skeleton.heads[sheet] = parts.write_column_headers(sheet, sweep.COLUMNS, sweep.SPACERS)
    sheet.freeze_panes = f"B{FIRST_ROW}"
    runs = sweep.sweep_runs(parameters)
    end = last_row(runs[0].attempts)
    attempts = parts.data_range(sweep.SWEEP_SHEET_NAME, sweep.ATTEMPT.letter, end)
    series = []
    for block, (run, colour) in enumerate(zip(runs, SWEEP_COLOURS)):
        letters = sweep.block_letters(block)
        title = sheet[f"{letters['weight']}1"]
        title.value = "Learning rate"
        parts.apply_style(title, GROUP_FONT, GROUP_FILL, alignment=CENTRED)
        sheet.merge_cells(f"{letters['weight']}1:{letters['output']}1")
        rate = sheet[f"{letters['loss']}1"]
        rate.value = run.learning_rate
        parts.apply_style(rate, **INPUT_LOOK)
        parts.validate(sheet, rate.coordinate, -panel.LIMIT, panel.LIMIT, "Learning rate")
        losses = parts.data_range(sweep.SWEEP_SHEET_NAME, letters["loss"], end)
        series.append(parts.line_series(
            f"'{sweep.SWEEP_SHEET_NAME}'!{sweep.rate_cell(block)}", attempts, losses, colour))
    skeleton.sweep_styles = {col.letter: parts.style_id(sheet, col.number_format)
                             for col in sweep.COLUMNS}
    chart = parts.scatter_chart("Loss at each learning rate, log scale", "Loss",
                                runs[0].attempts, series,
                                log_range=log_axis_range(parameters.target))
    chart.width, chart.height = 2 * CHART_WIDTH_CM, 2 * CHART_HEIGHT_CM
    chart.legend.position = "r"
    # The sheet's printout is its chart alone: six blocks of numbers do not fit a page.
    first = parts.column_after(sweep.COLUMNS[-1].letter, 2)
    sheet.add_chart(chart, f"{first}2")
    printed = [parts.column_after(first, k) for k in range(15)]
    parts.set_up_printing(sheet, TITLE, parameters_line(parameters),
                          f"{first}1:{printed[-1]}{2 + 2 * CHART_ROWS}",
                          scale=parts.fitting_scale(sheet, printed))
