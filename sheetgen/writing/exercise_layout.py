"""An exercise laid out on a Training sheet (see `sheets.exercise`): its blanks styled as cells
to fill, each with its column's meaning as its input message; the names by which `grade`
finds them; with `--self-check`, the hidden Answers sheet and a live mark beside the table for
every blank. And what makes the file an exercise: no formula keeps a stored result
(`without_results`), so that none gives an answer away, and every engine works the sheet out
as it stands, blanks and all, when it opens it.
"""

import re
from dataclasses import dataclass, replace

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName

from sheetgen.sheets.columns import FIRST_ROW, SHEET_NAME
from sheetgen.sheets.exercise import (
    ANSWERS_SHEET_NAME,
    READY_MEANING,
    READY_NAME,
    RIGHT_MARK,
    RIGHT_WITHIN,
    WRONG_MARK,
    Exercise,
    answer_formula,
    guard_of,
    mark_formula,
    ready_formula,
)
from sheetgen.sheets.panel import PANEL_COLUMN
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.rows import SheetRows, cell_xml
from sheetgen.writing.sheet_parts import CENTRED, HEADER_FONT, INPUT_LOOK, LABEL_FONT, LEFT

MARK_WIDTH, SPACER_WIDTH = 10, 2
RIGHT_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
WRONG_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
"""Excel's own Good and Bad: a blank marked right, and one marked wrong."""


@dataclass(frozen=True)
class LaidOutExercise:
    """What the streamed rows need of the exercise: each row's blanks' styles by letter, and
    each row's marks (finished cells right of the table)."""

    blanks: dict[int, dict[str, int]]
    marks: dict[int, str]
    ready: dict[int, str]
    """Column A's cells that say whether every blank holds a number, by row."""


def exercised(rows: SheetRows, workbook, training, exercise: Exercise) -> SheetRows:
    """The Training sheet's rows (`rows`, of the worksheet `training`) as the exercise
    writes them: its blanks laid out, column A's cell READY below the panel, the marks of a
    self-check, and the guard on every formula that waits for the blanks. Its formulas are
    each cell's own: a shared formula's first cell holds it for the rest, and none may be a
    blank."""
    columns = rows.columns
    laid_out = lay_out_exercise(workbook, training, exercise, columns[-1].letter,
                                max(rows.leading_cells))
    return replace(rows, shared_formulas=False, blanks=laid_out.blanks,
                   trailing_cells=laid_out.marks, answered=exercise.answers,
                   leading_cells={**rows.leading_cells, **laid_out.ready},
                   guard=guard_of(exercise, columns))


def lay_out_exercise(workbook, training, exercise: Exercise, last_letter: str,
                     panel_end: int) -> LaidOutExercise:
    """Style and explain the blanks of `training`, a sheet whose table ends at `last_letter`
    and whose column A's panel at row `panel_end`; name them; below the panel, say whether
    every blank holds a number (the cell named READY); and, to check itself, add the Answers
    sheet and the marks."""
    styles = {col.letter: parts.style_id(training, col.number_format, **INPUT_LOOK)
              for col in exercise.columns}
    for name, cells in exercise.ranges().items():
        workbook.defined_names[name] = DefinedName(name, attr_text=cells)
    for col in exercise.columns:
        rows = exercise.blank_rows(col)
        parts.explain(training, f"{col.letter}{rows[0]}:{col.letter}{rows[-1]}",
                      f"Yours: {col.header}", f"Work out {col.meaning[0].lower()}"
                                              f"{col.meaning[1:]}")
    blanks = {row: {col.letter: styles[col.letter] for col in exercise.blanks_at(row)}
              for row in range(FIRST_ROW, exercise.last_row + 1)}
    marks = _lay_out_marks(workbook, training, exercise, last_letter) \
        if exercise.self_check else {}
    return LaidOutExercise({row: styles for row, styles in blanks.items() if styles}, marks,
                           _lay_out_ready(workbook, training, exercise, panel_end + 2))


def _lay_out_ready(workbook, training, exercise: Exercise, row: int) -> dict[int, str]:
    """The label in `row` and, below it, the cell named READY."""
    cell = f"{PANEL_COLUMN}{row + 1}"
    workbook.defined_names[READY_NAME] = DefinedName(
        READY_NAME, attr_text=f"{SHEET_NAME}!${PANEL_COLUMN}${row + 1}")
    parts.explain(training, cell, "Every blank filled?", READY_MEANING)
    label = parts.style_id(training, font=LABEL_FONT, alignment=LEFT)
    return {row: cell_xml(f"{PANEL_COLUMN}{row}", label, "Every blank filled?"),
            row + 1: cell_xml(cell, parts.style_id(training, font=HEADER_FONT, alignment=LEFT),
                              True, ready_formula(exercise))}


def _lay_out_marks(workbook, training, exercise: Exercise, last_letter: str) -> dict[int, str]:
    """The hidden Answers sheet, each blank's answer from the cells above it, and a mark for
    each blank: its headers in the skeleton, its cells returned by row."""
    answers = workbook.create_sheet(ANSWERS_SHEET_NAME)
    answers.sheet_state = "hidden"
    answers["A1"] = ("What each blank of the Training sheet must hold, worked out from the "
                     "cells above it")
    letters = exercise.mark_letters(last_letter)
    training.column_dimensions[parts.column_after(last_letter, 1)].width = SPACER_WIDTH
    style = parts.style_id(training, alignment=CENTRED)
    cells: dict[int, list[str]] = {}
    for col, letter in letters.items():
        header = training[f"{letter}2"]
        header.value = f"✓ {col.header}"
        parts.apply_style(header, HEADER_FONT, parts.HEADER_FILL, parts.HEADER_BORDER, CENTRED)
        training.column_dimensions[letter].width = MARK_WIDTH
        rows = exercise.blank_rows(col)
        for mark, fill in ((RIGHT_MARK, RIGHT_FILL), (WRONG_MARK, WRONG_FILL)):
            # The blank itself turns green or red with its mark, where the student looks.
            training.conditional_formatting.add(
                f"{col.letter}{rows[0]}:{col.letter}{rows[-1]}",
                FormulaRule(formula=[f'{letter}{rows[0]}="{mark}"'], fill=fill))
        for row in rows:
            answer = exercise.answer_cell(col, row)
            answers[answer] = answer_formula(col, row)
            cells.setdefault(row, []).append(cell_xml(
                f"{letter}{row}", style, "", mark_formula(f"{col.letter}{row}",
                                                          f"{ANSWERS_SHEET_NAME}!{answer}")))
    parts.explain(training, f"{letters[exercise.columns[0]]}2", "Your marks",
                  f"✓ where the blank of the column named above holds the right number "
                  f"(within {RIGHT_WITHIN:g} of it, relative), ✗ where it does not, nothing "
                  "while it is empty.")
    return {row: "".join(texts) for row, texts in cells.items()}


_FORMULA_RESULT = re.compile(rb'(<c [^>]*>)(<f[^>]*/>|<f[^>]*>[^<]*</f>)(?:<v>[^<]*</v>|<v ?/>)')
_KIND = re.compile(rb' t="[^"]*"')


def without_results(worksheet_xml: bytes) -> bytes:
    """The worksheet with no formula's stored result: every engine computes it on opening
    (LibreOffice computes a formula that has none, whatever its settings)."""
    return _FORMULA_RESULT.sub(lambda cell: _KIND.sub(b"", cell.group(1)) + cell.group(2),
                               worksheet_xml)
