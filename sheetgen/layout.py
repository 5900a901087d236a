"""Everything in the workbook except the attempt rows: headers, styles, the name, the charts.

openpyxl builds this skeleton; `workbook.py` then streams the rows into its worksheet part.
"""

import datetime
import math

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import ScatterChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel, XYSeries
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName

from sheetgen.columns import (COLUMNS, FIRST_ROW, GROUPS, LEARNING_RATE_CELL, LEARNING_RATE_NAME,
                              SHEET_NAME, SPACERS, column, last_row)
from sheetgen.reference import Parameters

FIXED_TIME = datetime.datetime(2024, 1, 1)
"""Document timestamps are fixed so that the same options always give the same bytes."""

GROUP_FONT = Font(bold=True, color="FFFFFF")
GROUP_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="1F2937")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_BORDER = Border(bottom=Side(style="medium", color="1F4E79"))
INPUT_FONT = Font(bold=True, color="3F3F76")
INPUT_FILL = PatternFill("solid", fgColor="FFCC99")
INPUT_BORDER = Border(*(Side(style="thin", color="7F7F7F"),) * 4)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)

SMALLEST_LOG_AXIS = 1e-300
CHART_ANCHOR_COLUMN = "S"
CHART_WIDTH_CM = 18
CHART_HEIGHT_CM = 9
CHART_ROWS = 19
"""Rows of default height that one chart covers, so the next one starts below it."""


def build_skeleton(parameters: Parameters) -> Workbook:
    workbook = Workbook()
    workbook.properties.creator = "sheetgen"
    workbook.properties.title = "A single tanh neuron learning by gradient descent"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    # Excel recalculates on open; the stored results serve readers that cannot calculate.
    workbook.calculation.fullCalcOnLoad = True
    # openpyxl writes an empty <workbookProtection/>, which Gnumeric warns about.
    workbook.security = None

    sheet = workbook.active
    sheet.title = SHEET_NAME
    _write_learning_rate(sheet, parameters.learning_rate)
    workbook.defined_names[LEARNING_RATE_NAME] = DefinedName(
        LEARNING_RATE_NAME, attr_text=f"{SHEET_NAME}!$A$2")
    _write_headers(sheet)
    sheet.freeze_panes = f"A{FIRST_ROW}"
    _add_loss_charts(sheet, parameters)
    _set_up_printing(sheet)
    return workbook


def _set_up_printing(sheet) -> None:
    """Landscape, the table and its charts one page wide, the headers on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:2"
    sheet.print_options.gridLines = False
    sheet.oddFooter.center.text = "Page &P of &N"


def _write_learning_rate(sheet, learning_rate: float) -> None:
    label = sheet["A1"]
    label.value = "Learning rate"
    label.font, label.fill, label.alignment = GROUP_FONT, GROUP_FILL, CENTRED
    rate = sheet[LEARNING_RATE_CELL]
    rate.value = learning_rate
    rate.font, rate.fill, rate.border = INPUT_FONT, INPUT_FILL, INPUT_BORDER
    rate.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 14


def _write_headers(sheet) -> None:
    for group in GROUPS:
        first, last = group.columns[0].letter, group.columns[-1].letter
        cell = sheet[f"{first}1"]
        cell.value = group.title
        cell.font, cell.fill, cell.alignment = GROUP_FONT, GROUP_FILL, CENTRED
        if first != last:
            sheet.merge_cells(f"{first}1:{last}1")
    for col in COLUMNS:
        cell = sheet[f"{col.letter}2"]
        cell.value = col.header
        cell.font, cell.fill, cell.border, cell.alignment = (
            HEADER_FONT, HEADER_FILL, HEADER_BORDER, CENTRED)
        sheet.column_dimensions[col.letter].width = col.width
    for letter in SPACERS:
        sheet.column_dimensions[letter].width = 2
    sheet.row_dimensions[2].height = 30


def data_style_ids(sheet) -> dict[str, int]:
    """The cell-format index of each data column, registered in the workbook's style table.

    The attempt rows never exist as openpyxl cells (they are streamed), so a detached cell
    carries each column's number format into the table that openpyxl will write.
    """
    ids = {}
    for col in COLUMNS:
        template = Cell(sheet, row=FIRST_ROW, column=col.letter)
        template.number_format = col.number_format
        ids[col.letter] = template.style_id
    return ids


def _add_loss_charts(sheet, parameters: Parameters) -> None:
    """The article's 'neat graph' of the loss falling, and the same on a log scale.

    The loss soon drops below anything a linear axis can show (1e-30 is usual), so the
    second chart keeps the whole descent visible.
    """
    linear = _loss_chart(sheet, parameters.attempts, "Loss falling over the attempts")
    logarithmic = _loss_chart(sheet, parameters.attempts, "Loss over the attempts, log scale")
    logarithmic.y_axis.scaling.logBase = 10
    logarithmic.y_axis.scaling.min, logarithmic.y_axis.scaling.max = log_axis_range(
        parameters.target)
    logarithmic.y_axis.number_format = "0E+00"
    sheet.add_chart(linear, f"{CHART_ANCHOR_COLUMN}2")
    sheet.add_chart(logarithmic, f"{CHART_ANCHOR_COLUMN}{2 + CHART_ROWS}")


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


def _loss_chart(sheet, attempts: int, title: str) -> ScatterChart:
    end = last_row(attempts)
    chart = ScatterChart()
    chart.title = title
    chart.style = 2
    chart.legend = None
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    chart.x_axis.title = "Attempt"
    chart.y_axis.title = "Loss"
    chart.y_axis.number_format = "General"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.min = 1
    chart.x_axis.scaling.max = attempts
    series = XYSeries(
        tx=SeriesLabel(v="Loss"),
        xVal=AxDataSource(numRef=NumRef(f=_column_range(column("O").letter, end))),
        yVal=NumDataSource(numRef=NumRef(f=_column_range(column("Q").letter, end))))
    series.marker = Marker(symbol="none")
    series.smooth = False
    series.graphicalProperties.line.solidFill = "C0504D"
    series.graphicalProperties.line.width = 22000
    chart.series.append(series)
    return chart


def _column_range(letter: str, end: int) -> str:
    """A chart data range, as text: openpyxl's Reference stops at row 1,000,000."""
    return f"'{SHEET_NAME}'!${letter}${FIRST_ROW}:${letter}${end}"
