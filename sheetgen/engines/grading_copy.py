"""The grader's copy of a student's file: what LibreOffice needs to work the blanks' answers
out, and nothing more, written part by part (a spreadsheet library's reading and writing the
whole file takes many times longer than LibreOffice's work on the copy).

The copy keeps the Training sheet's rows to the last blank, column A's inputs below them and
the Data sheet; the other sheets are left out, so that LibreOffice neither loads nor computes
them (a formula of the student's that reads one reads nothing there). It adds a sheet of each
blank's own formula, with its cells on the Training sheet, under a name made up for the
grading, which no student's formula can read.
"""

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from sheetgen.engines.sheet_values import sheet_head, sheet_names, sheet_part
from sheetgen.sheets.columns import SHEET_NAME
from sheetgen.sheets.exercise import Exercise, answer_formula
from sheetgen.sheets.network_data import DATA_SHEET_NAME

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
ANSWERS_PART = "xl/worksheets/sheetgen-grading.xml"
ANSWERS_RELATIONSHIP = "sheetgenGrading"
KEPT = (SHEET_NAME, DATA_SHEET_NAME)

_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]+)"[^>]*?(?:/>|>.*?</row>)', re.DOTALL)
_COLUMN_A_CELL = re.compile(rb'<c r="A[0-9]+"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*/>')
_SHEET_OWN_NAME = re.compile(
    rb"<(\w+:)?definedName\b[^>]*\blocalSheetId=[^>]*>.*?</\1?definedName>", re.DOTALL)
_TAB = re.compile(rb'\s(?:activeTab|firstSheet)="[0-9]+"')


def write_copy(path: Path, copy: Path, last_row: int | None, exercise: Exercise,
               sheet_name: str) -> None:
    """Write the copy of `path` to `copy`, its Training sheet read to `last_row` (column A's
    to there, the table's to the last blank; None for the whole sheet), the answers' sheet
    called `sheet_name`."""
    with zipfile.ZipFile(path) as source, \
            zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        names = sheet_names(source)
        training = sheet_part(source, SHEET_NAME)
        left_out = {sheet_part(source, name) for name in names if name not in KEPT}
        for part in source.infolist():
            name = part.filename
            if name in left_out:
                continue
            if name == training and last_row is not None:
                content = _training_head(sheet_head(source, name, last_row), exercise.last_row)
            else:
                content = _listing_sheets(name, source.read(part), sheet_name, left_out)
            target.writestr(name, content)
        target.writestr(ANSWERS_PART, _answers_sheet(exercise))


def _training_head(head: bytes, last_blank_row: int) -> bytes:
    """The Training sheet's XML `head` with its rows after the blanks cut to column A (the
    inputs, which is all the answers read of them), and closed."""
    def column_a(row: re.Match) -> bytes:
        if int(row[1]) <= last_blank_row:
            return row[0]
        opening = row[0][:row[0].index(b">") + 1]
        return opening + b"".join(_COLUMN_A_CELL.findall(row[0])) + b"</row>"
    return _ROW.sub(column_a, head) + b"</sheetData></worksheet>"


def _listing_sheets(name: str, content: bytes, sheet_name: str, left_out: set[str]) -> bytes:
    """A part that lists the sheets, with those left out taken off it and the answers'
    sheet added; any other part as it is."""
    if name == "[Content_Types].xml":
        for part in left_out:
            content = re.sub(rf'<Override PartName="/{re.escape(part)}"[^>]*/>'.encode(), b"",
                             content)
        return _before(content, b"</Types>", f'<Override PartName="/{ANSWERS_PART}" '
                                              f'ContentType="{WORKSHEET_TYPE}"/>')
    if name == "xl/_rels/workbook.xml.rels":
        for part in left_out:
            target = re.escape(part.removeprefix("xl/"))
            content = re.sub(rf'<Relationship\b[^>]*Target="(?:/xl/)?{target}"[^>]*/>'.encode(),
                             b"", content)
        return _before(content, b"</Relationships>", (
            f'<Relationship Id="{ANSWERS_RELATIONSHIP}" Type="{RELATIONSHIPS}/worksheet" '
            f'Target="{ANSWERS_PART.removeprefix("xl/")}"/>'))
    if name == "xl/workbook.xml":
        return _workbook(content, sheet_name)
    return content


def _workbook(content: bytes, sheet_name: str) -> bytes:
    """The workbook part with the kept sheets and the answers' sheet: no sheet's own names
    (print areas, which count sheets by their place), no active tab past the last."""
    content = _SHEET.sub(lambda sheet: sheet[0] if sheet[1].decode() in KEPT else b"", content)
    content = _TAB.sub(b"", _SHEET_OWN_NAME.sub(b"", content))
    text = content.decode("utf-8")
    prefix = re.search(rf'xmlns:(\w+)="{re.escape(RELATIONSHIPS)}"', text)
    number = max(map(int, re.findall(r'sheetId="([0-9]+)"', text)), default=0) + 1
    sheet = (f'<sheet name="{sheet_name}" sheetId="{number}" '
             f'{prefix[1] if prefix else "r"}:id="{ANSWERS_RELATIONSHIP}"/>')
    if not prefix:
        sheet = sheet.replace("<sheet ", f'<sheet xmlns:r="{RELATIONSHIPS}" ')
    return _before(content, re.search(rb"</(\w+:)?sheets>", content)[0], sheet)


def _before(content: bytes, end: bytes, added: str) -> bytes:
    at = content.rindex(end)
    return content[:at] + added.encode() + content[at:]


def _answers_sheet(exercise: Exercise) -> bytes:
    """The sheet of each blank's own formula: a column per blanked column, a row per row."""
    rows: dict[int, list[str]] = {}
    for col, row in exercise.cells():
        cell = exercise.answer_cell(col, row)
        rows.setdefault(int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), []).append(
            f'<c r="{cell}"><f>{escape(answer_formula(col, row).removeprefix("="))}</f></c>')
    cells = "".join(f'<row r="{number}">{"".join(row)}</row>'
                    for number, row in sorted(rows.items()))
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
            f"<sheetData>{cells}</sheetData></worksheet>").encode()
