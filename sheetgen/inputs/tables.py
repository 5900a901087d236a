"""A table of samples as a file holds it: a header row naming the columns, then one row per
sample, every cell knowing where it stands. A CSV file (`csv_table`) and a sheet of an .xlsx
workbook (`xlsx_table`) are both read into a `Table`, so that what is checked in one is
checked, word for word, in the other (`data_files` turns a table into samples).
"""

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from sheetgen.errors import InputError
from sheetgen.inputs.text import RANGE, count, quote
from sheetgen.maths.datasets import LIMIT

NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
"""NaN or infinity, as a CSV file or Python writes them."""


class Cell(NamedTuple):
    value: float | str | None
    """A number, text (without the spaces around it), or None where the cell is empty."""
    shown: str
    """The cell as the file has it, for a message."""
    address: str | None = None
    """Where a workbook's cell is (`cell C7`); None in a CSV file, where a cell is named by
    its line and column."""


class Row(NamedTuple):
    place: str
    """Where the row is: `line 3` of a CSV file, `row 7` of a sheet."""
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    name: str
    """The file, as a message names it: `data.csv`, `flowers.xlsx, sheet Flowers`."""
    header: Row
    rows: tuple[Row, ...]
    """The samples' rows, blank ones left out."""
    columns: tuple[str, ...]
    """Each column as a message names it: `column 2 ("x2")`, `column B ("x2")`."""
    places: tuple[str, ...] = ()
    """Each column's bare name, `column 2` or `column B`."""
    apart: str = ""
    """How the cells of a row are set apart, for a message: `, separated by commas`."""

    @property
    def width(self) -> int:
        return len(self.header.cells)

    def where(self, row: Row, c: int) -> str:
        """Cell c of the row in a message: its file, then its address or line and column."""
        cell = row.cells[c]
        return f"{self.name}, {cell.address or f'{row.place}, {self.columns[c]}'}"

    def width_refusal(self, row: Row) -> str:
        return (f"{self.name}, {row.place} has {count(len(row.cells), 'cell')}; "
                f"the header ({self.header.place}) has {self.width}")

    def number(self, row: Row, c: int) -> float:
        """Cell c of the row, which must hold a finite number within ±LIMIT."""
        cell = row.cells[c]
        if cell.value is None:
            raise InputError(f"{self.where(row, c)}: the cell is empty")
        if isinstance(cell.value, str):
            raise InputError(f"{self.where(row, c)}: {quote(cell.shown)} is not a number")
        # A number too large for a double reads as infinity: it is refused as out of range.
        if math.isnan(cell.value) or NOT_FINITE.fullmatch(cell.shown):
            raise InputError(f"{self.where(row, c)}: {quote(cell.shown)} is not a finite "
                             "number (NaN and infinity are not allowed)")
        if not -LIMIT <= cell.value <= LIMIT:
            raise InputError(f"{self.where(row, c)}: {quote(cell.shown)} is outside {RANGE}")
        return cell.value


def table(name: str, rows: list[Row], column_name, apart: str = "") -> Table:
    """The table of a file's rows that are not blank, the first its header; `column_name(c)`
    names column c (from 0) as the file does, `column 3` or `column C`."""
    if not rows:
        raise InputError(f"{name} is empty")
    header, rows = rows[0], tuple(rows[1:])
    if all(isinstance(cell.value, float) for cell in header.cells):
        word = header.place.split()[0]
        raise InputError(f"{name} has no header row: {header.place} holds numbers; add a "
                         f"first {word} naming the columns (like x1,x2,target)")
    if not rows:
        raise InputError(f"{name} has a header ({header.place}) but no data rows")
    places = tuple(column_name(c) for c in range(len(header.cells)))
    _refuse_bad_names(name, header, places)
    columns = tuple(f"{place} ({quote(cell.shown)})"
                    for place, cell in zip(places, header.cells))
    return Table(name, header, rows, columns, places, apart)


def _refuse_bad_names(name: str, header: Row, places: tuple[str, ...]) -> None:
    """Every column needs a name of its own: the names become the sheet's headers and, for
    one-hot targets, the classes' names."""
    seen: dict[str, str] = {}
    for place, cell in zip(places, header.cells):
        if not cell.shown:
            raise InputError(f"{name}, {header.place}: {place} has no name; name every "
                             "column in the header")
        key = cell.shown.casefold()
        if key in seen:
            raise InputError(f"{name}, {header.place}: {seen[key]} and {place} are both "
                             f"named {quote(cell.shown)}; give every column a name of its own")
        seen[key] = place


def number_name(value: float) -> str:
    """A number as a person writes it: 2 rather than 2.0."""
    return str(int(value)) if value.is_integer() else repr(value)
