"""Grading filled-in exercises (see `sheets.exercise`), one or a class at once: which blanks
are right, which wrong, which still empty, marked as a teacher marks a hand calculation.

A file is read as the student's program saved it, whatever that was: its blanks are found by
their defined names, and every cell their answers are worked out from must still hold the
formula sheetgen wrote there. Only the rows down to the blanks matter, and only those are
read. A blank is right when it agrees with the reference's value, or with the value that
follows from the student's own cells that it reads ("error carried forward": a mistake costs
its own mark, not every mark after it). A typed number agrees to `digits` significant
figures, a formula within `RIGHT_WITHIN`.

The values that follow from the student's cells are LibreOffice's: each file becomes a small
copy, its Training sheet cut after the blanks and its other sheets but the Data sheet emptied,
with a sheet of the blanks' own formulas under a name made up for the grading (a student's
formula cannot read it; one that reads the Answers sheet of a self-check finds it empty).
A class's copies are recalculated by one LibreOffice, whose start is most of a file's time.
"""

import contextlib
import math
import secrets
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter

from sheetgen.engines.subjects import Subject, network_subject, neuron_subject
from sheetgen.engines.office_session import (
    OfficeSession,
    WorkbookError,
    bridge_available,
    office_session,
)
from sheetgen.engines.programs import EngineError
from sheetgen.engines.network_reading import is_network_workbook
from sheetgen.engines.reading import UnreadableSheet, inspect_package
from sheetgen.engines.grading_copy import write_copy
from sheetgen.engines.sheet_values import defined_names
from sheetgen.maths.training import Overflow
from sheetgen.sheets.columns import FIRST_ROW, SHEET_NAME, Column
from sheetgen.sheets.exercise import (
    BLANKS_NAME,
    READY_NAME,
    Exercise,
    cells_read,
    guard_of,
    is_right,
    sources_of,
)
from sheetgen.writing.exercise_guard import Area, defined_areas

RIGHT, WRONG, EMPTY = "right", "wrong", "empty"
NUMBER, FORMULA, TEXT = "a number", "a formula", "a text"
DEFAULT_DIGITS = 4
GRADING_SHEET_PREFIX = "grading"


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
    """The cell's value, as LibreOffice works it out; None while empty."""
    expected: float
    """The reference's value: what the cell holds when every blank is right."""
    following: tuple[str, ...] = ()
    """The student's cells, read by this one, that differ from the reference: the value that
    follows from them is `followed`."""
    followed: float | None = None
    """The value that follows from the student's own cells, where it is not the reference's."""
    unknown: str | None = None
    """Why no value follows from the student's cells, in words, where none does."""

    @property
    def verdict(self) -> str:
        """The mark in words: right, right following the student's cells, wrong, empty."""
        if self.status == RIGHT and self.following:
            return f"right, following your {_listed(self.following)}"
        return self.status


@dataclass(frozen=True)
class Graded:
    path: Path
    inputs: str
    """The inputs the answers follow, as the file holds them (a student may have changed
    them: the answers follow the file)."""
    blanks: tuple[Blank, ...]
    digits: int = DEFAULT_DIGITS

    @property
    def right(self) -> int:
        return sum(blank.status == RIGHT for blank in self.blanks)

    @property
    def passed(self) -> bool:
        return self.right == len(self.blanks)

    def cells(self, status: str) -> tuple[str, ...]:
        return tuple(blank.cell for blank in self.blanks if blank.status == status)


@dataclass(frozen=True)
class Ungraded:
    """A file of a class that could not be graded, and why, in one line."""

    path: Path
    reason: str


def agrees_to(value: float, answer: float, digits: int) -> bool:
    """Whether `value` is `answer` to `digits` significant figures: within half a unit of
    the last of them (with a hair more, for the rounding of a decimal to a double)."""
    if answer == 0:
        return value == 0
    unit = 10.0 ** (math.floor(math.log10(abs(answer))) - digits + 1)
    return abs(value - answer) <= 0.5 * unit * (1 + 1e-9)


def grade_file(path: Path, digits: int = DEFAULT_DIGITS) -> Graded:
    """Grade the exercise at `path`; raises CannotGrade where it cannot."""
    graded, = grade_files([path], digits)
    if isinstance(graded, Ungraded):
        raise CannotGrade(graded.reason)
    return graded


def grade_files(paths: Iterable[Path], digits: int = DEFAULT_DIGITS
                ) -> list[Graded | Ungraded]:
    """Grade every file of `paths` in one LibreOffice: each one Graded, or Ungraded with the
    reason, which never stops the others. Raises CannotGrade where LibreOffice, or its
    Python bridge, is missing or does not start."""
    with tempfile.TemporaryDirectory(prefix="sheetgen-grade-") as scratch, \
            contextlib.ExitStack() as stack:
        office = None
        prepared: list[_Prepared | Ungraded] = []
        for number, path in enumerate(paths, start=1):
            try:
                item = _prepare(path, Path(scratch) / f"copy{number:05d}.xlsx")
            except CannotGrade as error:
                prepared.append(Ungraded(path, str(error)))
                continue
            if office is None:   # started for the first file to grade, not for none
                office = stack.enter_context(_office())
            office.ask(item.copy, item.asked())
            prepared.append(item)
        return [item if isinstance(item, Ungraded) else _answered(item, office, digits)
                for item in prepared]


def _office() -> contextlib.AbstractContextManager[OfficeSession]:
    if not bridge_available():
        raise CannotGrade("grading works the answers out in LibreOffice through its Python "
                          "bridge: install soffice and /usr/bin/python3's uno (Debian "
                          "packages libreoffice-calc-nogui and python3-uno)")
    return office_session()


def _answered(item: "_Prepared", office: OfficeSession, digits: int) -> Graded | Ungraded:
    """The marks of a prepared file, once LibreOffice has worked its copy out."""
    try:
        values = office.answer()
    except WorkbookError as error:
        return Ungraded(item.path, f"{item.path.name}: LibreOffice could not work it out "
                                   f"({error})")
    except EngineError as error:
        raise CannotGrade(str(error)) from None
    return _graded(item, *item.values(values), digits)


@dataclass(frozen=True)
class _Prepared:
    """A file read, and its copy to recalculate."""

    path: Path
    subject: Subject
    exercise: Exercise
    written: dict[tuple[str, int], object]
    """What the student wrote in each blank, by letter and row."""
    reference: dict[tuple[str, int], float]
    copy: Path
    sheet_name: str
    """The name, made up, of the copy's sheet of answers."""

    @property
    def _corner(self) -> tuple[int, int]:
        """The column and row of the first cell of the Training sheet's range that holds
        every blank."""
        return (min(column_index_from_string(col.letter) for col in self.exercise.columns),
                FIRST_ROW)

    def asked(self) -> list[tuple[str, str]]:
        """The ranges to read of the worked-out copy: the Training sheet's that holds the
        blanks, and the sheet of answers."""
        exercise = self.exercise
        left, top = self._corner
        right = max(column_index_from_string(col.letter) for col in exercise.columns)
        return [(SHEET_NAME, f"{get_column_letter(left)}{top}:{get_column_letter(right)}"
                             f"{exercise.last_row}"),
                (self.sheet_name,
                 f"B2:{exercise.answer_cell(exercise.columns[-1], exercise.last_row)}")]

    def values(self, ranges: list[list[list[object]]]) -> tuple[dict, dict]:
        """Each blank's value and its answer's, by column and row, from the ranges asked."""
        blanks, answers = ranges
        left, top = self._corner
        found, followed = {}, {}
        for col, row in self.exercise.cells():
            found[col, row] = blanks[row - top][column_index_from_string(col.letter) - left]
            followed[col, row] = answers[row - FIRST_ROW][self.exercise.columns.index(col)]
        return found, followed


def _prepare(path: Path, copy: Path) -> _Prepared:
    if not path.is_file():
        raise CannotGrade("no such file")
    try:
        inspect_package(path)
        blanked, last_row = _blank_names(path)
        subject = (network_subject if is_network_workbook(path) else neuron_subject)(
            path, last_row)
    except (UnreadableSheet, OSError) as error:
        raise CannotGrade(str(error)) from None
    exercise = _exercise(path, subject.columns, blanked)
    _check_layout(path, subject, exercise)
    written = {(col.letter, row): subject.formulas.rows[row - FIRST_ROW].get(col.letter)
               for col, row in exercise.cells()}
    try:
        attempts = list(subject.reference())
    except (Overflow, OverflowError) as error:
        raise CannotGrade(f"{path.name}: its inputs make the reference overflow: "
                          f"{error}") from None
    reference = {(col.letter, row): subject.value_of(attempts[row - FIRST_ROW], col.field)
                 for col, row in exercise.cells()}
    sheet_name = f"{GRADING_SHEET_PREFIX}{secrets.token_hex(4)}"
    try:
        write_copy(path, copy, last_row, exercise, sheet_name)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise CannotGrade(f"{path.name} cannot be read: {error}") from None
    return _Prepared(path, subject, exercise, written, reference, copy, sheet_name)


def _blank_names(path: Path) -> tuple[list[tuple[str, int, int]], int | None]:
    """Each blanked column's letter and rows, as its defined name says, and the last row a
    grader reads: the blanks' or READY's, below column A's inputs."""
    names, blanked = defined_names(path), []
    areas = defined_areas(names)

    def area(name: str) -> Area:
        if name.upper() not in areas:
            raise CannotGrade(f"{path.name}: {name} names {names[name]}, not a range")
        return areas[name.upper()]
    for k in range(1, len(names) + 1):
        name = BLANKS_NAME.format(k)
        if name not in names:
            break
        sheet, low_column, low_row, high_column, high_row = area(name)
        if sheet != SHEET_NAME or low_column != high_column:
            raise CannotGrade(f"{path.name}: {name} names {names[name]}, not a column of "
                              "the Training sheet's")
        blanked.append((get_column_letter(low_column), low_row, high_row))
    if not blanked:
        raise CannotGrade(f"{path.name} is not a sheetgen exercise: it names no blanks "
                          f"({BLANKS_NAME.format(1)}, …)")
    if READY_NAME not in names:   # an exercise of an earlier sheetgen: read it whole
        return blanked, None
    return blanked, max(area(READY_NAME)[4], *(row for _, _, row in blanked))


def _exercise(path: Path, columns: tuple[Column, ...],
              blanked: list[tuple[str, int, int]]) -> Exercise:
    """The exercise the file's defined names describe, as sheetgen would have made it."""
    by_letter = {col.letter: col for col in columns if col.later is not None}
    if any(letter not in by_letter for letter, _, _ in blanked):
        raise CannotGrade(f"{path.name}: its blanks are not columns that sheetgen blanks")
    counts = {high - low + 1 for _, low, high in blanked}
    exercise = Exercise(tuple(by_letter[letter] for letter, _, _ in blanked),
                        counts.pop() if len(counts) == 1 else 0)
    if exercise.rows == 0 or any(exercise.blank_rows(by_letter[letter])[0] != low
                                 for letter, low, _ in blanked):
        raise CannotGrade(f"{path.name}: its blanks are not where sheetgen leaves them")
    return exercise


def _check_layout(path: Path, subject: Subject, exercise: Exercise) -> None:
    """Refuse a file in which a cell the blanks' answers are worked out from does not hold
    the formula sheetgen wrote there."""
    rows = subject.formulas.rows[:exercise.last_row - FIRST_ROW + 1]
    if len(rows) < exercise.last_row - FIRST_ROW + 1:
        raise CannotGrade(f"{path.name}: its Training sheet ends before its blanks do")
    guard, sources = guard_of(exercise, subject.columns), sources_of(exercise, subject.columns)
    for row, cells in enumerate(rows, start=FIRST_ROW):
        for col in sources:
            if col.letter in exercise.letters and row in exercise.blank_rows(col):
                continue
            expected, found = guard.formula(col, row), cells[col.letter]
            if expected is None and not isinstance(found, str) or found == expected:
                continue
            raise CannotGrade(f"{path.name} is not laid out as sheetgen wrote it: "
                              f"{SHEET_NAME}!{col.letter}{row} holds {found!r}, not "
                              f"{expected or 'a number'!r}")


def _graded(item: _Prepared, found: dict, followed: dict, digits: int) -> Graded:
    """The marks of a file from each blank's value and the value that follows from the
    student's cells, by column and row."""
    places = {(col.letter, row): col for col, row in item.exercise.cells()}
    marks: dict[tuple[str, int], Blank] = {}

    def mark(letter: str, row: int) -> Blank:
        """A blank's mark, once those of the blanks it reads are known."""
        if (letter, row) not in marks:
            col = places[letter, row]
            read = [mark(*place) for place in
                    cells_read(col, row, item.subject.columns, set(places))]
            marks[letter, row] = _mark(col, row, item.written[letter, row],
                                       found[col, row], item.reference[letter, row],
                                       followed[col, row], read, digits)
        return marks[letter, row]
    return Graded(item.path, item.subject.heading,
                  tuple(mark(col.letter, row) for col, row in item.exercise.cells()), digits)


def _mark(column: Column, row: int, written: object, found: object, reference: float,
          followed: object, read: list[Blank], digits: int) -> Blank:
    """A blank's mark, given the marks of the blanks it reads: right where it agrees with
    the reference; right following the student's cells where it agrees with what follows
    from them, or is the column's own formula; wrong otherwise."""
    cell = f"{column.letter}{row}"
    if written is None or written == "":
        return Blank(cell, column.header, EMPTY, None, None, reference)
    typed = FORMULA if isinstance(written, str) and written.startswith("=") else \
        TEXT if isinstance(written, str) else NUMBER
    # The student's mistakes it reads: wrong or empty blanks, and those that a right one
    # read follows.
    mistakes = tuple(dict.fromkeys(cell for mark in read for cell in (
        mark.following if mark.status == RIGHT else (mark.cell,))))
    empty = next((mark.cell for mark in read if mark.status == EMPTY), None)
    unknown = f"{empty}, which it reads, is empty" if empty else \
        None if _is_number(followed) else f"the cells it reads give {followed}"
    numeric = typed != TEXT and _is_number(found)
    agrees = (lambda answer: agrees_to(float(found), answer, digits)) if typed == NUMBER \
        else (lambda answer: is_right(float(found), answer))
    if numeric and agrees(reference):
        return Blank(cell, column.header, RIGHT, typed, found, reference)
    if (numeric and unknown is None and agrees(float(followed))) or (
            typed == FORMULA and _plain(written) == _plain(column.formula(row))):
        return Blank(cell, column.header, RIGHT, typed, found, reference, mistakes)
    if not mistakes:
        return Blank(cell, column.header, WRONG, typed, found, reference)
    return Blank(cell, column.header, WRONG, typed, found, reference, mistakes,
                 None if unknown else float(followed), unknown)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(formula: str) -> str:
    """A formula as typed, without its spaces and in capitals: =j3 * f3 is =J3*F3."""
    return formula.replace(" ", "").upper()


def _listed(cells: tuple[str, ...]) -> str:
    return cells[0] if len(cells) == 1 else f"{', '.join(cells[:-1])} and {cells[-1]}"


def exercise_files(paths: Iterable[Path]) -> list[Path]:
    """The files to grade: each path given, and each .xlsx file of a folder given, by name
    (not the lock files that spreadsheet programs leave beside an open file)."""
    files = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(file for file in path.iterdir() if file.suffix.lower() == ".xlsx"
                       and not file.name.startswith(("~$", ".~lock")))
        if not found:
            raise CannotGrade(f"{path} holds no .xlsx file")
        files += found
    return files


CLASS_COLUMNS = ("file", "right", "blanks", "score", "wrong", "empty", "note")


def class_rows(results: list[Graded | Ungraded]) -> list[tuple]:
    """A row per file for a class's table, in `CLASS_COLUMNS`' order: the score as a
    fraction (to 4 places), the wrong and empty cells listed, and why a file could not be graded."""
    rows = []
    for result in results:
        if isinstance(result, Ungraded):
            rows.append((result.path.name, None, None, None, "", "", result.reason))
        else:
            rows.append((result.path.name, result.right, len(result.blanks),
                         round(result.right / len(result.blanks), 4),
                         " ".join(result.cells(WRONG)),
                         " ".join(result.cells(EMPTY)), "" if result.passed else
                         f"{len(result.blanks) - result.right} to correct"))
    return rows
