"""The Data sheet's pictures of its samples laid out (see `sheets.data_gallery`): the titles,
the small square columns and rows, the greys as conditional formats, and the page that prints
the first pictures. The pictures' cells, 64 a digit and a hundred thousand for all of them,
are written straight into the worksheet's XML as the package is saved (`gallery_part`), as
the Boundary sheet's band is: openpyxl would take seconds to hold and save them."""

import re
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

from openpyxl.formatting.formatting import ConditionalFormatting
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter

from sheetgen.sheets.data_gallery import (
    LABEL_ROWS,
    PIXEL_HEIGHT,
    PIXEL_POINTS,
    SHADES,
    Gallery,
)
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.boundary_band import _with_merges as with_merges
from sheetgen.writing.boundary_layout import HIDDEN, POINTS_PER_CHARACTER
from sheetgen.writing.rows import cell_xml
from sheetgen.writing.sheet_parts import GROUP_FILL

LABEL_SIZE = 18
"""The labels' and the titles' type, in points: about 9 on the page, printed at half size."""
EDGE = Side(style="thin", color="808080")
"""A picture's outline, which shows where a white pixel ends."""
LABEL_FONT = Font(size=LABEL_SIZE, color="1F2937")
TITLE_FONT = Font(size=LABEL_SIZE, bold=True, color="FFFFFF")


class GalleryStyles(NamedTuple):
    """The style ids of the cells written into the XML: the labels', and each pixel's by its
    place in the picture (its outline's sides), from the top left, row by row."""

    label: int
    pixels: tuple[int, ...]


def lay_out_gallery(data, gallery: Gallery) -> Callable[[bytes], bytes]:
    """The gallery's titles, sizes and greys; what writes its cells into the sheet's XML."""
    run = gallery.run
    low, high = gallery.bounds
    what = "its number and class above each" if run.classes else "its number above each"
    _title(data, gallery, gallery.title_row,
           f"The {'training ' if run.tests else ''}samples as pictures, live from the table: "
           f"{what}; white is {low:g}, black {high:g}")
    if run.tests:
        _title(data, gallery, gallery.test_title_row, "The test samples, held out, as pictures")
    small = round(PIXEL_POINTS / POINTS_PER_CHARACTER, 4)
    for column in range(gallery.column, gallery.last_column + 1):
        data.column_dimensions[get_column_letter(column)].width = small
    for row in range(gallery.title_row, gallery.end + 1):
        data.row_dimensions[row].height = PIXEL_HEIGHT
    _shade(data, gallery)
    styles = GalleryStyles(
        parts.style_id(data, font=LABEL_FONT,
                       alignment=Alignment(horizontal="center", vertical="bottom")),
        tuple(parts.style_id(data, HIDDEN, border=_outline(gallery, k))
              for k in range(gallery.width * gallery.height)))
    return lambda xml: gallery_part(xml, gallery, styles)


def _title(data, gallery: Gallery, row: int, text: str) -> None:
    """A title across the gallery, LABEL_ROWS high."""
    cell = data.cell(row, gallery.column, text)
    parts.apply_style(cell, TITLE_FONT, GROUP_FILL,
                      alignment=Alignment(horizontal="left", vertical="center", indent=1))
    data.merge_cells(start_row=row, start_column=gallery.column, end_row=row + LABEL_ROWS - 1,
                     end_column=gallery.last_column)


def _outline(gallery: Gallery, k: int) -> Border:
    """The sides of pixel k's cell on the picture's edge."""
    row, column = divmod(k, gallery.width)
    return Border(top=EDGE if row == 0 else None,
                  bottom=EDGE if row == gallery.height - 1 else None,
                  left=EDGE if column == 0 else None,
                  right=EDGE if column == gallery.width - 1 else None)


def _shade(data, gallery: Gallery) -> None:
    """Each pixel in the grey nearest its value: rules of a cell's value below each grey's
    top, the first that holds giving the colour (Gnumeric reads no colour scale; every
    engine reads these)."""
    cells = ConditionalFormatting(" ".join(gallery.shaded_ranges()))
    # Opaque, as ARGB: LibreOffice draws 00000000, openpyxl's black, as no colour at all.
    greys = ["FF" + f"{round(255 * (1 - k / (SHADES - 1))):02X}" * 3 for k in range(SHADES)]
    tops = gallery.shade_bounds()
    rules = [("lessThan", top, grey) for top, grey in zip(tops, greys)]
    rules.append(("greaterThanOrEqual", tops[-1], greys[-1]))
    for operator, bound, grey in rules:
        data.conditional_formatting.add(cells, CellIsRule(
            operator=operator, formula=[f"{bound!r}"], stopIfTrue=True,
            fill=PatternFill("solid", start_color=grey, end_color=grey)))


def set_up_gallery_printing(data, gallery: Gallery, title: str, parameters: str) -> None:
    """The gallery's first pictures on a page, at about half size: the pictures are what a
    page shows of the samples, whose table of pixels no page holds readably. All of them
    where the page holds them, else the training samples' first rows of pictures; the footer
    says what stays on screen."""
    run = gallery.run
    columns = [get_column_letter(k) for k in range(gallery.column, gallery.last_column + 1)]
    scale = parts.fitting_scale(data, columns)
    rows = int((parts.PAGE_POINTS[1] * 100 / scale) // PIXEL_HEIGHT) - LABEL_ROWS
    last = gallery.end
    shown, count = None, len(run.samples)
    if last - gallery.top() + 1 > rows:   # the training samples' first rows of pictures
        lines = max(1, min(rows // gallery.pitch, gallery.rows_of()))
        last = gallery.top() + lines * gallery.pitch - 1
        shown = min(count, lines * gallery.per_row)
    rest = (["the test samples' pictures"] if shown is not None and run.tests else []) + [
        "the samples' table", "the initial weights"]
    note = f"{', '.join(rest)} on screen"
    if shown is not None and shown < count:
        note = f"Pictures of samples 1 to {shown:,} of {count:,}; {count - shown:,} more, {note}"
    parts.set_up_printing(data, title, parameters,
                          f"{columns[0]}{gallery.title_row}:{columns[-1]}{last}",
                          title_rows=None, scale=scale, note=note[0].upper() + note[1:])


def gallery_part(xml: bytes, gallery: Gallery, styles: GalleryStyles) -> bytes:
    """The worksheet's XML with each picture's cells, and its label merged over the picture's
    width and LABEL_ROWS rows, in the gallery's rows (openpyxl's, right of its cells)."""
    letters = {column: get_column_letter(column)
               for column in range(gallery.column, gallery.last_column + 1)}
    added: dict[int, list[str]] = defaultdict(list)
    merges = []
    for held_out in (False, True):
        for (row, column), formula, label, pixels in gallery.cells(held_out):
            corner = f"{letters[column]}{row}"
            added[row].append(cell_xml(corner, styles.label, label, formula))
            merges.append(f"{corner}:{letters[column + gallery.width - 1]}"
                          f"{row + LABEL_ROWS - 1}")
            for style, (r, c, source, value) in zip(styles.pixels, pixels):
                added[r].append(cell_xml(f"{letters[c]}{r}", style, value, source))
    xml = _with_cells(xml, added)
    xml = _with_dimension(xml, gallery.last_column, gallery.end)
    return with_merges(xml, merges)


_ROW_START = re.compile(rb'<row r="([0-9]+)"[^>]*?(/?>)')


def _with_cells(xml: bytes, added: dict[int, list[str]]) -> bytes:
    """Each row's `added` cells after its own (which stand left of them)."""
    pieces, at = [], 0
    for match in _ROW_START.finditer(xml):
        cells = added.pop(int(match.group(1)), None)
        if cells is None:
            continue
        text = "".join(cells).encode()
        if match.group(2) == b"/>":
            pieces += [xml[at:match.start(2)], b">", text, b"</row>"]
            at = match.end()
        else:
            end = xml.index(b"</row>", match.end())
            pieces += [xml[at:end], text]
            at = end
    assert not added, f"the sheet has no row {min(added)}, which its pictures take"
    return b"".join(pieces) + xml[at:]


def _with_dimension(xml: bytes, column: int, row: int) -> bytes:
    """The sheet's dimension stretched to the gallery's last column and row."""
    match = re.search(rb'<dimension ref="A1:([A-Z]+)([0-9]+)" ?/>', xml)
    assert match, "the sheet has no dimension"
    right = max(column, column_index_from_string(match.group(1).decode()))
    bottom = max(row, int(match.group(2)))
    return (xml[:match.start()] + f'<dimension ref="A1:{get_column_letter(right)}{bottom}"/>'
            .encode() + xml[match.end():])
