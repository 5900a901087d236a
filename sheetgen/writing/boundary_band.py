"""The Boundary sheet's band of maps and its samples' rows, written straight into its
worksheet's XML once the shown attempt has been computed: tens of thousands of cells, each a
formula with the reference's result, that openpyxl would take seconds to hold and save (the
titles, the tables above and the chart are openpyxl's, see `boundary_layout`).

The band's rows are all its own: the small squares' height, each small map's label (merged
down its left), and every map cell (the answer's, one per grid point, merged over its block);
so are the samples' rows below the table's headers.
"""

import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from sheetgen.sheets.boundary import NODE_COLUMNS, Boundary
from sheetgen.sheets.shown import Computed, cell_name
from sheetgen.writing.rows import cell_xml


class BandStyles(NamedTuple):
    """The style ids of the cells written here, registered while openpyxl lays out the
    sheet: the maps' and links' (values hidden), the small maps' labels, the inputs' boxes,
    and the samples' table's shown columns by number (the others are hidden)."""

    map: int
    label: int
    node: int
    points: dict[int, int]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector held off: the band's tens of thousands of short-lived tuples
    would set off a full collection, which walks every object of the laid-out workbook (a
    third of what the band costs) to find none of them in a cycle; freed as they go, they
    leave it nothing to do once it runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def band_part(xml: bytes, boundary: Boundary, maps: Iterable[Computed],
              points: Iterable[Computed], styles: BandStyles) -> bytes:
    """The worksheet's XML with the band's rows and the samples' rows in their places among
    openpyxl's, the small maps' labels merged down their left and the answer map's grid
    points each merged over its block."""
    rows: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row, column, formula, value, shared in maps:
        rows[row].append((column, cell_xml(cell_name(row, column), styles.map, value, formula,
                                           shared=shared)))
    merges = _names(boundary, rows, styles)
    # Each grid point's block of the answer map is one merged cell, which its colour fills.
    answer, across = boundary.answer, range(boundary.grid)
    if answer.block > 1:
        merges += [answer.point_span(r, c) for r in across for c in across]
    for index, (held_out, s) in enumerate(boundary.points):
        row = boundary.point_row(index)
        column = boundary.table_column
        rows[row].append((column, cell_xml(cell_name(row, column), styles.points[column],
                                           f"test {s}" if held_out else s)))
    for row, column, formula, value, _ in points:
        rows[row].append((column, cell_xml(cell_name(row, column),
                                           styles.points.get(column, styles.map), value,
                                           formula)))
    band = range(boundary.band_title_row + 1, boundary.band_end + 1)
    small = f'ht="{boundary.sizes.cell:g}" customHeight="1"'
    written = {row: (f'<row r="{row}" {small}>' if row in band else f'<row r="{row}">')
               + "".join(text for _, text in sorted(rows.get(row, ()))) + "</row>"
               for row in sorted(set(band) | set(rows))}
    return _with_merges(with_rows(xml, written), merges)


def _names(boundary: Boundary, rows: dict[int, list[tuple[int, str]]],
           styles: BandStyles) -> list[str]:
    """Each small map's neuron named above it, and each input's box (NODE_COLUMNS merged)
    named by its feature, in `rows`; the ranges they are merged over."""
    grid, merges = boundary.grid, []
    labels = boundary.sizes.label_rows
    named = [(m.top - labels, m.left, m.top - 1, m.left + grid - 1, m.title, styles.label)
             for m in boundary.maps[:-1]]
    first, last = NODE_COLUMNS
    named += [(top, first, top + count - 1, last, feature, styles.node)
              for (top, count), feature in zip(boundary.inputs, boundary.features)]
    for top, left, bottom, right, text, style in named:
        rows[top].append((left, cell_xml(cell_name(top, left), style, text)))
        merges.append(f"{cell_name(top, left)}:{cell_name(bottom, right)}")
    return merges


ROW = re.compile(rb'<row r="([0-9]+)"[^>]*?(?:/>|>.*?</row>)', re.DOTALL)


def with_rows(xml: bytes, written: dict[int, str]) -> bytes:
    """The sheet's rows and the `written` ones (rows of their own) in the order of their
    numbers."""
    start, end = xml.index(b"<sheetData>") + len(b"<sheetData>"), xml.index(b"</sheetData>")
    rows = [(int(match.group(1)), match.group()) for match in ROW.finditer(xml, start, end)]
    assert not set(written) & {number for number, _ in rows}, "a written row is openpyxl's"
    rows += [(number, text.encode()) for number, text in written.items()]
    return xml[:start] + b"".join(text for _, text in sorted(rows)) + xml[end:]


def _with_merges(xml: bytes, merges: list[str]) -> bytes:
    """The merged ranges added to the sheet's own (it has some: its tables' titles)."""
    match = re.search(rb'<mergeCells count="([0-9]+)">', xml)
    assert match, "the Boundary sheet has no merged cells to add to"
    count = int(match.group(1)) + len(merges)
    added = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges).encode()
    return (xml[:match.start()] + f'<mergeCells count="{count}">'.encode() + added
            + xml[match.end():])
