"""A streamed sheet's headers and notes, written into its XML from the descriptions
(`writing/column_heads.py`), are the bytes openpyxl writes for the same headers and notes:
texts with quotes, ampersands, angle brackets, arrows and a line break, a title past Excel's
32 characters and a note past its 255, and a validation added after the notes."""

import io
import re
import zipfile

import pytest

from sheetgen.sheets.columns import Column
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.column_heads import Note

COLUMNS = (
    Column("C", "Attempt", "attempt", None, None, "0", 9, "Which attempt this row is."),
    Column("D", 'w x1→h1 & "its" <weight>', "w", "=1", "=D3", "0.000", 13,
           'The weight from x1 into h1 & "more":\nits line break, <brackets> and all.'),
    Column("E", "a header of well over thirty-two characters in all", "long", "=2", "=E3",
           "General", 15, "A note of more than Excel's 255 characters. " * 8),
)


def saved(by_hand: bool) -> bytes:
    """The Training sheet's XML with the columns' headers and notes, and a learning rate's
    validation after them, as the panel adds one: written by `ColumnHeads` or by openpyxl."""
    workbook = parts.new_workbook("heads")
    sheet = workbook.active
    sheet["A2"] = 0.1
    notes = tuple(Note(f"{col.letter}2", col.header, col.meaning) for col in COLUMNS)
    if by_hand:
        heads = parts.write_column_headers(sheet, COLUMNS, ("F",), notes)
    else:
        for col in COLUMNS:
            cell = sheet[f"{col.letter}2"]
            cell.value = col.header
            parts.apply_style(cell, parts.HEADER_FONT, parts.HEADER_FILL, parts.HEADER_BORDER,
                              parts.CENTRED)
            sheet.column_dimensions[col.letter].width = col.width
        sheet.column_dimensions["F"].width = 2
        sheet.row_dimensions[2].height = 30
        for note in notes:
            parts.explain(sheet, note.cell, note.title, note.text)
    parts.validate(sheet, "A2", -1.0, 1.0, "Learning rate")
    packed = io.BytesIO()
    workbook.save(packed)
    xml = zipfile.ZipFile(packed).read("xl/worksheets/sheet1.xml")
    # The writer sets the sheet's dimension from its last row and column as it streams.
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:F9"', xml)
    return heads.into(xml) if by_hand else xml


def test_the_headers_and_notes_are_the_bytes_openpyxl_writes():
    by_hand, by_openpyxl = saved(True), saved(False)
    assert b"&quot;its&quot;" in by_hand and b"&#10;" in by_hand   # the hard cases are there
    assert by_hand == by_openpyxl


def test_a_sheet_without_its_first_header_is_refused_loudly():
    heads = parts.write_column_headers(parts.new_workbook("x").active, COLUMNS, ())
    with pytest.raises(AssertionError, match="no header"):
        heads.into(b"<worksheet><sheetData></sheetData></worksheet>")
