"""The Boundary sheet laid out (see `sheets.boundary`): the attempt to show, the legend, the
layers' titles, the colours of the maps and of the links, the chart of the samples over the
answer map (`boundary_chart`), and right of the band, unprinted, the shown attempt's weights
and biases, the samples' verdicts and the grid's coordinates. The band's cells themselves, and
the results of every formula, are written once the shown attempt has been computed
(`boundary_band`)."""


from openpyxl.formatting.formatting import ConditionalFormatting
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sheetgen.sheets import boundary_cells
from sheetgen.sheets.boundary import (
    BOUNDARY_SHEET_NAME,
    GRID_CELL,
    HIDDEN_SCALE,
    POINT_HEADERS,
    Boundary,
    Scale,
)
from sheetgen.sheets.boundary_diagram import STRONG, WEIGHT_BANDS, link_cells
from sheetgen.sheets.network_data import layer_title
from sheetgen.sheets.network_sheet import NetworkSheet, run_line
from sheetgen.writing import boundary_chart
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.boundary_band import BandStyles
from sheetgen.writing.boundary_chart import BLUE, ORANGE, PALE, TEXT_SIZE
from sheetgen.writing.sheet_parts import CENTRED
from sheetgen.writing.shown_layout import (
    BANDS,
    colour_rules,
    lay_out_parameters,
    lay_out_show_attempt,
    mix,
    shades,
    text,
)

HIDDEN = ";;;"
"""The number format that shows nothing: a map is its colours."""
POINTS_PER_CHARACTER = 7.0
"""How many points LibreOffice gives a column per character of width, measured on its PDF: a
small column of the band's cell's width over this is as wide as its rows are high.

Gnumeric ignores a column narrower than 0.77 characters (the band's are at most 0.75) and
gives it the sheet's default width, which it reads as points: the sheet's default is the
band's cell, so that Gnumeric draws the same squares. (LibreOffice reads the default in
characters, for the columns nothing sets: right of the printed page.)"""
TITLE_SIZE = 16
NODE_FILL = "D9D9D9"
"""The inputs' boxes."""
LINK_LEGEND = "B7"
"""The legend's cell coloured as a strong negative link."""
TITLE = "Decision boundary"
RIGHT_FORMAT = '"✓";"";"✗"'
"""1 shows ✓ and 0 ✗."""
POINT_FORMATS = dict(zip(POINT_HEADERS, ("General", "0.00", "0.00", "General", "General",
                                        RIGHT_FORMAT)))
"""How the samples' table shows its columns: the sample, its point, its class (or target),
what the network says and whether it is right; the rest are hidden."""


def lay_out_boundary(workbook, boundary: Boundary,
                     sheet: NetworkSheet) -> tuple[object, BandStyles]:
    """The Boundary sheet but for its band's cells, its formulas without results, its maps'
    and links' colours and its chart; and the styles of the band's cells."""
    ws = workbook.create_sheet(BOUNDARY_SHEET_NAME)
    colours: dict[Scale, list[str]] = {}
    """The ranges each scale colours, gathered to give each scale's rules once."""
    _lay_out_top(workbook, ws, boundary, colours)
    lay_out_parameters(ws, boundary, sheet)
    _lay_out_band(ws, boundary, colours)
    _lay_out_points(ws, boundary, colours)
    for scale, ranges in colours.items():
        _colour(ws, " ".join(ranges), scale)
    _colour_links(ws, boundary)
    _lay_out_grid(ws, boundary)
    _size(ws, boundary)
    ws.add_chart(boundary_chart.points_chart(boundary))
    parts.set_up_printing(ws, TITLE, run_line(boundary.run), title_rows=None,
                          area=f"A1:{get_column_letter(boundary.band_right)}"
                               f"{boundary.band_end + 1}")
    ws.page_setup.fitToHeight = 1
    return ws, _band_styles(ws, boundary)


def _band_styles(ws, boundary: Boundary) -> BandStyles:
    """The styles of the cells `boundary_band` writes: the maps' and links' (values hidden),
    the small maps' names, the inputs' boxes and the points' table's columns."""
    hidden = parts.style_id(ws, HIDDEN, alignment=CENTRED)
    label = parts.style_id(ws, font=Font(size=TEXT_SIZE, bold=True),
                           alignment=Alignment(horizontal="center", vertical="bottom"))
    node = parts.style_id(ws, font=Font(size=TEXT_SIZE, bold=True),
                          fill=PatternFill("solid", start_color=NODE_FILL, end_color=NODE_FILL),
                          alignment=CENTRED)
    shown = {boundary.point_column(header): parts.style_id(ws, number_format,
                                                           alignment=CENTRED)
             for header, number_format in POINT_FORMATS.items()}
    return BandStyles(hidden, label, node, shown)


def _lay_out_top(workbook, ws, boundary: Boundary, colours: dict) -> None:
    """The title, the attempt to show, the grid, the legend; the layers' titles above the
    band, and below it the line saying where the tables are."""
    run = boundary.run
    text(ws, "A1", "What the network sees, across the plane", bold=True, size=TITLE_SIZE)
    ws.row_dimensions[1].height = TITLE_SIZE * 1.4   # Gnumeric keeps a row's default height
    text(ws, "A2", run_line(run), italic=True)
    lay_out_show_attempt(workbook, ws, BOUNDARY_SHEET_NAME, run, boundary.shown, "C3",
                         "the maps draw", "the maps, links and samples")
    text(ws, "A4", "Grid (fixed)", bold=True)
    text(ws, GRID_CELL, boundary.grid).alignment = CENTRED
    (x_low, x_high), (y_low, y_high) = boundary.ranges
    text(ws, "C4", f"{boundary.grid}×{boundary.grid} points, ({x_low:g}, {y_low:g}) to "
                    f"({x_high:g}, {y_high:g}) (--grid).", italic=True)
    _legend(ws, boundary, colours)
    text(ws, f"A{boundary.band_title_row}", "Inputs", bold=True)
    text(ws, f"A{boundary.band_end + 1}",
          f"Not printed: the weights, verdicts and grid, from cell "
          f"{get_column_letter(boundary.table_column)}{boundary.parameter_rows[0][0]}.",
          italic=True)


def _legend(ws, boundary: Boundary, colours: dict) -> None:
    """What the colours say: a cell coloured by each end of the answer's scale, one by a
    strong negative link's colour, and in words."""
    scale, names = boundary.scale, boundary.groups
    text(ws, "A5", "Colours", bold=True)
    for row, value in ((5, scale.low), (6, scale.high)):
        ws[f"B{row}"] = value
        ws[f"B{row}"].number_format = HIDDEN
    colours.setdefault(scale, []).append("B5:B6")
    text(ws, "C5", f"Answer: orange says {names[0]}, blue {names[-1]}, pale undecided. "
                    "Neurons: orange below 0, blue above.", italic=True)
    text(ws, "C6", "Samples: ● training, ○ test, × on the wrong side.", italic=True)
    text(ws, "A7", "Links", bold=True)
    ws[LINK_LEGEND] = -WEIGHT_BANDS[-1]
    ws[LINK_LEGEND].number_format = HIDDEN
    text(ws, "C7", f"A link is its weight: orange below 0, blue above, deeper the larger, "
                    f"thick from ±{STRONG:g}.", italic=True)


def _colour(ws, cells: str, scale: Scale) -> None:
    """Colour `cells` (ranges separated by spaces) by `scale`, in BANDS shades each side of
    its middle: rules of a cell's value below each band's top, the first that holds giving
    the colour. (Gnumeric reads no colour scale; every engine reads these.)"""
    bounds = [scale.low + (scale.middle - scale.low) * k / BANDS for k in range(1, BANDS + 1)]
    bounds += [scale.middle + (scale.high - scale.middle) * k / BANDS for k in range(1, BANDS)]
    colour_rules(ws, cells, [f"{bound!r}" for bound in bounds],
                 shades(ORANGE, PALE) + shades(PALE, BLUE))


def _colour_links(ws, boundary: Boundary) -> None:
    """The links' colours: by the weight's sign and size (WEIGHT_BANDS), the largest first;
    over the columns between the layers, whose empty cells stay white."""
    links = link_cells(boundary)
    ranges = [LINK_LEGEND]
    for layer in {link.parameter.layer for link in links}:
        columns = [link.column for link in links if link.parameter.layer == layer]
        ranges.append(f"{get_column_letter(min(columns))}{boundary.band_top}:"
                      f"{get_column_letter(max(columns))}{boundary.band_end}")
    cells = ConditionalFormatting(" ".join(ranges))
    bands = WEIGHT_BANDS[::-1]
    for sign, operator, colour in ((-1, "lessThan", ORANGE), (1, "greaterThan", BLUE)):
        for k, bound in enumerate(bands):
            shade = mix("FFFFFF", colour, 1 - 0.2 * k)
            ws.conditional_formatting.add(cells, CellIsRule(
                operator=operator, formula=[f"{sign * bound or 0:g}"], stopIfTrue=True,
                fill=PatternFill("solid", start_color=shade, end_color=shade)))


def _lay_out_band(ws, boundary: Boundary, colours: dict) -> None:
    """Each layer's title above its maps, the answer's above it, and their colours."""
    net, grid, top = boundary.network, boundary.grid, boundary.band_title_row
    for m in boundary.maps[:-1]:
        if m.neuron == 0:
            text(ws, f"{get_column_letter(m.left)}{top}", layer_title(boundary.run, m.layer),
                  bold=True)
        colours.setdefault(boundary.scale if m.layer == net.last else HIDDEN_SCALE,
                           []).append(m.span(grid))
    answer = boundary.answer
    text(ws, f"{get_column_letter(answer.left)}{top}", f"The answer: {answer.title}",
          bold=True)
    colours.setdefault(boundary.scale, []).append(answer.span(grid))


def _lay_out_points(ws, boundary: Boundary, colours: dict) -> None:
    """The samples' table's titles and colours: its rows, each sample's point, class, what
    the network says, whether it is right, the chart's helpers (hidden) and each neuron's
    value at it (colours), are the band's (see `boundary_band`)."""
    run, title, column = boundary.run, boundary.points_title_row, boundary.table_column
    parts.heading(ws, title, "The samples at the shown attempt: the network's verdict on each",
                  len(POINT_HEADERS), column)
    parts.header_row(ws, title + 1, [*POINT_HEADERS[:3], "class" if run.classes else "target",
                                     *POINT_HEADERS[4:]], column)
    columns = boundary_cells.neuron_columns(boundary)
    net = boundary.network
    strip = ws.cell(title + 1, min(columns.values()),
                    "each neuron's value at the sample, by colour")
    parts.apply_style(strip, parts.HEADER_FONT, alignment=Alignment(horizontal="left"))
    first, last = boundary.point_row(0), boundary.point_row(len(boundary.points) - 1)
    for (layer, j), at in columns.items():
        letter = get_column_letter(at)
        colours.setdefault(boundary.scale if layer == net.last and not boundary.many_outputs
                           else HIDDEN_SCALE, []).append(f"{letter}{first}:{letter}{last}")


def _lay_out_grid(ws, boundary: Boundary) -> None:
    """The grid's coordinates, which every map's formulas read: x1 across, x2 up."""
    title, column = boundary.grid_title_row, boundary.table_column
    parts.heading(ws, title, "The grid: each map's columns are the x1 below, its rows the x2", 3,
                  column)
    parts.header_row(ws, title + 1, ["Point", "x1 (across)", "x2 (up)"], column)
    for k, (row, x1, x2) in enumerate(zip(boundary.grid_rows, boundary.x1s, boundary.x2s),
                                      start=1):
        ws.cell(row, column, k).alignment = CENTRED
        for at, value in ((column + 1, x1), (column + 2, x2)):
            cell = ws.cell(row, at, value)
            cell.number_format = "0.000"
            cell.alignment = CENTRED


def _size(ws, boundary: Boundary) -> None:
    """Wide columns for the text and the tables, small square cells for the band, the
    chart's helper columns hidden."""
    for letter, width in (("A", 18), ("B", 9)):   # "Show attempt" whole in Gnumeric too
        ws.column_dimensions[letter].width = width
    small = round(boundary.sizes.cell / POINTS_PER_CHARACTER, 4)
    ws.sheet_format.defaultColWidth = boundary.sizes.cell
    for column in range(boundary.coordinate_column, boundary.band_right + 1):
        ws.column_dimensions[get_column_letter(column)].width = small
    ws.column_dimensions[get_column_letter(boundary.table_column)].width = 30
    for column in range(boundary.table_column + 1, boundary.helper_columns[0]):
        ws.column_dimensions[get_column_letter(column)].width = 11
    for column in boundary_cells.neuron_columns(boundary).values():
        ws.column_dimensions[get_column_letter(column)].width = 2
    for column in boundary.helper_columns:
        ws.column_dimensions[get_column_letter(column)].hidden = True
    ws.row_dimensions[boundary.points_title_row + 1].height = 30
