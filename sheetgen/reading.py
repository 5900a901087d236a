"""Read a training sheet back: its formulas, its stored values, and the parameters in it."""

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from sheetgen.columns import COLUMNS, FIRST_ROW, LEARNING_RATE_CELL, SHEET_NAME, column
from sheetgen.reference import Parameters


class UnreadableSheet(Exception):
    """The file is not a training workbook sheetgen can read; the message says why."""


@dataclass
class TrainingSheet:
    """One training sheet as a file holds it: for each attempt row, column letter → cell."""

    learning_rate: object
    values: list[dict[str, object]]
    formulas: list[dict[str, object]]

    @property
    def attempts(self) -> int:
        return len(self.values)

    def parameters(self) -> Parameters:
        """The run the sheet describes, from its own cells; refuses cells that are not numbers."""
        first = self.formulas[0] if self.formulas else {}
        found = {"learning rate (A2)": self.learning_rate}
        for name, letter in (("input", "C"), ("initial weight", "G"), ("initial bias", "I")):
            found[f"{name} ({letter}{FIRST_ROW})"] = first.get(letter)
        for name, value in found.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise UnreadableSheet(f"the {name} is {value!r}, not a number")
        learning_rate, input, weight, bias = (float(value) for value in found.values())
        return Parameters(learning_rate=learning_rate, input=input, weight=weight, bias=bias,
                          attempts=self.attempts)


def read_training_sheet(path: Path) -> TrainingSheet:
    """Read the formulas and the stored results of the Training sheet of an .xlsx file."""
    formulas_a2, formulas = _read_rows(path, data_only=False)
    learning_rate, values = _read_rows(path, data_only=True)
    if not values:
        raise UnreadableSheet(f"{path.name}: the {SHEET_NAME} sheet has no attempt rows")
    return TrainingSheet(learning_rate, values, formulas)


def _read_rows(path: Path, data_only: bool) -> tuple[object, list[dict[str, object]]]:
    try:
        with warnings.catch_warnings():
            # Gnumeric's files have no default cell style, which openpyxl remarks upon.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook ({error})") from None
    try:
        if SHEET_NAME not in workbook.sheetnames:
            raise UnreadableSheet(f"{path.name} has no sheet named {SHEET_NAME!r}")
        sheet = workbook[SHEET_NAME]
        learning_rate = sheet[LEARNING_RATE_CELL].value
        positions = {col.letter: column_index_from_string(col.letter) - 1 for col in COLUMNS}
        attempt_position = positions[column("O").letter]
        rows = []
        for cells in sheet.iter_rows(min_row=FIRST_ROW, max_col=max(positions.values()) + 1,
                                     values_only=True):
            if cells[attempt_position] is None:
                break
            rows.append({letter: cells[position] for letter, position in positions.items()})
        return learning_rate, rows
    finally:
        workbook.close()
