"""Read a training sheet back: its formulas, its stored values, and the parameters in it."""

import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException

from sheetgen.engines.sheet_values import UnexpectedLayout, sheet_values
from sheetgen.maths.datasets import LIMIT
from sheetgen.maths.neuron import Parameters
from sheetgen.sheets import panel
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, SHEET_NAME, Column, letter_of

MAX_FILE_BYTES = 512 * 2**20
"""The largest file read; a sheetgen workbook at the row limit is about 120 MB."""
MAX_UNPACKED_BYTES = 4 * 2**30
"""The most all parts may unpack to; a sheetgen workbook at the row limit unpacks to ~1.1 GB."""
MAX_RATIO = 600
"""Spreadsheet XML deflates by 5 to 20 times, a sheet's repetitive styles by a few hundred
(Gnumeric's for the iris preset's 5,000 columns, 205 times); a part packed tighter than this is
a zip bomb (deflate's limit is about 1,000 to 1)."""


class UnreadableSheet(Exception):
    """The file is not a training workbook sheetgen can read; the message says why."""


def inspect_package(path: Path) -> None:
    """Refuse, before parsing anything, a file that is not a plain .xlsx of a sane size.

    Nothing in the file is run: a workbook with macros is refused outright, and the sizes
    the zip declares bound what will be unpacked (Python's zip reader stops there).
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableSheet(f"{path.name} is {size / 2**20:,.0f} MB; sheetgen reads "
                              f"workbooks up to {MAX_FILE_BYTES // 2**20} MB")
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook ({error})") from None
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook "
                              "(it has no xl/workbook.xml)")
    if any("vbaproject" in name.lower() for name in names):
        raise UnreadableSheet(f"{path.name} contains macros; sheetgen does not open "
                              "macro-enabled workbooks")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableSheet(f"{path.name} would unpack to {unpacked / 2**30:,.1f} GB, more "
                              f"than the {MAX_UNPACKED_BYTES // 2**30} GB sheetgen allows")
    for part in parts:
        if part.file_size > 2**20 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise UnreadableSheet(f"{path.name}: {part.filename} is packed "
                                  f"{part.file_size // max(part.compress_size, 1):,} to 1, "
                                  "as no spreadsheet program packs it (a zip bomb?)")


@dataclass
class Cells:
    """One pass over a sheet: column A's cells by row, and each attempt row's table cells."""

    panel: dict[int, object]
    rows: list[dict[str, object]]


@dataclass
class TrainingSheet:
    """A Training sheet as a file holds it: formulas in one pass, stored values in the other."""

    formulas: Cells
    values: Cells

    @property
    def attempts(self) -> int:
        return len(self.values.rows)

    def parameters(self) -> Parameters:
        """The run the sheet describes, from its input cells; refuses cells that are not numbers."""
        found = {}
        for entry in panel.INPUTS:
            value = self.values.panel.get(entry.row)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise UnreadableSheet(f"the {entry.label.lower()} ({entry.cell}) is {value!r}, "
                                      "not a number")
            if not entry.low <= value <= entry.high:
                raise UnreadableSheet(f"the {entry.label.lower()} ({entry.cell}) is {value!r}, "
                                      f"outside {entry.low:g} to {entry.high:g}")
            found[entry.field] = float(value)
        return Parameters(attempts=self.attempts, **found)


def read_training_sheet(path: Path, max_row: int | None = None) -> TrainingSheet:
    """Read the formulas and the stored results of the Training sheet of an .xlsx file (to
    row `max_row`, where given: an exercise's grader reads no further than its blanks)."""
    inspect_package(path)
    sheet = TrainingSheet(read_table(path, data_only=False, max_row=max_row),
                          read_table(path, data_only=True, max_row=max_row))
    if not sheet.values.rows:
        raise UnreadableSheet(f"{path.name}: the {SHEET_NAME} sheet has no attempt rows")
    return sheet


def read_sheet_rows(path: Path, sheet_name: str, columns: tuple[Column, ...],
                    data_only: bool) -> list[dict[str, object]]:
    """The attempt rows of any sheet laid out like Training (the Sweep sheet is)."""
    inspect_package(path)
    return read_table(path, data_only, sheet_name, columns).rows


def _open(path: Path, data_only: bool):
    try:
        with warnings.catch_warnings():
            # Gnumeric's files have no default cell style, which openpyxl remarks upon.
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook ({error})") from None


def stored_rows(path: Path, sheet_name: str, max_col: int, data_only: bool,
          max_row: int | None = None) -> Iterator[tuple]:
    """Each row of a sheet from row 1 (to `max_row`, where given), its first `max_col`
    cells: the stored values straight from the XML (`sheet_values`), the formulas through
    openpyxl, which reads Excel's shared ones as each cell's own. A sheet the fast reader
    does not take, openpyxl reads whole."""
    if data_only:
        try:
            yield from list(sheet_values(path, sheet_name, max_col, max_row))
            return
        except KeyError:
            raise UnreadableSheet(f"{path.name} has no sheet named {sheet_name!r}") from None
        except (UnexpectedLayout, zipfile.BadZipFile, IndexError, ValueError):
            pass  # openpyxl below reads it, or says why it cannot
    workbook = _open(path, data_only)
    try:
        if sheet_name not in workbook.sheetnames:
            raise UnreadableSheet(f"{path.name} has no sheet named {sheet_name!r}")
        yield from workbook[sheet_name].iter_rows(max_col=max_col or None, max_row=max_row,
                                                  values_only=True)
    finally:
        workbook.close()


def read_table(path: Path, data_only: bool, sheet_name: str = SHEET_NAME,
          columns: tuple[Column, ...] = COLUMNS, last_panel_row: int = panel.LAST_PANEL_ROW,
          attempt_letter: str | None = None, max_row: int | None = None) -> Cells:
    positions = {col.letter: column_index_from_string(col.letter) - 1 for col in columns}
    attempt_position = positions[attempt_letter or letter_of("number", columns)]
    cells = Cells({}, [])
    rows = stored_rows(path, sheet_name, max(positions.values()) + 1, data_only, max_row)
    for number, row in enumerate(rows, start=1):
        if number <= last_panel_row:
            cells.panel[number] = row[0]
        if number < FIRST_ROW:
            continue
        if row[attempt_position] is None:
            if number > last_panel_row:
                break
            continue
        cells.rows.append({letter: row[position] for letter, position in positions.items()})
    rows.close()
    return cells


class Grid:
    """A small sheet's stored values, read once, by address (openpyxl's read-only sheets read
    the whole sheet again for every cell asked for)."""

    def __init__(self, rows: list[tuple]):
        self.rows = rows

    def __getitem__(self, address: str) -> object:
        return self.at(*coordinate_to_tuple(address))

    def at(self, row: int, column: int) -> object:
        if row > len(self.rows) or column > len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][column - 1]


def column_a(path: Path, sheet_name: str, data_only: bool) -> dict[int, object]:
    """The cells of column A of a small sheet, by row."""
    return {number: row[0]
            for number, row in enumerate(stored_rows(path, sheet_name, 1, data_only), start=1)}


def read_cells(path: Path, sheet_name: str, cells: list[str]) -> dict[str, object]:
    """The stored values of some cells of a sheet, by address."""
    places = {cell: coordinate_to_tuple(cell) for cell in cells}
    last_row, width = max(row for row, _ in places.values()), max(c for _, c in places.values())
    rows = list(islice(stored_rows(path, sheet_name, width, True), last_row))
    rows += [(None,) * width] * (last_row - len(rows))
    return {cell: rows[row - 1][column - 1] for cell, (row, column) in places.items()}


def input_value(value: object, entry: panel.Input, where: str) -> float:
    """A named input's number, within what its cell's validation allows."""
    number = number_at(value, where)
    if not entry.low <= number <= entry.high:
        raise UnreadableSheet(f"{where} is {number!r}, outside what the cell allows "
                              f"({entry.low:g} to {entry.high:g})")
    return number


def whole_number(value: object, where: str) -> int:
    number = number_at(value, where)
    if not number.is_integer():
        raise UnreadableSheet(f"{where} is {value!r}, not a whole number")
    return int(number)


def number_at(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnreadableSheet(f"{where} is {value!r}, not a number")
    if not -LIMIT <= value <= LIMIT:
        raise UnreadableSheet(f"{where} is {value!r}, outside ±{LIMIT:,.0f}")
    return float(value)
