"""What the two sheets that draw the shown attempt (the Boundary sheet and the Pictures
sheet, see `sheets.shown`) lay out alike: the SHOW_ATTEMPT input and its name, text in the
sheet's printed size, and colour scales as conditional formats."""

from copy import copy

from openpyxl.formatting.formatting import ConditionalFormatting
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName

from sheetgen.maths.network import Run
from sheetgen.maths.shape import zero_parameters
from sheetgen.sheets.network_data import layer_title
from sheetgen.sheets.network_sheet import NetworkSheet
from sheetgen.sheets.shown import (
    SHOW_CELL,
    SHOW_NAME,
    Drawn,
    parameter_cells,
    parameter_letters,
)
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.boundary_chart import TEXT_SIZE
from sheetgen.writing.sheet_parts import CENTRED, INPUT_LOOK

BANDS = 5
"""Shades of each colour in a map's scale, from the middle out."""


def lay_out_show_attempt(workbook, ws, sheet_name: str, run: Run, shown: int, note_cell: str,
                         drawn: str, redraws: str) -> None:
    """The attempt to show: its label, the input cell SHOW_CELL, named SHOW_NAME, which takes
    an attempt of the run, and in `note_cell` what redraws when one is typed; `drawn` says
    what the attempt's weights and biases draw."""
    text(ws, "A3", "Show attempt", bold=True)
    ws[SHOW_CELL] = shown
    parts.apply_style(ws[SHOW_CELL], **INPUT_LOOK)
    ws[SHOW_CELL].font = Font(size=TEXT_SIZE, bold=True)
    parts.validate(ws, SHOW_CELL, 1, run.attempts, "Show attempt",
                   f"The attempt whose weights and biases {drawn}: 1 to {run.attempts}.",
                   whole=True)
    text(ws, note_cell, f"Type any attempt, 1 to {run.attempts}: {redraws} redraw.",
         italic=True)
    workbook.defined_names[SHOW_NAME] = DefinedName(
        SHOW_NAME, attr_text=f"{sheet_name}!{absolute_coordinate(SHOW_CELL)}")


def text(ws, cell: str, value, bold: bool = False, italic: bool = False,
         size: float | None = None):
    """A cell of text (or a number) in the sheet's printed size."""
    ws[cell] = value
    ws[cell].font = Font(bold=bold, italic=italic, size=size or TEXT_SIZE,
                         color="404040" if italic else None)
    return ws[cell]


def colour_rules(ws, cells: str, bounds: list[str], shades: list[str]) -> None:
    """Colour `cells` (ranges separated by spaces) by rules of a cell's value below each of
    `bounds` (formulas, in order), the first that holds giving its shade, and at or above
    the last, the last shade: one more shade than bounds. (Gnumeric reads no colour scale;
    every engine reads these.)"""
    ranges = ConditionalFormatting(cells)
    """Parsed once for every rule: a map's many ranges are slow to parse."""
    for bound, shade in zip(bounds, shades):
        ws.conditional_formatting.add(ranges, CellIsRule(
            operator="lessThan", formula=[bound], stopIfTrue=True,
            fill=PatternFill("solid", start_color=shade, end_color=shade)))
    ws.conditional_formatting.add(ranges, CellIsRule(
        operator="greaterThanOrEqual", formula=[bounds[-1]], stopIfTrue=True,
        fill=PatternFill("solid", start_color=shades[-1], end_color=shades[-1])))


def shades(start: str, end: str) -> list[str]:
    """BANDS colours from near `start` to near `end`, each the middle of its band."""
    return [mix(start, end, (k + 0.5) / BANDS) for k in range(BANDS)]


def mix(start: str, end: str, share: float) -> str:
    """The colour `share` of the way from `start` to `end`."""
    ends = [tuple(int(colour[k:k + 2], 16) for k in (0, 2, 4)) for colour in (start, end)]
    return "".join(f"{round(a + (b - a) * share):02X}" for a, b in zip(*ends))


def lay_out_parameters(ws, drawn: Drawn, sheet: NetworkSheet) -> None:
    """Each layer's table of the shown attempt's weights and biases, right of the band, at
    `drawn.table_column` and `drawn.parameter_rows`."""
    run, net, column = drawn.run, drawn.network, drawn.table_column
    for number, (layer, (title_row, first)) in enumerate(zip(net.layers,
                                                             drawn.parameter_rows), 1):
        if not layer.rows:
            continue   # a pooling layer has no parameters
        me, before = net.labels(number)
        parts.header_row(ws, title_row, [f"{layer_title(run, number)}: into ↓ from →",
                                          *layer.table_headers(before), "bias"], column)
        for j in range(layer.rows):
            ws.cell(first + j, column, layer.row_label(j, me)).alignment = CENTRED
    placeholder = zero_parameters(net)   # the formulas need no values
    put(ws, parameter_cells(drawn, parameter_letters(sheet), *placeholder), "0.000")


def put(ws, computed, number_format: str) -> None:
    """Each formula in its cell, in one look copied as the order table copies it."""
    look = None
    for row, column, formula, *_ in computed:
        target = ws.cell(row, column)
        target.value = formula
        if look is None:
            target.number_format = number_format
            target.alignment = CENTRED
            look = target._style
        target._style = copy(look)
