"""An exercise's guard beyond the Training sheet's rows: every formula of the workbook that
reads a cell waiting for the blanks (see `sheets.exercise.Guard`), directly or through other
formulas, waits too, and shows an empty text until every blank holds a number. The summary,
the Charts sheet's counts, the Boundary sheet's maps and the Notes' live numbers all read the
training after the blanks; left to compute, they would show what it computes from empty
blanks, which is where answers leak, or meet an empty text in arithmetic, an error value.

Those formulas are written by many sheets' descriptions, some of them only as the package is
saved, so they are found here in the saved worksheets, by the cells and names they read.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries

from sheetgen.sheets.columns import FIRST_ROW
from sheetgen.sheets.exercise import READY_NAME, Guard

_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*>(<f\b([^>]*?)(?:/>|>([^<]*)</f>))')
_SHARED_INDEX = re.compile(rb'\bsi="([0-9]+)"')
_TEXT = re.compile(r'"(?:[^"]|"")*"')
_REFERENCE = re.compile(r"(?<![A-Za-z0-9_.$])((?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?"
                        r"(\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?)(?![A-Za-z0-9_(!])")
_NAME = re.compile(r"(?<![A-Za-z0-9_.$!'])([A-Za-z_][A-Za-z0-9_.]*)(?![A-Za-z0-9_(!])")

Area = tuple[str, int, int, int, int]
"""A sheet's name and a range's first column, first row, last column and last row."""


@dataclass
class _Formula:
    sheet: str
    cell: tuple[int, int]
    """Its row and column."""
    reads: list[Area]
    shared: bytes | None = None
    """The index of the shared formula it holds or follows."""
    waits: bool = False


@dataclass
class WorkbookGuard:
    """The guard of one exercise workbook: the Training sheet's rule, the workbook's defined
    names (each to the area it names), and what has been found to wait so far."""

    training: str
    rule: Guard
    names: dict[str, Area]
    waiting: dict[str, dict[int, set[int]]] = field(default_factory=dict)
    """The cells found to wait, by sheet, row and column."""

    def leading_cells(self, cells: dict[int, str]) -> dict[int, str]:
        """The Training sheet's cells outside its table (column A's summary and the marks),
        each row's XML with what waits guarded."""
        return {row: self._guard({self.training: xml.encode()})[self.training].decode()
                for row, xml in cells.items()}

    def worksheets(self, parts: dict[str, bytes]) -> dict[str, bytes]:
        """Every other worksheet's XML, by sheet name, with what waits guarded."""
        return self._guard(parts)

    def _guard(self, parts: dict[str, bytes]) -> dict[str, bytes]:
        formulas = [formula for sheet, xml in parts.items()
                    for formula in _formulas(sheet, xml, self.names)]
        masters = {(f.sheet, f.shared): f for f in formulas if f.shared is not None and f.reads}
        changed = True
        while changed:
            changed = False
            for formula in formulas:
                leader = masters.get((formula.sheet, formula.shared), formula)
                if not formula.waits and (leader.waits or any(map(self._waits, leader.reads))):
                    formula.waits = changed = True
                    row, column = formula.cell
                    self.waiting.setdefault(formula.sheet, {}).setdefault(row, set()).add(column)
        return {sheet: _wrapped(xml, {f.cell for f in formulas if f.sheet == sheet and f.waits})
                for sheet, xml in parts.items()}

    def _waits(self, area: Area) -> bool:
        """Whether any cell of `area` waits for the blanks."""
        sheet, first_column, first_row, last_column, last_row = area
        if sheet == self.training and last_row >= FIRST_ROW and any(
                self.rule.condition(letter, last_row) is not None
                for letter in _letters(first_column, last_column)):
            return True
        rows = self.waiting.get(sheet, {})
        spanned = range(first_row, last_row + 1)
        return any(first_column <= column <= last_column
                   for row in (spanned if len(spanned) < len(rows) else rows)
                   if row in spanned for column in rows.get(row, ()))


def _letters(first: int, last: int) -> Iterable[str]:
    return (get_column_letter(column) for column in range(first, last + 1))


def _formulas(sheet: str, xml: bytes, names: dict[str, Area]) -> list[_Formula]:
    found = []
    for match in _FORMULA_CELL.finditer(xml):
        letters, row, _, attributes, text = match.groups()
        shared = _SHARED_INDEX.search(attributes)
        reads = _reads(unescape(text.decode()), sheet, names) if text else []
        found.append(_Formula(sheet, (int(row), column_index_from_string(letters.decode())),
                              reads, shared[1] if shared else None))
    return found


def _reads(formula: str, sheet: str, names: dict[str, Area]) -> list[Area]:
    """The areas a formula reads: its cells and ranges, and those of the names it uses."""
    formula = _TEXT.sub('""', formula)
    areas = []
    for prefix, cells in _REFERENCE.findall(formula):
        where = prefix[:-1].strip("'").replace("''", "'") if prefix else sheet
        areas.append((where, *range_boundaries(cells.replace("$", ""))))
    areas += [names[name.upper()] for name in _NAME.findall(_REFERENCE.sub("", formula))
              if name.upper() in names]
    return areas


def _wrapped(xml: bytes, cells: set[tuple[int, int]]) -> bytes:
    """The worksheet with the formula of each of `cells` guarded (a shared formula's in the
    cell that holds it, which the cells that follow it take)."""
    def wrap(match: re.Match) -> bytes:
        letters, row, whole, attributes, text = match.groups()
        place = (int(row), column_index_from_string(letters.decode()))
        if text is None or place not in cells:
            return match.group(0)
        guarded = b"<f" + attributes + b">IF(" + READY_NAME.encode() + b"," + text + b',"")</f>'
        return match.group(0)[:match.start(3) - match.start(0)] + guarded
    return _FORMULA_CELL.sub(wrap, xml)


def defined_areas(defined: dict[str, str]) -> dict[str, Area]:
    """Each defined name that names a cell or range of a sheet, to its area (by the name in
    capitals, as formulas may spell it in any case)."""
    areas = {}
    for name, text in defined.items():
        match = re.fullmatch(r"((?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*))!"
                             r"(\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?)", text.strip())
        if match:
            sheet = match[1].strip("'").replace("''", "'")
            areas[name.upper()] = (sheet, *range_boundaries(match[2].replace("$", "")))
    return areas
