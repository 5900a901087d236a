"""A streamed sheet's column headers and their notes, written into its XML as it is streamed.

openpyxl takes tens of microseconds to style a cell, and as long again to save it and a note;
a wide network's Training sheet has thousands of columns (7,899 for the digits preset), whose
headers and notes took a third of its whole write through openpyxl. So the headers after the
first, and every header's note, are written here, from the column descriptions, in the XML
openpyxl writes for them: the bytes are the same. The first header stays an openpyxl cell,
for openpyxl numbers a cell's style as it saves the workbook, and the others share it.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from openpyxl.cell import Cell

from sheetgen.sheets.columns import Column
from sheetgen.writing.rows import cell_xml

HEADER_ROW = 2
NOTE_TITLE_MOST = 32
NOTE_MOST = 255
"""The most characters of a note's title and of its text that Excel takes."""
_ATTRIBUTE = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
"""What the standard library's XML writer escapes in an attribute, beside &, < and >."""


@dataclass(frozen=True)
class Note:
    """What shows when a cell is selected (see `sheet_parts.explain`)."""

    cell: str
    title: str
    text: str

    def xml(self) -> str:
        """The note as openpyxl writes a data validation that only explains."""
        title = escape(self.title[:NOTE_TITLE_MOST], _ATTRIBUTE)
        text = escape(self.text[:NOTE_MOST], _ATTRIBUTE)
        return (f'<dataValidation sqref="{self.cell}" showDropDown="0" showInputMessage="1" '
                f'showErrorMessage="0" allowBlank="1" promptTitle="{title}" '
                f'prompt="{text}" />')


@dataclass(frozen=True)
class ColumnHeads:
    """The headers of a streamed sheet's columns, in row 2, and their notes, the first
    header in the skeleton as an openpyxl cell and the rest put in by `into`."""

    first: Cell
    columns: tuple[Column, ...]
    notes: tuple[Note, ...]

    def into(self, worksheet_xml: bytes) -> bytes:
        """The skeleton's XML, as openpyxl saved it, with the other headers just after the
        first and the notes before any other data validation (added after them)."""
        style = self.first.style_id   # numbered when the workbook was saved
        first = cell_xml(self.first.coordinate, style, self.first.value).encode()
        others = "".join(cell_xml(f"{col.letter}{HEADER_ROW}", style, col.header)
                         for col in self.columns[1:]).encode()
        assert worksheet_xml.count(first) == 1, f"no header {first!r} to follow"
        worksheet_xml = worksheet_xml.replace(first, first + others)
        if not self.notes:
            return worksheet_xml
        head, count, tail = _split_validations(worksheet_xml)
        notes = "".join(note.xml() for note in self.notes).encode()
        return head + b'<dataValidations count="%d">' % (count + len(self.notes)) + notes + tail


def _split_validations(worksheet_xml: bytes) -> tuple[bytes, int, bytes]:
    """The XML before a sheet's data validations, their count, and the XML after their
    opening tag. Every streamed sheet validates its learning rate, so the list is there."""
    opening = b'<dataValidations count="'
    head, found, rest = worksheet_xml.partition(opening)
    assert found, "no data validations to add the notes to"
    count, _, tail = rest.partition(b'">')
    return head, int(count), tail
