"""Read a training sheet back: its formulas, its stored values, and the parameters in it."""

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from sheetgen.maths.neuron import Parameters
from sheetgen.sheets import panel
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, SHEET_NAME, Column, letter_of

MAX_FILE_BYTES = 512 * 2**20
"""The largest file read; a sheetgen workbook at the row limit is about 120 MB."""
MAX_UNPACKED_BYTES = 4 * 2**30
"""The most all parts may unpack to; a sheetgen workbook at the row limit unpacks to ~1.1 GB."""
MAX_RATIO = 200
"""Spreadsheet XML deflates by 5 to 20 times; a part packed tighter than this is a zip bomb."""


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


def read_training_sheet(path: Path) -> TrainingSheet:
    """Read the formulas and the stored results of the Training sheet of an .xlsx file."""
    inspect_package(path)
    sheet = TrainingSheet(_read(path, data_only=False), _read(path, data_only=True))
    if not sheet.values.rows:
        raise UnreadableSheet(f"{path.name}: the {SHEET_NAME} sheet has no attempt rows")
    return sheet


def read_sheet_rows(path: Path, sheet_name: str, columns: tuple[Column, ...],
                    data_only: bool) -> list[dict[str, object]]:
    """The attempt rows of any sheet laid out like Training (the Sweep sheet is)."""
    inspect_package(path)
    return _read(path, data_only, sheet_name, columns).rows


def _read(path: Path, data_only: bool, sheet_name: str = SHEET_NAME,
          columns: tuple[Column, ...] = COLUMNS) -> Cells:
    try:
        with warnings.catch_warnings():
            # Gnumeric's files have no default cell style, which openpyxl remarks upon.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook ({error})") from None
    try:
        if sheet_name not in workbook.sheetnames:
            raise UnreadableSheet(f"{path.name} has no sheet named {sheet_name!r}")
        positions = {col.letter: column_index_from_string(col.letter) - 1 for col in columns}
        attempt_position = positions[letter_of("number", columns)]
        cells = Cells({}, [])
        for number, row in enumerate(
                workbook[sheet_name].iter_rows(max_col=max(positions.values()) + 1,
                                               values_only=True), start=1):
            if number <= panel.LAST_PANEL_ROW:
                cells.panel[number] = row[0]
            if number < FIRST_ROW:
                continue
            if row[attempt_position] is None:
                if number > panel.LAST_PANEL_ROW:
                    break
                continue
            cells.rows.append({letter: row[position] for letter, position in positions.items()})
        return cells
    finally:
        workbook.close()

