"""Grading a filled-in exercise (see `sheets.exercise`): which blanks are right, which wrong,
which still empty.

The file is read as the student's program saved it, whatever that was: its blanks are found by
their defined names, and every other cell of the Training sheet must still hold the formula
sheetgen wrote there. The answer to a blank is its column's own formula in that row, worked
out from the student's cells above it: a copy of the file gets a fresh Answers sheet of those
formulas (one of the student's own is never trusted), and LibreOffice recalculates it. A
student's formula counts by its value, as a typed number does.
"""

import secrets
import tempfile
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from sheetgen.engines.check import network_subject, neuron_subject
from sheetgen.engines.comparison import formula_mismatch
from sheetgen.engines import programs
from sheetgen.engines.programs import EngineError
from sheetgen.engines.reading import (
    UnreadableSheet,
    inspect_package,
    is_network_workbook,
    read_cells,
)
from sheetgen.sheets.columns import FIRST_ROW, SHEET_NAME
from sheetgen.sheets.exercise import (
    ANSWERS_SHEET_NAME,
    BLANKS_NAME,
    Exercise,
    answer_formula,
    is_right,
)

RIGHT, WRONG, EMPTY = "right", "wrong", "empty"
GRADING_SHEET_PREFIX = "grading"
NUMBER, FORMULA, TEXT = "a number", "a formula", "a text"


class CannotGrade(Exception):
    """The file cannot be graded: it is not a sheetgen exercise, its layout was changed, or
    LibreOffice is missing or could not open it; the message says which, in one line."""


@dataclass(frozen=True)
class Blank:
    cell: str
    header: str
    status: str
    """RIGHT, WRONG or EMPTY."""
    typed: str | None
    """What the student wrote: NUMBER, FORMULA or TEXT; None while empty."""
    found: float | str | None
    """The cell's value, as LibreOffice works it out."""
    expected: float | None
    """The answer, from the student's cells above it."""


@dataclass(frozen=True)
class Graded:
    path: Path
    inputs: str
    """The inputs the answers follow, as the file holds them (a student may have changed
    them: the answers follow the file)."""
    blanks: tuple[Blank, ...]

    @property
    def right(self) -> int:
        return sum(blank.status == RIGHT for blank in self.blanks)

    @property
    def passed(self) -> bool:
        return self.right == len(self.blanks)


def grade_file(path: Path) -> Graded:
    """Grade the exercise at `path`; raises CannotGrade where it cannot."""
    if not path.is_file():
        raise CannotGrade("no such file")
    try:
        inspect_package(path)
        subject = (network_subject if is_network_workbook(path) else neuron_subject)(path)
    except (UnreadableSheet, OSError) as error:
        raise CannotGrade(str(error)) from None
    exercise = _exercise(path, subject.columns)
    _check_layout(path, subject, exercise)
    written = {(col.letter, row): subject.formulas.rows[row - FIRST_ROW].get(col.letter)
               for col, row in exercise.cells()}
    engine = programs.ENGINES["libreoffice"]
    if engine.path() is None:
        raise CannotGrade(f"grading recalculates in LibreOffice, and {engine.program} was not "
                          f"found (Debian package {engine.package})")
    found, answers = _recalculated(path, exercise, engine)
    return Graded(path, subject.heading, tuple(
        _graded(f"{col.letter}{row}", col.header, written[col.letter, row],
                found[f"{col.letter}{row}"], answers[exercise.answer_cell(col, row)],
                col.formula(row))
        for col, row in exercise.cells()))


def _check_layout(path: Path, subject, exercise: Exercise) -> None:
    """Refuse a file whose cells but the blanks do not hold the formulas sheetgen wrote."""
    # Put the blanks' own formulas back, and compare the whole sheet.
    rows = [dict(cells) for cells in subject.formulas.rows]
    for col, row in exercise.cells():
        rows[row - FIRST_ROW][col.letter] = col.formula(row)
    mismatch = formula_mismatch(replace(subject.formulas, rows=rows), subject.columns,
                                subject.results, subject.summary_formulas)
    if mismatch is not None:
        raise CannotGrade(f"{path.name} is not laid out as sheetgen wrote it: "
                          f"{SHEET_NAME}!{mismatch.cell} holds {mismatch.found!r}, not "
                          f"{mismatch.expected!r}")


def _exercise(path: Path, columns) -> Exercise:
    """The exercise the file's defined names describe, as sheetgen would have made it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        workbook = load_workbook(path, read_only=True)
    try:
        names = workbook.defined_names
        blanked, counts = [], set()
        by_letter = {col.letter: col for col in columns if col.later is not None}
        for k in range(1, len(columns) + 1):
            name = names.get(BLANKS_NAME.format(k))
            if name is None:
                break
            (sheet, cells), = list(name.destinations) or [(None, "")]
            low_column, low_row, high_column, high_row = range_boundaries(cells.replace("$", ""))
            letter = get_column_letter(low_column)
            if sheet != SHEET_NAME or low_column != high_column or letter not in by_letter:
                raise CannotGrade(f"{path.name}: {BLANKS_NAME.format(k)} names "
                                  f"{name.attr_text}, not a column of the Training sheet's "
                                  "that sheetgen blanks")
            blanked.append((by_letter[letter], low_row))
            counts.add(high_row - low_row + 1)
    except (ValueError, TypeError):
        raise CannotGrade(f"{path.name}: its blanks' names do not name ranges") from None
    finally:
        workbook.close()
    if not blanked:
        raise CannotGrade(f"{path.name} is not a sheetgen exercise: it names no blanks "
                          f"({BLANKS_NAME.format(1)}, …)")
    exercise = Exercise(tuple(col for col, _ in blanked), counts.pop() if len(counts) == 1 else 0)
    if exercise.rows == 0 or any(exercise.blank_rows(col)[0] != row for col, row in blanked):
        raise CannotGrade(f"{path.name}: its blanks are not where sheetgen leaves them")
    return exercise


def _recalculated(path: Path, exercise: Exercise, engine: programs.Engine
                  ) -> tuple[dict[str, object], dict[str, object]]:
    """The blanks' values and their answers, as LibreOffice works them out in a copy of the
    file, its own Answers sheet (if any) replaced by one of sheetgen's under a name made up
    for this grading, which no student's formula can have read."""
    with tempfile.TemporaryDirectory(prefix="sheetgen-grade-") as scratch:
        copy, computed = Path(scratch) / "answered.xlsx", Path(scratch) / "computed.xlsx"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                workbook = load_workbook(path)
        except Exception as error:   # openpyxl's errors are of many kinds, none of them ours
            raise CannotGrade(f"{path.name} cannot be read: {error}") from None
        for name in workbook.sheetnames:
            if name.lower() == ANSWERS_SHEET_NAME.lower():
                del workbook[name]
        sheet_name = f"{GRADING_SHEET_PREFIX}{secrets.token_hex(4)}"
        answers = workbook.create_sheet(sheet_name)
        for col, row in exercise.cells():
            answers[exercise.answer_cell(col, row)] = answer_formula(col, row)
        workbook.save(copy)
        try:
            engine.recalculate(copy, computed)
        except EngineError as error:
            raise CannotGrade(f"{path.name}: {error}") from None
        cells = exercise.cells()
        return (read_cells(computed, SHEET_NAME, [f"{col.letter}{row}" for col, row in cells]),
                read_cells(computed, sheet_name,
                           [exercise.answer_cell(col, row) for col, row in cells]))


def _graded(cell: str, header: str, written: object, found: object, answer: object,
            formula: str) -> Blank:
    """A blank's mark: right where its value is the answer's, or where it is the answer's
    own `formula` (whose value is an error where a mistake above it is)."""
    expected = answer if _is_number(answer) else None
    if written is None or written == "":
        return Blank(cell, header, EMPTY, None, None, expected)
    typed = FORMULA if isinstance(written, str) and written.startswith("=") else \
        TEXT if isinstance(written, str) else NUMBER
    right = (_is_number(found) and expected is not None
             and is_right(float(found), float(expected))) or \
        (typed == FORMULA and _plain(written) == _plain(formula))
    return Blank(cell, header, RIGHT if right else WRONG, typed, found, expected)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(formula: str) -> str:
    """A formula as typed, without its spaces and in capitals: =j3 * f3 is =J3*F3."""
    return formula.replace(" ", "").upper()
