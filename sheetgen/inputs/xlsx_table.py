"""A sheet of an .xlsx workbook as a table of samples: a header row, then one sample per row,
from column A. The values are the ones the file stores, formulas' results included (the
workbook is read twice, once for the values and once to see which cells are formulas), so a
workbook saved by a spreadsheet program reads as it shows.
"""

import io
import warnings
from datetime import date, time, timedelta
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import TYPE_ERROR, TYPE_FORMULA
from openpyxl.utils import get_column_letter

from sheetgen.errors import InputError
from sheetgen.inputs.tables import Cell, Row, Table, number_name, table
from sheetgen.inputs.text import quote, read_bytes


def read_xlsx_table(path: Path, sheet: str | None = None) -> Table:
    """The table of the sheet named `sheet`, or of the first: its rows that are not blank,
    without the empty cells after a row's last value."""
    data = read_bytes(path)
    values, formulas = (_sheet(path, _workbook(path, data, only), sheet)
                        for only in (True, False))
    name = f"{path.name}, sheet {values.title}"
    bounds = dict(min_row=1, min_col=1, max_row=max(values.max_row, formulas.max_row),
                  max_col=max(values.max_column, formulas.max_column))
    rows = []
    for number, (stored, written) in enumerate(zip(values.iter_rows(**bounds),
                                                   formulas.iter_rows(**bounds)), start=1):
        cells = [_cell(name, value, formula) for value, formula in zip(stored, written)]
        while cells and cells[-1].value is None:
            cells.pop()
        if cells:
            rows.append(Row(f"row {number}", tuple(cells)))
    return table(name, rows, lambda c: f"column {get_column_letter(c + 1)}")


def _workbook(path: Path, data: bytes, data_only: bool) -> openpyxl.Workbook:
    try:
        with warnings.catch_warnings():   # openpyxl warns of parts it ignores, on stderr
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)
    except Exception:   # openpyxl raises many kinds, from zipfile, XML parsers and its own
        raise InputError(f"{path.name} is not a readable .xlsx workbook") from None


def _sheet(path: Path, workbook: openpyxl.Workbook, name: str | None):
    """The worksheet `name` (chart sheets hold no cells), or the first."""
    sheets = {sheet.title: sheet for sheet in workbook.worksheets}
    if not sheets:
        raise InputError(f"{path.name} has no worksheet")
    if name is None:
        return workbook.worksheets[0]
    if name not in sheets:
        raise InputError(f"{path.name} has no sheet {quote(name)}; its sheets are "
                         f"{', '.join(map(quote, sheets))}")
    return sheets[name]


def _cell(name: str, stored, written) -> Cell:
    """The cell as a table has it, from its stored value and, in `written`, its formula."""
    where = f"{name}, cell {stored.coordinate}"
    value = stored.value
    if written.data_type == TYPE_FORMULA and value is None:
        raise InputError(f"{where}: the cell has a formula but no stored result; open the "
                         "file in a spreadsheet program and save it, then try again")
    if stored.data_type == TYPE_ERROR:
        raise InputError(f"{where}: the cell holds the error {value}, not a value")
    address = f"cell {stored.coordinate}"
    if isinstance(value, bool):
        return Cell(str(value).upper(), str(value).upper(), address)
    if isinstance(value, int | float):
        shown = str(value) if isinstance(value, int) else number_name(value)
        return Cell(_float(value), shown, address)
    if isinstance(value, date | time | timedelta):
        return Cell(str(value), str(value), address)
    text = "" if value is None else str(value).strip()
    return Cell(text or None, text, address)


def _float(value: int | float) -> float:
    """The number as a double: a whole number too large for one is infinity, refused as out
    of range where it is read."""
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")
