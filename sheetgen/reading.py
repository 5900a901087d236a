"""Read a training sheet back: its formulas, its stored values, and the parameters in it."""

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from sheetgen import panel
from sheetgen.columns import COLUMNS, FIRST_ROW, SHEET_NAME, Column
from sheetgen.reference import Parameters


class UnreadableSheet(Exception):
    """The file is not a training workbook sheetgen can read; the message says why."""


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
            found[entry.field] = float(value)
        return Parameters(attempts=self.attempts, **found)


def read_training_sheet(path: Path) -> TrainingSheet:
    """Read the formulas and the stored results of the Training sheet of an .xlsx file."""
    sheet = TrainingSheet(_read(path, data_only=False), _read(path, data_only=True))
    if not sheet.values.rows:
        raise UnreadableSheet(f"{path.name}: the {SHEET_NAME} sheet has no attempt rows")
    return sheet


def read_sheet_rows(path: Path, sheet_name: str, columns: tuple[Column, ...],
                    data_only: bool) -> list[dict[str, object]]:
    """The attempt rows of any sheet laid out like Training (the Sweep sheet is)."""
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
        attempt_position = positions[_attempt_column(columns).letter]
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


def _attempt_column(columns: tuple[Column, ...]) -> Column:
    return next(col for col in columns if col.field == "number")
