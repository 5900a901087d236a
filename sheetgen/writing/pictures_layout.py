"""The Pictures sheet laid out (see `sheets.pictures`): the attempt to show, the pictures' size,
the legend, and the printed band, each formula in its cell, the weights' pictures coloured by
a scale that follows the shown attempt's largest weight, the images shaded grey, a wrong
answer red; right of it and below, unprinted, the shown attempt's weights and biases and the
samples' table's titles. The samples' rows, thousands of cells, are written straight into the
worksheet's XML once the shown attempt has been computed (`samples_part`), as the Boundary
sheet's band is; the results of the band's formulas go in as the package is saved."""

from copy import copy

from openpyxl.formatting.formatting import ConditionalFormatting
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate, coordinate_to_tuple
from openpyxl.worksheet.pagebreak import Break

from sheetgen.maths.shape import zero_parameters
from sheetgen.sheets.network_data import image_text, input_range
from sheetgen.sheets.network_sheet import NetworkSheet, run_line
from sheetgen.sheets.pictures import (
    BAND_LEFT,
    CLASSES_SCALE_CELL,
    IMAGE_CELL,
    MAPS_SCALE_CELL,
    PICTURES_SHEET_NAME,
    PIXEL_HEIGHT,
    PIXEL_POINTS,
    SAMPLE_HEADERS,
    SCALE_CELL,
    Pictures,
)
from sheetgen.sheets.pictures_cells import Passes, band_cells, forward_passes, sample_rows
from sheetgen.sheets.shown import cell_name
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.boundary_band import with_rows
from sheetgen.writing.boundary_chart import BLUE, ORANGE, PALE, TEXT_SIZE
from sheetgen.writing.boundary_layout import POINTS_PER_CHARACTER, TITLE_SIZE
from sheetgen.writing.rows import cell_xml
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

TITLE = "Pictures"
INK = "1A1A1A"
"""The darkest grey: LibreOffice draws a conditional fill of pure black, 000000, as none."""
HIDDEN = ";;;"
"""The number format that shows nothing: a picture is its colours."""
SURE_FORMAT = "0%"
GREYS = 5
"""Shades of grey of a pixel, white to black, each a fifth of the data's range."""
WRONG = "F4B6B6"
"""A wrong answer's fill, and an off-diagonal count's."""
RIGHT = "C6E0B4"
"""The matrix's diagonal: the right answers."""
TEXT_ROW_POINTS = 16.0
"""The rows of text in the band: the pictures' names, the answers, the matrix."""
RIGHT_SPAN = 4
"""The small columns a count of right answers takes: up to four digits, bold."""
DEEPEST = 0.5
"""The share of the largest weight's size from which a weight's picture is deepest: most
weights are far smaller than the largest, and a scale to it alone leaves them all pale."""
PAGE_SHARE = 0.95
"""What of a page's height the breaks fill at most: room for the engines' rounding."""


def lay_out_pictures(workbook, pictures: Pictures, sheet: NetworkSheet) -> object:
    """The Pictures sheet but for its samples' rows (`samples_part`) and its formulas'
    results."""
    ws = workbook.create_sheet(PICTURES_SHEET_NAME)
    run = pictures.run
    text(ws, "A1", "What the network sees in the pictures", bold=True, size=TITLE_SIZE)
    ws.row_dimensions[1].height = TITLE_SIZE * 1.4   # Gnumeric keeps a row's default height
    text(ws, "A2", run_line(run), italic=True)
    _merged(ws, 3, BAND_LEFT, 4)
    lay_out_show_attempt(workbook, ws, PICTURES_SHEET_NAME, run, pictures.shown,
                         _note_cell(3), "the pictures draw",
                         "the weights' pictures, the answers and the counts")
    _legend(ws, pictures)
    lay_out_parameters(ws, pictures, sheet)
    _lay_out_band(ws, pictures)
    _lay_out_samples(ws, pictures)
    _size(ws, pictures)
    _break_pages(ws, pictures)
    parts.set_up_printing(ws, TITLE, run_line(run), title_rows=None,
                          area=f"A1:{get_column_letter(pictures.band_right)}"
                               f"{pictures.band_end + 1}")
    return ws


def _note_cell(row: int) -> str:
    """Where a top row's words stand: right of its merged value in column B."""
    return cell_name(row, BAND_LEFT + 4)


def _merged(ws, row: int, column: int, span: int) -> None:
    ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)


def _legend(ws, pictures: Pictures) -> None:
    """The pictures' size; the weights' scale, its end live in SCALE_CELL; the pixels' greys;
    what a wrong answer looks like."""
    text(ws, "A4", "Pictures (fixed)", bold=True)
    _merged(ws, 4, BAND_LEFT, 4)
    text(ws, IMAGE_CELL, image_text(pictures.run.network.image)).alignment = CENTRED
    text(ws, _note_cell(4), "pixels, across × down, each sample's first inputs row by row "
                            "(--image).", italic=True)
    text(ws, "A5", "Weights", bold=True)
    _merged(ws, 5, BAND_LEFT, 4)
    scale = text(ws, SCALE_CELL, "=0")   # its formula and result are the band's
    scale.number_format, scale.alignment = "0.000", CENTRED
    text(ws, _note_cell(5), "the largest weight's size: orange below 0, blue above, deepest "
                            "from ± half this, pale near 0.", italic=True)
    text(ws, "A6", "Pixels", bold=True)
    low, high = input_range(pictures.run)
    for k in range(4):
        cell = ws.cell(6, BAND_LEFT + k, low + (high - low) * k / 3)
        cell.number_format = HIDDEN
    text(ws, _note_cell(6), f"white {low:g} to black {high:g}, each image as typed on the "
                            "Data sheet.", italic=True)
    text(ws, "A7", "Answers", bold=True)
    text(ws, _note_cell(7), "the class the network says and how sure it is (its probability); "
                            "✓ right, or ✗ in red with the true class.", italic=True)
    if pictures.network.stack:
        _scale(ws, 8, "Maps", MAPS_SCALE_CELL, "the largest map value's size drawn, coloured "
                                               "as the weights.")
        _scale(ws, 9, "Weights from maps", CLASSES_SCALE_CELL,
               "the largest weight's size from the maps to the next layer.")


def _scale(ws, row: int, label: str, cell: str, words: str) -> None:
    """A colour scale's end in the legend: its label, its cell (the band's formula), its
    words."""
    text(ws, f"A{row}", label, bold=True)
    _merged(ws, row, BAND_LEFT, 4)
    end = text(ws, cell, "=0")
    end.number_format, end.alignment = "0.000", CENTRED
    text(ws, _note_cell(row), words, italic=True)


def _lay_out_band(ws, pictures: Pictures) -> None:
    """The sections' titles, the weights' pictures' names, the matrix's headers; every
    formula of the band (results as the package is saved), its looks and merges; the
    colours."""
    run, net = pictures.run, pictures.network
    hidden = net.last > 1
    text(ws, f"A{pictures.weights_title_row}",
         "What each filter looks for: its kernel's weights" if net.stack else
         "What each hidden neuron looks for: its weight from each pixel" if hidden else
         "What each class looks for: its output's weight from each pixel", bold=True)
    if net.stack:
        text(ws, f"A{pictures.maps_title_row}", "What the filters find: the first images, "
             "each filter's map and its pooled map", bold=True)
        text(ws, f"A{pictures.classes_title_row}", "What the next layer looks for in the "
             "pooled maps: its weights from each map", bold=True)
    for tile in _titled(pictures):
        _merged(ws, tile.top - 1, tile.left, pictures.tile_width)
        label = text(ws, cell_name(tile.top - 1, tile.left), tile.title, bold=True)
        label.alignment = Alignment(horizontal="center", vertical="bottom")
    shown = "test" if pictures.gallery_held_out else "training"
    total = len(run.tests or run.samples)
    text(ws, f"A{pictures.gallery_title_row}",
         f"The first {len(pictures.gallery)} of the {total} {shown} images: the network's "
         "answer, how sure it is, and whether it is right", bold=True)
    title = pictures.matrix_title_row
    text(ws, f"A{title}", "Confusion matrix: every training and test sample, its class down, "
                          "the network's answer across", bold=True)
    text(ws, f"A{title + 1}", "class ↓ says →", italic=True)
    for k, name in enumerate(pictures.classes, start=1):
        row, column = pictures.matrix_cell(k, k)
        _merged(ws, title + 1, column, 2)
        text(ws, cell_name(title + 1, column), name, bold=True).alignment = CENTRED
        text(ws, f"A{row}", name, bold=True).alignment = Alignment(horizontal="right")
    for row, words in zip(pictures.accuracy_rows, ("Training right", "Test right")):
        text(ws, f"A{row}", words, bold=True)
        count = len(run.tests if words.startswith("Test") else run.samples)
        text(ws, cell_name(row, BAND_LEFT + RIGHT_SPAN), f"of {count:,}", italic=True)
    text(ws, f"A{pictures.band_end + 1}",
         f"Not printed: the weights and biases, and every sample's answer, from cell "
         f"{get_column_letter(pictures.table_column)}{pictures.parameter_rows[0][0]}.",
         italic=True)
    placeholder = forward_passes(pictures, *zero_parameters(net))
    _put(ws, pictures, band_cells(pictures, placeholder))
    _colour(ws, pictures)


def _titled(pictures: Pictures) -> tuple:
    """The tiles named in the row above them: the weights', the maps', the weights from the
    maps' (a gallery image's name is its answer below it)."""
    return (pictures.weights + tuple(m.tile for m in pictures.maps)
            + tuple(c.tile for c in pictures.class_tiles))


def _put(ws, pictures: Pictures, computed) -> None:
    """Each formula of the band in its cell, in its look: a picture's pixels' numbers
    hidden, the answers and counts centred, each answer's cells merged across its tile."""
    looks: dict[str, object] = {}
    half = pictures.tile_width // 2
    answers = {tile.top + pictures.height for tile in pictures.gallery}
    verdicts = {row + 1 for row in answers}
    matrix = {pictures.matrix_cell(k, 1)[0] for k in range(1, len(pictures.classes) + 1)}
    scales = {coordinate_to_tuple(cell) for cell in (SCALE_CELL, MAPS_SCALE_CELL,
                                                     CLASSES_SCALE_CELL)}
    for row, column, formula, *_ in computed:
        cell = ws.cell(row, column)
        cell.value = formula
        if row in answers:
            kind, span = ("sure", pictures.tile_width - half) if column > BAND_LEFT and \
                (column - BAND_LEFT) % (pictures.tile_width + 1) == half else ("says", half)
        elif row in verdicts:
            kind, span = "verdict", pictures.tile_width
        elif row in matrix:
            kind, span = "count", 2
        elif row in pictures.accuracy_rows:
            kind, span = "count", RIGHT_SPAN
        else:
            kind, span = "pixel", 1
        if (row, column) in scales:
            kind, span = "scale", 1
        if span > 1:
            _merged(ws, row, column, span)
        if kind not in looks:
            _look(cell, kind)
            looks[kind] = cell._style
        cell._style = copy(looks[kind])


def _look(cell, kind: str) -> None:
    """The look of a band's cell of a kind, set once and copied."""
    if kind == "pixel":
        cell.number_format = HIDDEN
    elif kind == "scale":
        cell.number_format = "0.000"
        cell.alignment = CENTRED
        cell.font = Font(size=TEXT_SIZE)
    else:
        cell.number_format = SURE_FORMAT if kind == "sure" else "General"
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.font = Font(size=TEXT_SIZE, bold=kind in ("says", "count"))


def _colour(ws, pictures: Pictures) -> None:
    """The weights' pictures in BANDS shades each side of 0, to ± the scale's end, which
    follows the shown attempt; the images in GREYS greys over the data's range; a wrong
    answer red; the matrix's diagonal green and any other count red."""
    def spans(tiles) -> list[str]:
        return [f"{cell_name(*pictures.pixel(tile, 0))}:"
                f"{cell_name(*pictures.pixel(tile, tile.across * tile.down - 1))}"
                for tile in tiles]
    fractions = [DEEPEST * (k / BANDS - 1) for k in range(1, BANDS + 1)] + [
        DEEPEST * k / BANDS for k in range(1, BANDS)]
    maps = [m.tile for m in pictures.maps if m.layer]
    for tiles, scale in ((pictures.weights, SCALE_CELL), (maps, MAPS_SCALE_CELL),
                         ([c.tile for c in pictures.class_tiles], CLASSES_SCALE_CELL)):
        if tiles:
            end = absolute_coordinate(scale)
            colour_rules(ws, " ".join(spans(tiles)),
                         [f"{fraction!r}*{end}" if fraction else "0" for fraction in fractions],
                         shades(ORANGE, PALE) + shades(PALE, BLUE))
    low, high = input_range(pictures.run)
    greys = [mix("FFFFFF", INK, k / (GREYS - 1)) for k in range(GREYS)]
    images = [m.tile for m in pictures.maps if not m.layer]
    colour_rules(ws, " ".join(spans(pictures.gallery + tuple(images))
                              + [f"B6:{cell_name(6, BAND_LEFT + 3)}"]),
                 [repr(low + (high - low) * (k + 0.5) / GREYS) for k in range(GREYS - 1)],
                 greys)
    verdicts = [cell_name(tile.top + pictures.height + 1, tile.left) for tile in pictures.gallery]
    ws.conditional_formatting.add(" ".join(verdicts), CellIsRule(
        operator="notEqual", formula=['"✓"'], stopIfTrue=True,
        fill=PatternFill("solid", start_color=WRONG, end_color=WRONG),
        font=Font(color="9C0006", bold=True)))
    classes = len(pictures.classes)
    diagonal = [cell_name(*pictures.matrix_cell(k, k)) for k in range(1, classes + 1)]
    others = [cell_name(*pictures.matrix_cell(t, s)) for t in range(1, classes + 1)
              for s in range(1, classes + 1) if t != s]
    for cells, colour, operator, bound in ((diagonal, RIGHT, "greaterThanOrEqual", "-1"),
                                           (others, WRONG, "greaterThan", "0")):
        ws.conditional_formatting.add(ConditionalFormatting(" ".join(cells)), CellIsRule(
            operator=operator, formula=[bound], stopIfTrue=True,
            fill=PatternFill("solid", start_color=colour, end_color=colour)))


def _lay_out_samples(ws, pictures: Pictures) -> None:
    """The samples' table's title and headers; its rows are `samples_part`'s."""
    title, column = pictures.points_title_row, pictures.table_column
    parts.heading(ws, title, "Every sample at the shown attempt: the network's answer, which "
                             "the gallery and the matrix read", len(SAMPLE_HEADERS), column)
    net = pictures.network
    parts.header_row(ws, title + 1, [*SAMPLE_HEADERS, *(net.neuron(layer, j) for layer, j
                                                        in pictures.neuron_columns)], column)


def _size(ws, pictures: Pictures) -> None:
    """Column A for the labels, the band's columns small squares with its pictures' rows;
    its rows of words a little taller; the tables' columns wide enough to read."""
    ws.column_dimensions["A"].width = 20
    small = round(PIXEL_POINTS / POINTS_PER_CHARACTER, 4)
    for column in range(BAND_LEFT, pictures.band_right + 1):
        ws.column_dimensions[get_column_letter(column)].width = small
    for tile in _titled(pictures) + pictures.gallery:
        for row in range(tile.top, tile.top + tile.down):
            ws.row_dimensions[row].height = PIXEL_HEIGHT
    words = {tile.top - 1 for tile in _titled(pictures)} | {
        tile.top + pictures.height + k for tile in pictures.gallery for k in (0, 1)} | set(
        range(pictures.matrix_title_row, pictures.band_end + 1))
    for row in words:
        ws.row_dimensions[row].height = TEXT_ROW_POINTS
    ws.column_dimensions[get_column_letter(pictures.table_column)].width = 14
    last = max([pictures.neuron_columns[max(pictures.neuron_columns)]]
               + [column for _, column in pictures.parameter_places.values()])
    for column in range(pictures.table_column + 1, last + 1):
        ws.column_dimensions[get_column_letter(column)].width = 8


def _break_pages(ws, pictures: Pictures) -> None:
    """Page breaks between the band's parts, so that no page cuts a row of pictures or the
    matrix: each page holds what fits the printed height at the scale that fits the band's
    width to the page (every row of the band has a height of its own)."""
    for row in range(2, pictures.band_end + 2):
        if ws.row_dimensions[row].height is None:
            ws.row_dimensions[row].height = TEXT_ROW_POINTS
    width = (ws.column_dimensions["A"].width + (pictures.band_right - 1) * PIXEL_POINTS
             / POINTS_PER_CHARACTER) * POINTS_PER_CHARACTER
    page_width, page_height = parts.PAGE_POINTS
    room = page_height / min(1.0, page_width / width) * PAGE_SHARE
    tops = sorted({tile.top for tile in pictures.gallery})
    parts_top = [1] + _section_tops(pictures) + [
        top - (1 if k else 2) for k, top in enumerate(tops)] + [
        pictures.matrix_title_row, pictures.band_end + 2]
    used = 0.0
    for top, after in zip(parts_top, parts_top[1:]):
        height = sum(ws.row_dimensions[row].height for row in range(top, after))
        if used and used + height > room:
            ws.row_breaks.append(Break(id=top - 1))
            used = 0.0
        used += height


def _section_tops(pictures: Pictures) -> list[int]:
    """Where a page may break in the image layers' sections: at each section's title, and
    above each row of their pictures (at its names)."""
    if not pictures.network.stack:
        return []
    rows = {tile.top - 1 for tile in _titled(pictures)} - {
        tile.top - 1 for tile in pictures.weights}
    starts = {pictures.maps_title_row + 1, pictures.classes_title_row + 1}
    return sorted((rows - starts) | {pictures.maps_title_row, pictures.classes_title_row})


def samples_part(xml: bytes, pictures: Pictures, passes: Passes, style: int) -> bytes:
    """The worksheet's XML with the samples' rows in their places among openpyxl's: each
    sample's number, and its formulas with the reference's results (see `sample_rows`)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    column = pictures.table_column
    for index, (held_out, s) in enumerate(pictures.points):
        row = pictures.point_row(index)
        rows[row] = [(column, cell_xml(cell_name(row, column), style,
                                       f"test {s}" if held_out else s))]
    for row, at, formula, value, shared in sample_rows(pictures, passes):
        rows[row].append((at, cell_xml(cell_name(row, at), style, value, formula,
                                       shared=shared)))
    return with_rows(xml, {row: f'<row r="{row}">' + "".join(text for _, text in sorted(cells))
                           + "</row>" for row, cells in rows.items()})


def samples_style(ws) -> int:
    """The samples' rows' style: centred."""
    return parts.style_id(ws, alignment=CENTRED)

