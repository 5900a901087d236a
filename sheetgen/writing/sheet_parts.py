"""The pieces every sheet is built from: the house styles, column headers, notes, input
validation, charts and print setup. The Training, Sweep, Data and Notes sheets of every kind of
workbook are laid out with these, so that they look and print alike.
"""

import datetime
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import ScatterChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel, XYSeries
from openpyxl.chart.text import RichText
from openpyxl.chart.title import Title, title_maker
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from sheetgen.sheets.columns import FIRST_ROW, SHEET_NAME, Column, Group
from sheetgen.sheets.exercise import Exercise, formula_shown
from sheetgen.sheets.panel import BELOW_ONE, PANEL_COLUMN, TINY, Panel
from sheetgen.writing.column_heads import (
    HEADER_ROW,
    NOTE_MOST,
    NOTE_TITLE_MOST,
    ColumnHeads,
    Note,
)

FIXED_TIME = datetime.datetime(2024, 1, 1)
"""Document timestamps are fixed so that the same options always give the same bytes."""
PANEL_WIDTH = 21

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

CHART_WIDTH_CM = 13
CHART_HEIGHT_CM = 7
"""Rows of default height that one chart covers, so the next one starts below it."""

def style_id(sheet, number_format: str = "General", **style) -> int:
    """Register a cell format in the workbook's style table and return its index.

    Streamed cells never exist as openpyxl cells, so a detached cell carries the format.
    """
    template = Cell(sheet, row=1, column=1)
    template.number_format = number_format
    for attribute, value in style.items():
        setattr(template, attribute, value)
    return template.style_id


def apply_style(cell, font=None, fill=None, border=None, alignment=None) -> None:
    for attribute, value in (("font", font), ("fill", fill), ("border", border),
                             ("alignment", alignment)):
        if value is not None:
            setattr(cell, attribute, value)


def heading(sheet, row: int, text: str, span: int = 1, column: int = 1) -> None:
    """A title in `column` (A) of `row`, across `span` columns."""
    cell = sheet.cell(row, column, text)
    apply_style(cell, GROUP_FONT, GROUP_FILL, alignment=CENTRED)
    if span > 1:
        sheet.merge_cells(start_row=row, start_column=column, end_row=row,
                          end_column=column + span - 1)


def header_row(sheet, row: int, texts: list[str], column: int = 1) -> None:
    """A row of column headers from `column` (A)."""
    for index, text in enumerate(texts):
        cell = sheet.cell(row, column + index, text)
        apply_style(cell, HEADER_FONT, HEADER_FILL, HEADER_BORDER, CENTRED)


def write_column_headers(sheet, columns: tuple[Column, ...], spacers: tuple[str, ...],
                         notes: tuple[Note, ...] = ()) -> ColumnHeads:
    """The columns' widths, and their headers with their `notes`: the first header here, and
    all the rest as the sheet is streamed (see `column_heads`)."""
    first = sheet[f"{columns[0].letter}{HEADER_ROW}"]
    first.value = columns[0].header
    apply_style(first, HEADER_FONT, HEADER_FILL, HEADER_BORDER, CENTRED)
    for col in columns:
        sheet.column_dimensions[col.letter].width = col.width
    for letter in spacers:
        sheet.column_dimensions[letter].width = 2
    sheet.row_dimensions[HEADER_ROW].height = 30
    return ColumnHeads(first, columns, notes)


def formula_note(col: Column, exercise: Exercise | None = None) -> str:
    later = formula_shown(col, FIRST_ROW + 1, exercise)
    if later is None:
        return "A number in every row. See the Notes sheet."
    return f"Row 4: {later}. See the Notes sheet."


def explain(sheet, cell: str, title: str, text: str) -> None:
    """A note that shows when the cell is selected: a data validation's input message.

    Cell comments would need a VML drawing, which Gnumeric warns about on every load; an
    input message shows in Excel, LibreOffice and Gnumeric alike and allows any value.
    """
    note = DataValidation(showInputMessage=True, promptTitle=title[:NOTE_TITLE_MOST],
                          prompt=text[:NOTE_MOST], allow_blank=True)
    note.add(cell)
    sheet.add_data_validation(note)


def validate(sheet, cell: str, low: float, high: float, what: str, meaning: str = "",
             whole: bool = False) -> None:
    """Let a person type only numbers (`whole` ones, where asked) from `low` to `high` into
    `cell` (or a range of cells); a range that ends just below 1 is written as a formula,
    `< 1`, since a spreadsheet keeps 15 digits and would read the largest double below 1
    as 1."""
    allowed = f"A {'whole ' if whole else ''}number from {_bound(low)} to {_bound(high)}."
    rule = (dict(type="custom", formula1=f"AND({cell}>={low!r},{cell}<1)") if high == BELOW_ONE
            else dict(type="whole" if whole else "decimal", operator="between",
                      formula1=repr(low), formula2=repr(high)))
    validation = DataValidation(
        **rule, allow_blank=False, showErrorMessage=True, errorTitle=f"{what}: out of range",
        error=f"Type a{allowed[1:]}", showInputMessage=True,
        promptTitle=what, prompt=f"{meaning} {allowed}".strip())
    validation.add(cell)
    sheet.add_data_validation(validation)


def _bound(number: float) -> str:
    """A range's end in words: "just below 1" and "just above 0" for the ends of open ranges."""
    return {BELOW_ONE: "just below 1", TINY: "just above 0"}.get(number, f"{number:g}")


def scatter_chart(title: str, y_title: str, attempts: int, series: list[XYSeries],
                  log_range: tuple[float, float] | None = None,
                  log_attempts: bool = False) -> ScatterChart:
    """A chart of columns against the attempts: the loss `log_range` on a log scale, and,
    with `log_attempts`, the attempts too, where the learning happens in the first few
    tens of a thousand."""
    chart = ScatterChart()
    chart.scatterStyle = "lineMarker"   # the schema requires it; the series say no markers
    chart.title = title
    chart.style = 2
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    chart.x_axis.title = "Attempt, log scale" if log_attempts else "Attempt"
    chart.y_axis.title = y_title
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # openpyxl writes both axes at the left; Gnumeric draws them there, one over the other.
    chart.x_axis.axPos = "b"
    chart.x_axis.scaling.min = 1
    chart.x_axis.scaling.max = max(attempts, 2)   # an axis needs some length
    if log_attempts:
        chart.x_axis.scaling.logBase = 10
    chart.y_axis.number_format = TICK_FORMAT
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


def with_text_size(chart: ScatterChart, points: float) -> ScatterChart:
    """The chart with its tick labels, axis titles and legend at `points` and its title a
    third larger: a chart printed small, on a page scaled for a wide table, stays readable."""
    size = round(points * 100)
    for axis in (chart.x_axis, chart.y_axis):
        axis.txPr = _text(size)
        if axis.title is not None:
            axis.title = _sized_title(axis.title, size, bold=True)
    if chart.legend is not None:
        chart.legend.txPr = _text(size)
    chart.title = _sized_title(chart.title, round(size * 4 / 3), bold=True)
    return chart


def _text(size: int) -> RichText:
    properties = CharacterProperties(sz=size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=properties),
                                 endParaRPr=properties, r=[])])


def _sized_title(title, size: int, bold: bool) -> Title:
    """A title of the same words at `size` (hundredths of a point)."""
    words = "".join(run.t for paragraph in title.tx.rich.paragraphs for run in paragraph.r)
    sized = title_maker(words)
    for paragraph in sized.tx.rich.paragraphs:
        paragraph.pPr.defRPr = CharacterProperties(sz=size, b=bold)
        for run in paragraph.r:
            run.rPr = CharacterProperties(sz=size, b=bold)
    return sized


def line_series(label: str, xs: str, ys: str, colour: str, literal: bool = False) -> XYSeries:
    """A line without markers, named by a live reference to a cell (`label`), or by `label`
    itself where it is `literal`."""
    series = XYSeries(
        tx=SeriesLabel(v=label) if literal else SeriesLabel(strRef=StrRef(f=label)),
        xVal=AxDataSource(numRef=NumRef(f=xs)), yVal=NumDataSource(numRef=NumRef(f=ys)))
    series.marker = Marker(symbol="none")
    series.smooth = False
    series.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.width = 22000
    return series


def data_range(sheet_name: str, letter: str, end: int) -> str:
    """A chart data range, as text: openpyxl's Reference stops at row 1,000,000."""
    return f"'{sheet_name}'!${letter}${FIRST_ROW}:${letter}${end}"


def column_after(letter: str, offset: int) -> str:
    return get_column_letter(column_index_from_string(letter) + offset)


PAGE_POINTS = (770, 480)
"""What a landscape A4 page prints in, in points: its width less half an inch at each side,
its height less 0.8 in above and below."""
ROW_POINTS = 15
HEADER_POINTS = 50
"""A Training sheet's two header rows' height in print, the headers wrapped on two lines."""
DEFAULT_WIDTH = 8.43


CHARACTER_PIXELS = 9.4
"""A character of a column's width, in pixels, as LibreOffice prints the sheet in DejaVu
Sans (measured on its PDFs: 9.33; Calibri's 7, where Excel has it, makes the page a little
narrower)."""


TICK_FORMAT = "General;-General"
"""A chart axis's tick values: General in two sections, which LibreOffice shows as General.
Gnumeric ignores an axis format that is just "General" and shows the tick values in the
format of the chart's data instead: a loss in the column's nine decimals, and no x1 at all
under the Boundary map, whose points come from hidden helper columns that show nothing."""

def column_points(sheet, letter: str) -> float:
    """A column's printed width in points at 100%, from its width in characters."""
    return _characters(sheet, letter) * CHARACTER_PIXELS * 0.75


def excel_column_points(sheet, letter: str) -> float:
    """A column's width in points as Excel lays it out, in Calibri's 7-pixel characters."""
    return (_characters(sheet, letter) * 7 + 5) * 0.75


def _characters(sheet, letter: str) -> float:
    """A column's width in characters: its own, or the sheet's default."""
    dimension = sheet.column_dimensions.get(letter)
    return dimension.width if dimension is not None and dimension.width else DEFAULT_WIDTH


def column_past(sheet, first: str, points: float, measure=column_points) -> str:
    """The first column whose left edge is `points` or more right of `first`'s, its columns
    measured by `measure`."""
    column, used = column_index_from_string(first), 0.0
    while used < points:
        used += measure(sheet, get_column_letter(column))
        column += 1
    return get_column_letter(column)


def fitting_scale(sheet, letters: list[str]) -> int:
    """The largest scale, in per cent and at most 100, at which `letters` print one page
    wide."""
    return min(100, int(100 * PAGE_POINTS[0] / sum(column_points(sheet, letter)
                                                   for letter in letters)))


def columns_fitting(sheet, letters: list[str], points: float) -> list[str]:
    """The first of `letters` whose columns fit in `points` (at least one)."""
    fitting, used = [], 0.0
    for letter in letters:
        used += column_points(sheet, letter)
        if fitting and used > points:
            break
        fitting.append(letter)
    return fitting


def rows_fitting(scale: int, taken: float = 0) -> int:
    """How many rows of the usual height a page holds at `scale`, less `taken` points."""
    return int((PAGE_POINTS[1] * 100 / scale - taken) // ROW_POINTS)


def set_up_printing(sheet, title: str, parameters_text: str, area: str | None = None,
                    title_rows: str | None = "1:2", scale: int | None = None,
                    title_columns: str | None = None, note: str = "") -> None:
    """Landscape A4, the headers on every page, the run's parameters on top: at `scale`
    per cent where given (the print `area` chosen to be readable at it), else one page
    wide; `note`, in the footer, says what the page leaves to the screen."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if scale is None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    else:
        sheet.page_setup.scale = scale
        sheet.page_margins.left = sheet.page_margins.right = 0.5
    if title_rows:
        sheet.print_title_rows = title_rows
    if title_columns:
        sheet.print_title_cols = title_columns
    if area:
        sheet.print_area = area
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.top = sheet.page_margins.bottom = 0.8
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.left.text = f"{title} — &A"
    sheet.oddHeader.right.text = parameters_text.replace("&", "&&")
    sheet.oddFooter.left.text = "Made with sheetgen"
    if note:
        sheet.oddFooter.center.text = note.replace("&", "&&")
    sheet.oddFooter.right.text = "Page &P of &N"


@dataclass
class Skeleton:
    """The openpyxl workbook and the style index of every cell that will be streamed into it."""

    workbook: Workbook
    training_styles: dict[str, int] = field(default_factory=dict)
    sweep_styles: dict[str, int] = field(default_factory=dict)
    optimizers_styles: dict[str, int] = field(default_factory=dict)
    label_style: int = 0
    input_style: int = 0
    result_styles: dict[int, int] = field(default_factory=dict)
    """By the summary cell's row."""
    title_style: int = 0
    heads: dict[object, ColumnHeads] = field(default_factory=dict)
    """By worksheet, the headers and notes of each streamed sheet (see `column_heads`)."""


def lay_out_training_sheet(skeleton: Skeleton, sheet, groups: tuple[Group, ...],
                           spacers: tuple[str, ...], the_panel: Panel, learning_rate: float,
                           frozen: str, title: str = SHEET_NAME,
                           exercise: Exercise | None = None) -> dict[str, int]:
    """Title the sheet, head its columns, and register the styles of the cells streamed into it:
    column A's panel's in the skeleton, and the attempt rows', which it returns by column.
    The headers' notes give no formula of an `exercise`'s blanked columns."""
    sheet.title = title
    rate = the_panel.inputs[0]
    label = sheet[f"{PANEL_COLUMN}{rate.row - 1}"]
    label.value = rate.label
    apply_style(label, GROUP_FONT, GROUP_FILL, alignment=CENTRED)
    value = sheet[rate.cell]
    value.value = learning_rate
    apply_style(value, **INPUT_LOOK)
    sheet.column_dimensions[PANEL_COLUMN].width = PANEL_WIDTH

    columns = tuple(col for group in groups for col in group.columns)
    for group in groups:
        first, last = group.columns[0].letter, group.columns[-1].letter
        cell = sheet[f"{first}1"]
        cell.value = group.title
        apply_style(cell, GROUP_FONT, GROUP_FILL, alignment=CENTRED)
        if first != last:
            sheet.merge_cells(f"{first}1:{last}1")
    skeleton.heads[sheet] = write_column_headers(sheet, columns, spacers, tuple(
        Note(f"{col.letter}{HEADER_ROW}", col.header,
             f"{col.meaning} {formula_note(col, exercise)}") for col in columns))
    sheet.freeze_panes = frozen

    styles = {col.letter: style_id(sheet, col.number_format) for col in columns}
    skeleton.label_style = style_id(sheet, font=LABEL_FONT, alignment=LEFT)
    skeleton.input_style = style_id(sheet, **INPUT_LOOK)
    skeleton.result_styles = {
        result.row: style_id(sheet, result.number_format, font=RESULT_FONT, fill=RESULT_FILL,
                             border=BOXED, alignment=Alignment(horizontal="center"))
        for result in the_panel.summary}
    skeleton.title_style = style_id(sheet, font=GROUP_FONT, fill=GROUP_FILL, alignment=CENTRED)
    for entry in the_panel.inputs:
        validate(sheet, entry.cell, entry.low, entry.high, entry.label, entry.meaning)
    return styles


def new_workbook(title: str) -> Workbook:
    workbook = Workbook()
    workbook.properties.creator = "sheetgen"
    workbook.properties.title = title
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    # Excel recalculates on open; the stored results serve readers that cannot calculate.
    workbook.calculation.fullCalcOnLoad = True
    # openpyxl writes an empty <workbookProtection/>, which Gnumeric warns about.
    workbook.security = None
    return workbook


def name_panel_inputs(workbook: Workbook, the_panel: Panel) -> None:
    for entry in the_panel.inputs:
        workbook.defined_names[entry.name] = DefinedName(
            entry.name, attr_text=f"{SHEET_NAME}!${PANEL_COLUMN}${entry.row}")
