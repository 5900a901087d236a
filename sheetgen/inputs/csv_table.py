"""A CSV file of samples, as spreadsheets save it: cells separated by commas, semicolons or
tabs (whichever the header line uses), decimal commas where the cells are not separated by
commas, quoted cells, a byte order mark and CRLF line ends. Anything wrong is refused with an
`InputError` that names the file, the line, the column and the problem.
"""

import csv
import io
import re
from pathlib import Path

from sheetgen.errors import InputError
from sheetgen.inputs.tables import NOT_FINITE, Cell, Row, Table, table
from sheetgen.inputs.text import quote, read_text

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A plain decimal number, "1", "-0.5", ".5", "1e-3". Python's float() takes more (NaN,
infinity, "1_000", digits of other scripts), none of which a sheet should receive."""

_COMMA_NUMBER = re.compile(r"[+-]?(?:[0-9]+,[0-9]*|,[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A decimal number written with a decimal comma, "0,5", "-1,25e3"."""

_SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}

DECIMAL_POINT = "comma-separated files use a decimal point"


def read_csv_table(path: Path) -> Table:
    """The table of a CSV file: its rows that are not blank, the first the header, each cell
    a number where it reads as one. Spaces around a cell are ignored."""
    name = path.name
    text = read_text(path)
    separator = _separator(name, text)
    rows = [Row(f"line {line}", tuple(_cell(text, separator) for text in cells))
            for line, cells in _lines(name, text, separator)]
    # A header without a separator is one column, which the message says to separate.
    found = table(name, rows, lambda c: f"column {c + 1}", ", separated by commas")
    if separator == ",":
        _refuse_decimal_commas(found)
    return found


def _separator(name: str, text: str) -> str:
    """The separator the header line uses (the first line with more than spaces and
    separators): of a comma, a semicolon and a tab, the one it holds most often outside
    quotes, which gives it the most cells; a comma where it holds none (one column)."""
    header = next((line for line in text.splitlines() if line.strip(" \t,;")), "")
    outside = "".join(header.split('"')[::2])   # the text between quoted parts
    counts = {separator: outside.count(separator) for separator in _SEPARATORS}
    most = max(counts.values())
    tied = [separator for separator, n in counts.items() if n == most]
    if most and len(tied) > 1:
        words = " and ".join(_SEPARATORS[separator] for separator in tied)
        raise InputError(f"{name}: the separator cannot be found: the header line holds as "
                         f"many {words} ({most} each); separate its cells with one of them "
                         "only")
    return tied[0] if most else ","


def _lines(name: str, text: str, separator: str) -> list[tuple[int, list[str]]]:
    """Each row that is not blank, its cells without the spaces around them, and the line it
    ends on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows = []
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if any(cells):  # an empty line reads as [], a line of commas as ["", ""…]
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise InputError(f"{name}, line {reader.line_num}: {error}") from None
    return rows


def _cell(text: str, separator: str) -> Cell:
    """A number where the text is one (with a decimal comma too where the cells are not
    separated by commas), NaN and infinity included, to be refused where they are read."""
    if not text:
        return Cell(None, text)
    if _NUMBER.fullmatch(text) or NOT_FINITE.fullmatch(text):
        return Cell(float(text), text)
    if separator != "," and _COMMA_NUMBER.fullmatch(text):
        return Cell(float(text.replace(",", ".")), text)
    return Cell(text, text)


def _refuse_decimal_commas(found: Table) -> None:
    """A comma-separated file has no decimal commas: a quoted "0,5" is refused, and so is a
    line whose unquoted 0,5 split it into more cells than the header has."""
    for row in found.rows:
        for c, cell in enumerate(row.cells):
            if isinstance(cell.value, str) and _COMMA_NUMBER.fullmatch(cell.shown):
                raise InputError(f"{found.where(row, c)}: {quote(cell.shown)} has a decimal "
                                 f"comma; {DECIMAL_POINT} "
                                 f"({cell.shown.replace(',', '.')}), or separate the cells "
                                 "with semicolons")
        if len(row.cells) > found.width:
            _refuse_split_number(found, row)


def _refuse_split_number(found: Table, row: Row) -> None:
    """A line with too many cells, where two of them side by side may be one number written
    with a decimal comma: refused with the place and a hint."""
    for c, (whole, fraction) in enumerate(zip(row.cells, row.cells[1:])):
        pair = f"{whole.shown},{fraction.shown}"
        if _COMMA_NUMBER.fullmatch(pair) and fraction.shown.isdigit():
            column = found.columns[c] if c < found.width else f"column {c + 1}"
            raise InputError(f"{found.width_refusal(row)}; is {pair} in {column} one number "
                             f"with a decimal comma? {DECIMAL_POINT} "
                             f"({pair.replace(',', '.')})")
