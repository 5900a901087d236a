"""A class's grades as a table a teacher can sort: a CSV file, or an .xlsx workbook."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from sheetgen.errors import InputError
from sheetgen.writing import atomic
from sheetgen.writing.sheet_parts import FIXED_TIME, HEADER_FONT

TABLE_SUFFIXES = (".csv", ".xlsx")


def check_table_path(path: Path) -> None:
    """Refuse, before any grading, a table that could not be written."""
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(f"argument --class-table: {path.name} must end in .csv or .xlsx")
    atomic.check_writable(path)


def write_class_table(path: Path, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Write the table, all at once or not at all: a score as a percentage in a workbook."""
    check_table_path(path)
    with atomic.replacing(path) as file:
        if path.suffix.lower() == ".csv":
            text = io.StringIO(newline="")
            csv.writer(text).writerows([columns, *(
                ["" if value is None else value for value in row] for row in rows)])
            file.write(text.getvalue().encode())
            return
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Grades"
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = HEADER_FONT
        for row in rows:
            sheet.append(row)
        score = columns.index("score") + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=score, max_col=score):
            cell.number_format = "0%"
        for letter, width in zip("ABCDEFG", (28, 7, 7, 7, 30, 30, 40)):
            sheet.column_dimensions[letter].width = width
        sheet.auto_filter.ref = sheet.dimensions
        sheet.freeze_panes = "A2"
        workbook.properties.created = workbook.properties.modified = FIXED_TIME
        workbook.save(file)
