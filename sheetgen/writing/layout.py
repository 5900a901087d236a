"""Everything in the workbook except the attempt rows: sheets, headers, styles, names, charts.

openpyxl builds this skeleton; `workbook.py` then streams the rows into its worksheet parts.
Styles for the streamed cells are registered here too, so openpyxl writes them into the
workbook's style table.
"""

import datetime
import math
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import ScatterChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel, XYSeries
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from sheetgen.sheets import notes, panel, sweep
from sheetgen.sheets.columns import (
    COLUMNS,
    FIRST_ROW,
    GROUPS,
    SHEET_NAME,
    SPACERS,
    Column,
    last_row,
    letter_of,
)
from sheetgen.maths.neuron import Parameters

FIXED_TIME = datetime.datetime(2024, 1, 1)
"""Document timestamps are fixed so that the same options always give the same bytes."""

GROUP_FONT = Font(bold=True, color="FFFFFF")
GROUP_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="1F2937")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_BORDER = Border(bottom=Side(style="medium", color="1F4E79"))
BOXED = Border(*(Side(style="thin", color="7F7F7F"),) * 4)
INPUT_LOOK = {"font": Font(bold=True, color="3F3F76"),
              "fill": PatternFill("solid", fgColor="FFCC99"),
              "border": BOXED, "alignment": Alignment(horizontal="center")}
"""An input cell, orange as in Excel's own Input style: A2, column A's inputs, Sweep rates."""
LABEL_FONT = Font(italic=True, color="404040")
RESULT_FONT = Font(bold=True, color="1F4E79")
RESULT_FILL = PatternFill("solid", fgColor="E2EFDA")
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")

PANEL_WIDTH = 21
SMALLEST_LOG_AXIS = 1e-300
CHART_COLUMN = "S"
"""The charts stand one under another right of the table, so that they print with it."""
CHART_WIDTH_CM = 13
CHART_HEIGHT_CM = 7
CHART_ROWS = 14
"""Rows of default height that one chart covers, so the next one starts below it."""
PRINTED_ROWS = 76
"""The print area: the headers, the first attempts and the charts beside them, as many rows
as fill one landscape page. A whole run would be hundreds of pages of numbers; the charts
tell its story."""
PRINT_LAST_COLUMN = "Z"
LOSS_COLOUR, OUTPUT_COLOUR, TARGET_COLOUR = "C0504D", "1F77B4", "7F7F7F"
WEIGHT_COLOUR, BIAS_COLOUR = "2CA02C", "9467BD"
SWEEP_COLOURS = ("8C564B", "1F77B4", "2CA02C", "FF7F0E", "9467BD", "D62728")


@dataclass
class Skeleton:
    """The openpyxl workbook and the style index of every cell that will be streamed into it."""

    workbook: Workbook
    training_styles: dict[str, int] = field(default_factory=dict)
    sweep_styles: dict[str, int] = field(default_factory=dict)
    label_style: int = 0
    input_style: int = 0
    result_styles: dict[int, int] = field(default_factory=dict)
    """By the summary cell's row."""
    title_style: int = 0


def build_skeleton(parameters: Parameters) -> Skeleton:
    workbook = Workbook()
    workbook.properties.creator = "sheetgen"
    workbook.properties.title = "A single tanh neuron learning by gradient descent"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    # Excel recalculates on open; the stored results serve readers that cannot calculate.
    workbook.calculation.fullCalcOnLoad = True
    # openpyxl writes an empty <workbookProtection/>, which Gnumeric warns about.
    workbook.security = None

    training = workbook.active
    training.title = SHEET_NAME
    skeleton = Skeleton(workbook)
    _lay_out_training(skeleton, training, parameters)
    _lay_out_sweep(skeleton, workbook.create_sheet(sweep.SWEEP_SHEET_NAME), parameters)
    notes_sheet = workbook.create_sheet(notes.NOTES_SHEET_NAME)
    notes.write_notes(notes_sheet, parameters, HEADER_FONT)
    _set_up_printing(notes_sheet, parameters, title_rows=None)
    for entry in panel.INPUTS:
        workbook.defined_names[entry.name] = DefinedName(
            entry.name, attr_text=f"{SHEET_NAME}!${panel.PANEL_COLUMN}${entry.row}")
    return skeleton


def style_id(sheet, number_format: str = "General", **style) -> int:
    """Register a cell format in the workbook's style table and return its index.

    Streamed cells never exist as openpyxl cells, so a detached cell carries the format.
    """
    template = Cell(sheet, row=1, column=1)
    template.number_format = number_format
    for attribute, value in style.items():
        setattr(template, attribute, value)
    return template.style_id


def _style(cell, font=None, fill=None, border=None, alignment=None) -> None:
    for attribute, value in (("font", font), ("fill", fill), ("border", border),
                             ("alignment", alignment)):
        if value is not None:
            setattr(cell, attribute, value)


# The Training sheet

def _lay_out_training(skeleton: Skeleton, sheet, parameters: Parameters) -> None:
    rate = panel.INPUTS[0]
    label = sheet[f"{panel.PANEL_COLUMN}{rate.row - 1}"]
    label.value = rate.label
    _style(label, GROUP_FONT, GROUP_FILL, alignment=CENTRED)
    value = sheet[rate.cell]
    value.value = parameters.learning_rate
    _style(value, **INPUT_LOOK)
    sheet.column_dimensions[panel.PANEL_COLUMN].width = PANEL_WIDTH

    for group in GROUPS:
        first, last = group.columns[0].letter, group.columns[-1].letter
        cell = sheet[f"{first}1"]
        cell.value = group.title
        _style(cell, GROUP_FONT, GROUP_FILL, alignment=CENTRED)
        if first != last:
            sheet.merge_cells(f"{first}1:{last}1")
    _write_column_headers(sheet, COLUMNS, SPACERS)
    for col in COLUMNS:
        _explain(sheet, f"{col.letter}2", col.header, f"{col.meaning} {_formula_note(col)}")
    sheet.freeze_panes = f"A{FIRST_ROW}"

    skeleton.training_styles = {col.letter: style_id(sheet, col.number_format)
                                for col in COLUMNS}
    skeleton.label_style = style_id(sheet, font=LABEL_FONT, alignment=LEFT)
    skeleton.input_style = style_id(sheet, **INPUT_LOOK)
    skeleton.result_styles = {
        result.row: style_id(sheet, result.number_format, font=RESULT_FONT, fill=RESULT_FILL,
                             border=BOXED, alignment=Alignment(horizontal="center"))
        for result in panel.SUMMARY}
    skeleton.title_style = style_id(sheet, font=GROUP_FONT, fill=GROUP_FILL, alignment=CENTRED)
    for entry in panel.INPUTS:
        _validate(sheet, entry.cell, entry.low, entry.high, entry.label, entry.meaning)

    _add_training_charts(sheet, parameters)
    _set_up_printing(sheet, parameters, f"A1:{PRINT_LAST_COLUMN}{PRINTED_ROWS}")


def _write_column_headers(sheet, columns: tuple[Column, ...], spacers: tuple[str, ...]) -> None:
    for col in columns:
        cell = sheet[f"{col.letter}2"]
        cell.value = col.header
        _style(cell, HEADER_FONT, HEADER_FILL, HEADER_BORDER, CENTRED)
        sheet.column_dimensions[col.letter].width = col.width
    for letter in spacers:
        sheet.column_dimensions[letter].width = 2
    sheet.row_dimensions[2].height = 30


def _formula_note(col: Column) -> str:
    later = col.formula(FIRST_ROW + 1)
    if later is None:
        return "A number in every row. See the Notes sheet."
    return f"Row 4: {later}. See the Notes sheet."


def _explain(sheet, cell: str, title: str, text: str) -> None:
    """A note that shows when the cell is selected: a data validation's input message.

    Cell comments would need a VML drawing, which Gnumeric warns about on every load; an
    input message shows in Excel, LibreOffice and Gnumeric alike and allows any value.
    """
    note = DataValidation(showInputMessage=True, promptTitle=title[:32], prompt=text[:255],
                          allow_blank=True)
    note.add(cell)
    sheet.add_data_validation(note)


def _validate(sheet, cell: str, low: float, high: float, what: str, meaning: str = "") -> None:
    validation = DataValidation(
        type="decimal", operator="between", formula1=repr(low), formula2=repr(high),
        allow_blank=False, showErrorMessage=True, errorTitle=f"{what}: out of range",
        error=f"Type a number from {low:g} to {high:g}.", showInputMessage=True,
        promptTitle=what, prompt=f"{meaning} A number from {low:g} to {high:g}.".strip())
    validation.add(cell)
    sheet.add_data_validation(validation)


def _add_training_charts(sheet, parameters: Parameters) -> None:
    """The article's 'neat graph' of the loss, the same on a log scale, output and parameters.

    The loss soon drops below anything a linear axis can show (1e-30 is usual), so the
    log-scale chart keeps the whole descent visible.
    """
    end = last_row(parameters.attempts)
    attempts = _range(SHEET_NAME, letter_of("number"), end)

    def series(letter: str, colour: str) -> XYSeries:
        return _series(f"'{SHEET_NAME}'!${letter}$2", attempts,
                       _range(SHEET_NAME, letter, end), colour)

    charts = [
        _chart("Loss falling", "Loss", parameters.attempts,
               [series("Q", LOSS_COLOUR)]),
        _chart("Loss, log scale", "Loss", parameters.attempts,
               [series("Q", LOSS_COLOUR)], log_range=log_axis_range(parameters.target)),
        _chart("Output and target", "Output", parameters.attempts,
               [series("L", OUTPUT_COLOUR), series("N", TARGET_COLOUR)]),
        _chart("Weight and bias", "Value", parameters.attempts,
               [series("G", WEIGHT_COLOUR), series("I", BIAS_COLOUR)]),
    ]
    for index, chart in enumerate(charts):
        sheet.add_chart(chart, f"{CHART_COLUMN}{2 + index * CHART_ROWS}")


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


def _chart(title: str, y_title: str, attempts: int, series: list[XYSeries],
           log_range: tuple[float, float] | None = None) -> ScatterChart:
    chart = ScatterChart()
    chart.title = title
    chart.style = 2
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    chart.x_axis.title = "Attempt"
    chart.y_axis.title = y_title
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.min = 1
    chart.x_axis.scaling.max = max(attempts, 2)   # an axis needs some length
    chart.y_axis.number_format = "General"
    if log_range:
        chart.y_axis.scaling.logBase = 10
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = log_range
        chart.y_axis.number_format = "0E+00"
    if len(series) == 1:
        chart.legend = None
    else:
        chart.legend.position = "b"
    chart.series.extend(series)
    return chart


def _series(label: str, xs: str, ys: str, colour: str) -> XYSeries:
    """A line without markers, named by a live reference to a cell (`label`)."""
    series = XYSeries(
        tx=SeriesLabel(strRef=StrRef(f=label)),
        xVal=AxDataSource(numRef=NumRef(f=xs)), yVal=NumDataSource(numRef=NumRef(f=ys)))
    series.marker = Marker(symbol="none")
    series.smooth = False
    series.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.width = 22000
    return series


def _range(sheet_name: str, letter: str, end: int) -> str:
    """A chart data range, as text: openpyxl's Reference stops at row 1,000,000."""
    return f"'{sheet_name}'!${letter}${FIRST_ROW}:${letter}${end}"


def _set_up_printing(sheet, parameters: Parameters, area: str | None = None,
                     title_rows: str | None = "1:2") -> None:
    """Landscape A4, one page wide, the headers on every page, the run's parameters on top."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if title_rows:
        sheet.print_title_rows = title_rows
    if area:
        sheet.print_area = area
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.top = sheet.page_margins.bottom = 0.8
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.left.text = "Single neuron training — &A"
    sheet.oddHeader.right.text = parameters_line(parameters).replace("&", "&&")
    sheet.oddFooter.left.text = "Made with sheetgen"
    sheet.oddFooter.right.text = "Page &P of &N"


def parameters_line(parameters: Parameters) -> str:
    """The run's parameters in one line, as generated (a header cannot refer to cells)."""
    return (f"learning rate {parameters.learning_rate:g} · input {parameters.input:g} · "
            f"target ×{parameters.target_factor:g} · initial weight {parameters.weight:g}, "
            f"bias {parameters.bias:g} · {parameters.attempts:,} attempts")


# The Sweep sheet

def _lay_out_sweep(skeleton: Skeleton, sheet, parameters: Parameters) -> None:
    _write_column_headers(sheet, sweep.COLUMNS, sweep.SPACERS)
    sheet.freeze_panes = f"B{FIRST_ROW}"
    runs = sweep.sweep_runs(parameters)
    end = last_row(runs[0].attempts)
    attempts = _range(sweep.SWEEP_SHEET_NAME, sweep.ATTEMPT.letter, end)
    series = []
    for block, (run, colour) in enumerate(zip(runs, SWEEP_COLOURS)):
        letters = sweep.block_letters(block)
        title = sheet[f"{letters['weight']}1"]
        title.value = "Learning rate"
        _style(title, GROUP_FONT, GROUP_FILL, alignment=CENTRED)
        sheet.merge_cells(f"{letters['weight']}1:{letters['output']}1")
        rate = sheet[f"{letters['loss']}1"]
        rate.value = run.learning_rate
        _style(rate, **INPUT_LOOK)
        _validate(sheet, rate.coordinate, -panel.LIMIT, panel.LIMIT, "Learning rate")
        series.append(_series(f"'{sweep.SWEEP_SHEET_NAME}'!{sweep.rate_cell(block)}",
                              attempts, _range(sweep.SWEEP_SHEET_NAME, letters["loss"], end),
                              colour))
    skeleton.sweep_styles = {col.letter: style_id(sheet, col.number_format)
                             for col in sweep.COLUMNS}
    chart = _chart("Loss at each learning rate, log scale", "Loss", runs[0].attempts, series,
                   log_range=log_axis_range(parameters.target))
    chart.width, chart.height = 2 * CHART_WIDTH_CM, 2 * CHART_HEIGHT_CM
    chart.legend.position = "r"
    # The sheet's printout is its chart alone: six blocks of numbers do not fit a page.
    first = _column_after(sweep.COLUMNS[-1].letter, 2)
    sheet.add_chart(chart, f"{first}2")
    _set_up_printing(sheet, parameters, f"{first}1:{_column_after(first, 14)}{2 + 2 * CHART_ROWS}")


def _column_after(letter: str, offset: int) -> str:
    return get_column_letter(column_index_from_string(letter) + offset)
