"""The Boundary sheet laid out (see `sheets.boundary`): the attempt to show, its weights and
biases, the colours of the band of maps, the chart of the samples beside the answer, the
samples' verdicts and the grid's coordinates. The band's cells themselves, and the results of
every formula, are written once the shown attempt has been computed (`boundary_band`)."""

from copy import copy

from openpyxl.chart import ScatterChart
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel, XYSeries
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef
from openpyxl.formatting.formatting import ConditionalFormatting
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from sheetgen.maths.shape import zero_parameters
from sheetgen.sheets import boundary_cells
from sheetgen.sheets.boundary import (
    BOUNDARY_SHEET_NAME,
    GRID_CELL,
    HIDDEN_SCALE,
    SHOW_CELL,
    SHOW_NAME,
    Boundary,
    Scale,
)
from sheetgen.sheets.network_data import layer_title
from sheetgen.sheets.network_sheet import NetworkSheet, run_line
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.boundary_band import BandStyles
from sheetgen.writing.sheet_parts import CENTRED, INPUT_LOOK, LABEL_FONT

ORANGE, PALE, BLUE = "F59322", "E8EAEB", "0877BD"
"""The Playground's colours: orange for its −1 (the first class), blue for its +1."""
GROUP_COLOURS = (ORANGE, BLUE, "2CA02C", "9467BD", "8C564B", "D62728")
HIDDEN = ";;;"
"""The number format that shows nothing: a map is its colours."""
SMALL_WIDTH, LABEL_WIDTH = 0.85, 4.5
"""A small column's width in characters (with the band's rows, squares of about 7 pixels), and
the width of the column naming the small maps right of it."""
TITLE = "Decision boundary"
RIGHT_FORMAT = '"✓";"";"✗"'
"""1 shows ✓ and 0 ✗."""
POINT_FORMATS = {"A": "General", "B": "0.00", "C": "0.00", "D": "General", "E": "General",
                 "F": RIGHT_FORMAT}
"""How the samples' table shows its columns: the sample, its point, its class (or target),
what the network says and whether it is right; the rest are hidden."""
BANDS = 5
"""Shades of each colour in a map's scale, from the middle out."""


def lay_out_boundary(workbook, boundary: Boundary, sheet: NetworkSheet) -> tuple[object, BandStyles]:
    """The Boundary sheet but for its band's cells, its formulas without results, its maps'
    colours and its chart; and the styles of the band's cells."""
    ws = workbook.create_sheet(BOUNDARY_SHEET_NAME)
    colours: dict[Scale, list[str]] = {}
    """The ranges each scale colours, gathered to give each scale's rules once."""
    _lay_out_top(ws, boundary, colours)
    workbook.defined_names[SHOW_NAME] = DefinedName(
        SHOW_NAME, attr_text=f"{BOUNDARY_SHEET_NAME}!$B$3")
    letters = boundary_cells.parameter_letters(sheet)
    placeholder = zero_parameters(boundary.network.sizes)   # the formulas need no values
    _put(ws, boundary_cells.parameter_cells(boundary, letters, *placeholder), "0.000")
    _lay_out_band(ws, boundary, colours)
    _lay_out_points(ws, boundary, colours)
    for scale, ranges in colours.items():
        _colour(ws, " ".join(ranges), scale)
    _lay_out_grid(ws, boundary)
    _size(ws, boundary)
    chart = _points_chart(boundary)
    chart.anchor = _chart_anchor(boundary)
    ws.add_chart(chart)
    parts.set_up_printing(ws, TITLE, run_line(boundary.run), title_rows=None)
    hidden = parts.style_id(ws, HIDDEN, alignment=CENTRED)
    label = parts.style_id(ws, font=Font(size=8, bold=True),
                           alignment=Alignment(horizontal="center", vertical="center"))
    shown = {column_index_from_string(letter): parts.style_id(ws, number_format,
                                                              alignment=CENTRED)
             for letter, number_format in POINT_FORMATS.items()}
    return ws, BandStyles(hidden, label, shown)


def _put(ws, computed, number_format: str) -> None:
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


def _lay_out_top(ws, boundary: Boundary, colours: dict) -> None:
    """The title, the attempt to show, the legend and each layer's table of parameters."""
    run = boundary.run
    ws["A1"] = "What the network sees, across the plane"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = run_line(run)
    ws["A2"].font = LABEL_FONT
    ws["A3"] = "Show attempt"
    ws["A3"].font = Font(bold=True)
    ws[SHOW_CELL] = boundary.shown
    ws["A4"] = "Grid (fixed)"
    ws["A4"].font = Font(bold=True)
    ws[GRID_CELL] = boundary.grid
    ws[GRID_CELL].alignment = CENTRED
    ws["C4"] = (f"{boundary.grid}×{boundary.grid} points from ({boundary.ranges[0][0]:g}, "
                f"{boundary.ranges[1][0]:g}) to ({boundary.ranges[0][1]:g}, "
                f"{boundary.ranges[1][1]:g}): the maps are built for it (--grid).")
    ws["C4"].font = LABEL_FONT
    parts.apply_style(ws[SHOW_CELL], **INPUT_LOOK)
    parts.validate(ws, SHOW_CELL, 1, run.attempts, "Show attempt",
                   f"The attempt whose weights and biases the maps draw: 1 to {run.attempts}.",
                   whole=True)
    ws["C3"] = (f"Type any attempt from 1 to {run.attempts}: every map, the chart and the "
                "verdicts redraw with that row's weights and biases.")
    ws["C3"].font = LABEL_FONT
    _legend(ws, boundary, colours)
    net = run.network
    for layer, (title_row, first) in enumerate(boundary.parameter_rows, start=1):
        before = [net.neuron(layer - 1, i) for i in range(net.sizes[layer - 1])]
        parts.header_row(ws, title_row, [f"{layer_title(run, layer)}: into ↓ from →",
                                          *before, "bias"])
        for j in range(net.sizes[layer]):
            ws.cell(first + j, 1, net.neuron(layer, j)).alignment = CENTRED


def _legend(ws, boundary: Boundary, colours: dict) -> None:
    """What the colours say: three cells coloured by the answer's scale, and in words."""
    scale, names = boundary.scale, boundary.groups
    ws["A5"] = "Colours"
    ws["A5"].font = Font(bold=True)
    for column, value in zip("BCD", (scale.low, scale.middle, scale.high)):
        ws[f"{column}5"] = value
        ws[f"{column}5"].alignment = CENTRED
    colours.setdefault(scale, []).append("B5:D5")
    ws["E5"] = (f"The large map: orange where the network says {names[0]}, blue where it says "
                f"{names[-1]}, pale where it is undecided. The small maps: each hidden "
                "neuron's output, orange below 0, blue above.")
    ws["E5"].font = LABEL_FONT


def _colour(ws, cells: str, scale: Scale) -> None:
    """Colour `cells` (ranges separated by spaces) by `scale`, in BANDS shades each side of
    its middle: rules of a cell's value below each band's top, the first that holds giving
    the colour. (Gnumeric reads no colour scale; every engine reads these.)"""
    bounds = [scale.low + (scale.middle - scale.low) * k / BANDS for k in range(1, BANDS + 1)]
    bounds += [scale.middle + (scale.high - scale.middle) * k / BANDS for k in range(1, BANDS)]
    shades = _shades(ORANGE, PALE) + _shades(PALE, BLUE)
    cells = ConditionalFormatting(cells)
    """Parsed once for every rule: a map's many ranges are slow to parse."""
    for bound, shade in zip(bounds, shades):
        ws.conditional_formatting.add(cells, CellIsRule(
            operator="lessThan", formula=[f"{bound!r}"], stopIfTrue=True,
            fill=PatternFill("solid", start_color=shade, end_color=shade)))
    ws.conditional_formatting.add(cells, CellIsRule(
        operator="greaterThanOrEqual", formula=[f"{bounds[-1]!r}"], stopIfTrue=True,
        fill=PatternFill("solid", start_color=shades[-1], end_color=shades[-1])))


def _shades(start: str, end: str) -> list[str]:
    """BANDS colours from near `start` to near `end`, each the middle of its band."""
    ends = [tuple(int(colour[k:k + 2], 16) for k in (0, 2, 4)) for colour in (start, end)]
    return ["".join(f"{round(a + (b - a) * (k + 0.5) / BANDS):02X}" for a, b in zip(*ends))
            for k in range(BANDS)]


def _lay_out_band(ws, boundary: Boundary, colours: dict) -> None:
    """Each layer's title above its maps, the answer's above it, and their colours."""
    net, grid, top = boundary.network, boundary.grid, boundary.band_title_row
    for m in boundary.maps[:-1]:
        if m.neuron == 0:
            ws.cell(top, m.left - 1, layer_title(boundary.run, m.layer)).font = Font(bold=True)
        colours.setdefault(boundary.scale if m.layer == net.last else HIDDEN_SCALE,
                           []).append(m.span(grid))
    answer = boundary.answer
    ws.cell(top, answer.left, f"The answer: {answer.title}").font = Font(bold=True)
    ws.cell(top, answer.left + grid * answer.block + 2,
            "The samples on the same axes").font = Font(bold=True)
    colours.setdefault(boundary.scale, []).append(answer.span(grid))


def _lay_out_points(ws, boundary: Boundary, colours: dict) -> None:
    """The samples' table's titles and colours: its rows, each sample's point, class, what
    the network says, whether it is right, the chart's helpers (hidden) and each neuron's
    value at it (colours), are the band's (see `boundary_band`)."""
    run, title = boundary.run, boundary.points_title_row
    helpers = boundary.helper_columns
    parts.heading(ws, title, "The samples at the shown attempt: the network's verdict on each",
                  helpers[0] - 1)
    parts.header_row(ws, title + 1, ["Sample", "x1", "x2", "class" if run.classes else "target",
                                     "says", "right"])
    parts.header_row(ws, title + 1, ["(for the chart)"] + [""] * (len(helpers) - 1), helpers[0])
    columns = boundary_cells.neuron_columns(boundary)
    net = boundary.network
    strip = ws.cell(title + 1, boundary.map_column, "each neuron's value at the sample, by colour")
    parts.apply_style(strip, parts.HEADER_FONT, alignment=Alignment(horizontal="left"))
    first, last = boundary.point_row(0), boundary.point_row(len(boundary.points) - 1)
    for (layer, j), column in columns.items():
        letter = get_column_letter(column)
        colours.setdefault(boundary.scale if layer == net.last and not boundary.many_outputs
                           else HIDDEN_SCALE, []).append(f"{letter}{first}:{letter}{last}")


def _lay_out_grid(ws, boundary: Boundary) -> None:
    """The grid's coordinates, which every map's formulas read: x1 across, x2 up."""
    title = boundary.grid_title_row
    parts.heading(ws, title, "The grid: each map's columns are the x1 below, its rows the x2", 3)
    parts.header_row(ws, title + 1, ["Point", "x1 (across)", "x2 (up)"])
    for k, (row, x1, x2) in enumerate(zip(boundary.grid_rows, boundary.x1s, boundary.x2s),
                                      start=1):
        ws.cell(row, 1, k).alignment = CENTRED
        for column, value in ((2, x1), (3, x2)):
            cell = ws.cell(row, column, value)
            cell.number_format = "0.000"
            cell.alignment = CENTRED


def _size(ws, boundary: Boundary) -> None:
    """Wide columns for the text, small square cells for the band."""
    ws.column_dimensions["A"].width = 26
    for column in range(2, boundary.text_width + 1):
        ws.column_dimensions[get_column_letter(column)].width = 11
    ws.column_dimensions[get_column_letter(boundary.text_width + 1)].width = 2
    answer = boundary.answer
    end = answer.left + 2 * boundary.grid * answer.block + 2
    for column in range(boundary.map_column, end + 1):
        ws.column_dimensions[get_column_letter(column)].width = SMALL_WIDTH
    for m in boundary.maps[:-1]:
        ws.column_dimensions[get_column_letter(m.left - 1)].width = LABEL_WIDTH
    ws.row_dimensions[boundary.points_title_row + 1].height = 30


def _chart_anchor(boundary: Boundary) -> TwoCellAnchor:
    """Right of the answer map, over as many cells as it takes: the same size in any
    program, whatever its cells measure."""
    answer = boundary.answer
    side = boundary.grid * answer.block
    left, top = answer.left + side + 1, answer.top - 1   # AnchorMarker counts from 0
    return TwoCellAnchor(_from=AnchorMarker(col=left, row=top),
                         to=AnchorMarker(col=left + side, row=top + side))


def _points_chart(boundary: Boundary) -> ScatterChart:
    """The samples on the answer's axes, by class: the training ones as dots, the test ones
    as triangles, and a cross on each one the network has on the wrong side. (Gnumeric puts
    an axis where its position says, and openpyxl places both on the left.)"""
    chart = ScatterChart()
    chart.scatterStyle = "lineMarker"
    chart.style = 2
    for axis, (low, high), title in ((chart.x_axis, boundary.ranges[0], "x1"),
                                     (chart.y_axis, boundary.ranges[1], "x2")):
        axis.scaling.min, axis.scaling.max = low, high
        axis.title = title
        axis.crosses = "min"
        axis.delete = False
        axis.number_format = "General"
    chart.x_axis.axPos = "b"
    chart.legend.position = "b"
    run, points = boundary.run, boundary.points
    training = (boundary.point_row(0), boundary.point_row(len(run.samples) - 1))
    tests = (training[1] + 1, boundary.point_row(len(points) - 1)) if run.tests else None
    helpers = boundary.helper_columns
    for g, name in enumerate(boundary.groups):
        colour = GROUP_COLOURS[g % len(GROUP_COLOURS)]
        chart.series.append(_dots(f"{name}", helpers[g], training, "circle", colour, colour))
        if tests:
            chart.series.append(_dots(f"{name}, test", helpers[g], tests, "triangle", "FFFFFF",
                                      colour))
    chart.series.append(_dots("on the wrong side", helpers[-1],
                              (training[0], tests[1] if tests else training[1]), "x", "000000",
                              "000000"))
    return chart


def _dots(label: str, column: int, rows: tuple[int, int], symbol: str, fill: str,
          line: str) -> XYSeries:
    """A series of markers without a line: x1 from a helper column, x2 from column C."""
    letter = get_column_letter(column)
    sheet = f"'{BOUNDARY_SHEET_NAME}'"
    series = XYSeries(tx=SeriesLabel(v=label),
                      xVal=AxDataSource(numRef=NumRef(f=f"{sheet}!${letter}${rows[0]}:"
                                                        f"${letter}${rows[1]}")),
                      yVal=NumDataSource(numRef=NumRef(f=f"{sheet}!$C${rows[0]}:$C${rows[1]}")))
    series.marker = Marker(symbol=symbol, size=6 if symbol != "x" else 8)
    series.marker.graphicalProperties = GraphicalProperties(solidFill=fill)
    series.marker.graphicalProperties.line.solidFill = line
    series.graphicalProperties.line.noFill = True
    # Gnumeric draws a line between the points where the unfilled line has a dash style.
    series.graphicalProperties.line.prstDash = None
    series.smooth = False
    return series
