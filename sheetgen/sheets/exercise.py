"""An exercise: the Training sheet's cells a class works out by hand, left empty for them.

A teacher names columns by their headers as the sheet shows them ("Weight gradient", "δ h1")
or whole stages of an attempt (`STAGES`), and how many attempts' rows to leave empty. A
weight or a bias starts from a number typed in and steps from the row above, so its blanks
are its first updates: the rows after the first.

The answer to a blank is its column's own formula in that row, worked out from whatever the
student wrote above it: the same text, with its cells on the Training sheet named, serves the
hidden answers sheet of a self-checking exercise and the grading of a filled-in one.
"""

import re
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property

from openpyxl.utils import column_index_from_string, get_column_letter

from sheetgen.maths.fields import Field, Kind
from sheetgen.sheets.columns import FIRST_ROW, SHEET_NAME, Column
from sheetgen.sheets.fit import EXCEL_ARGUMENT_LIMIT

DEFAULT_ROWS = 3
ANSWERS_SHEET_NAME = "Answers"
BLANKS_NAME = "BLANKS_{}"
"""The defined name of each blanked column's range, numbered from 1: how `grade` finds the
blanks of a student's file whatever program saved it."""
STAGES = {
    "forward": "the nets and outputs",
    "errors": "the errors and losses",
    "backward": "the δs and gradients",
    "update": "the next row's weights and biases (and the optimizer's state)",
}
NEURON_STAGES: dict[Hashable, str] = {
    "net": "forward", "output": "forward", "error": "errors", "loss": "errors",
    "weight_gradient": "backward", "bias_gradient": "backward",
    "weight": "update", "bias": "update"}
"""The stage of each of the article's neuron's fields that has one."""
NETWORK_STAGES = {
    Kind.NET: "forward", Kind.OUT: "forward", Kind.ERROR: "errors",
    Kind.SAMPLE_LOSS: "errors", Kind.LOSS: "errors", Kind.DELTA: "backward",
    Kind.GRADIENT: "backward", Kind.PARAMETER: "update", Kind.STATE: "update"}
"""The stage of each kind of a network's fields that has one."""
STARTING = {"weight", "bias", Kind.PARAMETER}
"""What starts from a number typed in (a weight, a bias) and steps from the row above: its
blanks are its first updates. An optimizer's state is worked out in every row, the first
too."""


def starts_typed(column: Column) -> bool:
    field = column.field
    return (field.kind if isinstance(field, Field) else field) in STARTING


def stage_of(column: Column) -> str | None:
    field = column.field
    return NETWORK_STAGES.get(field.kind) if isinstance(field, Field) else \
        NEURON_STAGES.get(field)


@dataclass(frozen=True)
class Exercise:
    """Which columns are blank, in how many attempts' rows, and whether the workbook marks
    each answer as it is typed (from a hidden answers sheet)."""

    columns: tuple[Column, ...]
    rows: int = DEFAULT_ROWS
    self_check: bool = False
    answers: bool = False
    """The exercise's key, for the teacher: each blank holds its answer, in the blanks'
    style."""

    def blank_rows(self, column: Column) -> range:
        """The rows of `column` left empty: its first attempts', or, for a weight or a bias,
        which starts from a number typed in, its first updates'."""
        first = FIRST_ROW + 1 if starts_typed(column) else FIRST_ROW
        return range(first, first + self.rows)

    def blanks_at(self, row: int) -> tuple[Column, ...]:
        return tuple(col for col in self.columns if row in self.blank_rows(col))

    @cached_property
    def last_row(self) -> int:
        """The last row that holds a blank."""
        return max(self.blank_rows(col)[-1] for col in self.columns)

    @cached_property
    def letters(self) -> frozenset[str]:
        """The blanked columns' letters."""
        return frozenset(col.letter for col in self.columns)

    def cells(self) -> list[tuple[Column, int]]:
        """Every blank, column by column, row by row."""
        return [(col, row) for col in self.columns for row in self.blank_rows(col)]

    def ranges(self) -> dict[str, str]:
        """Each blanked column's defined name and the range it names."""
        return {BLANKS_NAME.format(k): f"{SHEET_NAME}!${col.letter}${rows[0]}:"
                                       f"${col.letter}${rows[-1]}"
                for k, (col, rows) in enumerate(
                    ((col, self.blank_rows(col)) for col in self.columns), start=1)}

    def mark_letters(self, last_letter: str) -> dict[Column, str]:
        """The column of each blanked column's marks, with `self_check`: right of the table,
        which ends at `last_letter`, past a spacer."""
        first = column_index_from_string(last_letter) + 2
        return {col: get_column_letter(first + k) for k, col in enumerate(self.columns)}

    def answer_cell(self, column: Column, row: int) -> str:
        """Where the answers sheet holds the answer of `column`'s blank in `row`: a column
        per blanked column, a row per blank, in the Training sheet's order."""
        index = self.columns.index(column)
        return f"{get_column_letter(index + 2)}{row - FIRST_ROW + 2}"


READY_NAME = "READY"
"""The name of the cell that says whether every blank holds a number: what the rest of the
training waits for."""


READY_MEANING = ("TRUE once every orange cell holds a number. Until then the rows after them, "
                 "the summary and every sheet that reads the training show nothing, so that "
                 "no cell gives an answer away; then the training runs on from your answers.")


def ready_formula(exercise: Exercise) -> str:
    """True once every blank holds a number (COUNT counts numbers only: a typed text keeps it
    false): each run of blanked columns side by side, with the same rows, one range."""
    runs: list[list[Column]] = []
    for col in exercise.columns:
        last = runs[-1][-1] if runs else None
        if last is not None and exercise.blank_rows(last) == exercise.blank_rows(col) and \
                column_index_from_string(col.letter) == column_index_from_string(last.letter) + 1:
            runs[-1].append(col)
        else:
            runs.append([col])
    return "=" + filled([f"${run[0].letter}${exercise.blank_rows(run[0])[0]}:"
                         f"${run[-1].letter}${exercise.blank_rows(run[0])[-1]}" for run in runs],
                        len(exercise.cells()))


def guarded(formula: str, condition: str = READY_NAME) -> str:
    """`formula` once `condition` holds (every blank holds a number, by default), an empty
    text until then. The empty text is no error value, charts leave it out, and every
    formula that reads it is guarded too, so that no arithmetic meets it."""
    return f'=IF({condition},{formula.removeprefix("=")},"")'


def filled(cells: list[str], count: int | None = None) -> str:
    """True once every one of `cells` (or of their `count` cells, where they are ranges)
    holds a number."""
    counts = "+".join(f"COUNT({','.join(cells[start:start + EXCEL_ARGUMENT_LIMIT])})"
                      for start in range(0, len(cells), EXCEL_ARGUMENT_LIMIT))
    return f"{counts}={len(cells) if count is None else count}"


_READ = re.compile(r"(?<![A-Za-z0-9_!$.:'])\$?([A-Z]{1,3})\$?(\{row\}|\{prev\}|[0-9]+)"
                   r"(?::\$?([A-Z]{1,3})\$?(?:\{row\}|\{prev\}|[0-9]+))?(?![A-Za-z0-9_(!])")
"""A cell or range of a column's formula template on its own sheet: its first column, its
row ({row}, {prev} or a fixed row) and, for a range, its last column."""
ROW, PREVIOUS, FIXED = "{row}", "{prev}", "fixed"


@dataclass(frozen=True)
class Guard:
    """Which of the Training sheet's cells wait, and for what, so that none computes an
    answer for the class and none meets an empty blank where it would make an error value.

    After the last blank's row, each column whose formula reads a blanked column, directly
    or through others, waits for READY (every blank holds a number); so, in every row, does
    one that reads such a column over fixed rows (an epoch's mean loss reads its whole
    epoch). In the blanks' own rows, a column that no later row reads and that reads blanks
    of its row (a cross-entropy's loss reads the outputs, whose logarithm an empty one
    would make an error) waits for those blanks."""

    after: int
    """The last row that holds a blank: the rows below it wait."""
    letters: frozenset[str]
    everywhere: frozenset[str]
    blank_rows: dict[str, range]
    """Each blanked column's rows left empty, by letter."""
    own_row: dict[str, tuple[str, ...]]
    """The blanked columns that each column of the last kind reads in its row."""

    def condition(self, letter: str, row: int) -> str | None:
        """What the cell of column `letter` in `row` waits for; None for nothing."""
        if letter in self.everywhere or (row > self.after and letter in self.letters):
            return READY_NAME
        if row > self.after or row in self.blank_rows.get(letter, ()):
            return None
        cells = [f"{blank}{row}" for blank in self.own_row.get(letter, ())
                 if row in self.blank_rows[blank]]
        return filled(cells) if cells else None

    def formula(self, column: Column, row: int) -> str | None:
        """The formula of `column`'s cell in `row` as the exercise writes it."""
        return self._guarded(column.formula(row), column.letter, row)

    def template(self, column: Column, row: int) -> str | None:
        """The same, as a template of {row} and {prev}."""
        return self._guarded(column.template(row), column.letter, row)

    def _guarded(self, formula: str | None, letter: str, row: int) -> str | None:
        condition = self.condition(letter, row) if formula else None
        return formula if condition is None else guarded(formula, condition)


def guard_of(exercise: Exercise, columns: tuple[Column, ...]) -> Guard:
    """The exercise's guard on a sheet of `columns`."""
    reads = _column_reads(columns)
    blanked = {col.letter for col in exercise.columns}
    waiting = _spread(blanked, reads)
    fixed = {letter for letter in waiting if any(
        how == FIXED and waiting.intersection(letters) for letters, how in reads[letter])}
    # What a later row reads, and all it is worked out from, must compute in every row.
    later = _sources({letter for refs in reads.values() for letters, how in refs
                      if how == PREVIOUS for letter in letters}, reads)
    own_row = {letter: tuple(sorted(_row_blanks(letter, reads, blanked)))
               for letter in waiting - later - blanked}
    return Guard(exercise.last_row, waiting, _spread(fixed, reads),
                 {col.letter: exercise.blank_rows(col) for col in exercise.columns},
                 {letter: blanks for letter, blanks in own_row.items() if blanks})


def _row_blanks(letter: str, reads: dict, blanked: set[str]) -> set[str]:
    """The blanked columns that `letter` reads in its own row, directly or through columns
    that are not blanked."""
    found, seen, waiting = set(), {letter}, [letter]
    while waiting:
        for letters, how in reads[waiting.pop()]:
            for read in letters:
                if how == ROW and read not in seen:
                    seen.add(read)
                    (found.add if read in blanked else waiting.append)(read)
    return found


def sources_of(exercise: Exercise, columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The columns the blanks' answers are worked out from, directly or through others, the
    blanked ones among them: what a grader must find as sheetgen wrote it."""
    found = _sources({col.letter for col in exercise.columns}, _column_reads(columns))
    return tuple(col for col in columns if col.letter in found)


def _sources(found: set[str], reads: dict[str, list[tuple[list[str], str]]]) -> set[str]:
    """`found` and every column they read, until no more."""
    found = set(found)
    while more := {letter for read in found for letters, _ in reads[read]
                   for letter in letters} - found:
        found |= more
    return found


def _column_reads(columns: tuple[Column, ...]) -> dict[str, list[tuple[list[str], str]]]:
    """The columns of the sheet that each column's formulas read, a reference at a time, and
    how: in the cell's row, the row above, or fixed rows."""
    letters = [col.letter for col in columns]
    return {col.letter: [(_spanned(letters, match[1], match[3] or match[1]),
                          FIXED if match[2].isdigit() else match[2])
                         for template in {col.first or "", col.later or ""}
                         for match in _READ.finditer(template)] for col in columns}


def _spanned(letters: list[str], first: str, last: str) -> list[str]:
    """The sheet's columns from `first` to `last`, or none where either is not the sheet's."""
    if first not in letters or last not in letters:
        return []
    return letters[letters.index(first):letters.index(last) + 1]


def _spread(found: set[str], reads: dict[str, list[tuple[list[str], str]]]) -> frozenset[str]:
    """`found` and every column that reads one of them, until no more do."""
    found = set(found)
    while more := {letter for letter, refs in reads.items() if letter not in found and any(
            found.intersection(letters) for letters, _ in refs)}:
        found |= more
    return frozenset(found)


_REFERENCE = re.compile(r"(?<![A-Za-z0-9_!$.:'\"])(\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?"
                        r"[0-9]+)?)(?![A-Za-z0-9_(!])")
"""A cell or range of the formula's own sheet: not one already on another sheet (Data!B8),
not part of a name (BETA1) or a function (LOG10), and not inside a text."""


def answer_formula(column: Column, row: int) -> str:
    """The formula that gives `column`'s blank in `row`, for another sheet: the column's own,
    with its cells named as the Training sheet's."""
    texts = column.formula(row).split('"')
    # The even pieces are outside the formula's texts.
    return '"'.join(_REFERENCE.sub(rf"{SHEET_NAME}!\1", piece) if k % 2 == 0 else piece
                    for k, piece in enumerate(texts))


def cells_read(column: Column, row: int, columns: tuple[Column, ...],
               blanks: set[tuple[str, int]]) -> list[tuple[str, int]]:
    """The blanks, by letter and row, that the cell of `column` in `row` reads: directly, or
    through the sheet's other computed cells of the attempt rows."""
    by_letter = {col.letter: col for col in columns}
    letters = [col.letter for col in columns]
    found, seen, waiting = [], set(), [(column.letter, row)]
    while waiting:
        letter, at = waiting.pop()
        for first, low, last, high in _cells_of(by_letter[letter].formula(at) or ""):
            for place in ((name, number) for name in _spanned(letters, first, last)
                          for number in range(low, high + 1)):
                if place in seen or place[1] < FIRST_ROW:
                    continue
                seen.add(place)
                if place in blanks:
                    found.append(place)
                elif by_letter[place[0]].template(place[1]) is not None:
                    waiting.append(place)
    return sorted(found, key=lambda place: (place[1], letters.index(place[0])))


def _cells_of(formula: str) -> list[tuple[str, int, str, int]]:
    """The own sheet's cells and ranges a formula reads: first column and row, last column
    and row."""
    places = []
    for text in _REFERENCE.findall(formula):
        first, _, last = text.replace("$", "").partition(":")
        low, high = re.fullmatch(r"([A-Z]+)([0-9]+)", first), \
            re.fullmatch(r"([A-Z]+)([0-9]+)", last or first)
        places.append((low[1], int(low[2]), high[1], int(high[2])))
    return places


RIGHT_WITHIN = 1e-9
"""How near, relative to the answer, a student's number must be to be right."""
RIGHT_MARK, WRONG_MARK = "✓", "✗"


def is_right(value: float, answer: float) -> bool:
    """Whether `value` is the answer, within RIGHT_WITHIN of it, relative."""
    return abs(value - answer) <= RIGHT_WITHIN * abs(answer)


def mark_formula(blank: str, answer: str) -> str:
    """The live mark of the blank in cell `blank` whose answer is in cell `answer`: ✓ where
    `is_right`, ✗ where not (or where it holds a text), nothing while it is empty."""
    return (f'=IF(ISBLANK({blank}),"",IF(ISNUMBER({blank}),IF(ABS({blank}-{answer})<='
            f'{RIGHT_WITHIN:.0E}*ABS({answer}),"{RIGHT_MARK}","{WRONG_MARK}"),"{WRONG_MARK}"))')


def exercise_notes(exercise: Exercise, last_letter: str) -> tuple[str, ...]:
    """The Notes' section on the exercise of a table that ends at `last_letter`."""
    first, last = FIRST_ROW, exercise.last_row
    headers = ", ".join(dict.fromkeys(col.header for col in exercise.columns))
    if exercise.answers:
        return (f"This is the key to an exercise. The orange cells in the Training sheet's rows "
                f"{first} to {last} are the ones the exercise leaves to the class, {headers}, "
                "and they hold the answers.",)
    texts = [
        f"This workbook is an exercise. The orange cells in the Training sheet's rows {first} "
        f"to {last} are yours to work out: {headers}. Select one to read what it is, then "
        "type a number or a formula.",
        "Before you fill them in: the cells in the same rows compute as every spreadsheet "
        "program computes empty cells, as zeros, so each row follows from what you have "
        "typed above it (a cell that only its own row reads, such as a loss whose logarithm "
        "an empty output would make an error, waits for that row's orange cells). Every "
        f"row after row {last}, the summary, and every other sheet "
        "that reads the training show nothing at all, so that no cell computes your "
        "answers for you. The cell READY in column A says FALSE.",
        "Once every orange cell holds a number, READY says TRUE and the training runs on "
        "from your answers to the last row, with its summary and charts. Right answers "
        "give the network's real training; a wrong one visibly changes everything after "
        "it: the loss falls otherwise, or not at all. A cell holding text keeps READY FALSE.",
        "The file keeps no stored results, so that none gives an answer away: your "
        "spreadsheet program works every cell out as it opens the file.",
    ]
    if not exercise.self_check:
        texts.append("It holds no answers either: your teacher grades the filled-in file "
                     "with 'sheetgen grade'.")
    else:
        marks_from = exercise.mark_letters(last_letter)[exercise.columns[0]]
        texts.append(f"The marks right of the table, from column {marks_from}, show ✓ when a "
                     f"cell holds the right value (within {RIGHT_WITHIN:g} of it, relative) and "
                     "✗ when it does not, and the cell turns green or red. They compare with "
                     "the hidden sheet Answers, which works each blank out from your own "
                     "cells that it reads: unhide it and the answers are there, so the marks "
                     "are for practice, not for a test.")
    return tuple(texts)


def formula_shown(column: Column, row: int, exercise: Exercise | None) -> str | None:
    """A column's formula in `row` as the Notes and the headers show it: a blanked column's
    is the student's to find."""
    if exercise is not None and not exercise.answers and column.letter in exercise.letters:
        return "yours to work out (see the exercise in the Notes)"
    return column.formula(row)
