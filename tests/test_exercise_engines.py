"""Exercises in real engines: filled in through openpyxl and typed into a real LibreOffice, for
the article's neuron, an XOR network and a softmax network, `grade` finds exactly the right,
wrong and empty cells, and its answers are the reference's; the self-check's marks in
LibreOffice and Gnumeric; and an exercise as opened, its blanks empty, computes as an engine
computes empty cells, as zeros, with no error anywhere."""

import json
import math
import re
import warnings

import pytest
from helpers import edit_in_libreoffice, pdf_text, recalculated
from openpyxl import load_workbook

from sheetgen import api
from sheetgen.cli import main
from sheetgen.engines.grading import EMPTY, FORMULA, NUMBER, RIGHT, WRONG
from sheetgen.maths.fields import LOSS, row_values
from sheetgen.maths.network import train as train_network
from sheetgen.maths.neuron import Parameters, attempt, train
from sheetgen.sheets.columns import COLUMNS
from sheetgen.sheets.exercise import exercise_of, starts_typed
from sheetgen.sheets.network_sheet import describe

pytestmark = pytest.mark.engines
OPENPYXL_REMARKS = re.compile(r"Unexpected element '(even|first)(Header|Footer)' in state : "
                              r"\n\tworksheet -> headerFooter\n")

SOFTMAX = dict(data=[((0.1, 0.2), (1, 0, 0)), ((0.5, -0.3), (0, 1, 0)),
                     ((-0.4, 0.6), (0, 0, 1))], layers="2,3,3", activation="tanh,softmax",
               loss="cross-entropy", attempts=20, learning_rate=0.5)
KINDS = {
    "article": (dict(attempts=30), ("Weight gradient", "Bias gradient", "update"), 3),
    "xor": (dict(preset="xor", attempts=30), ("backward", "update"), 2),
    "softmax": (SOFTMAX, ("forward", "errors", "backward"), 2),
}


class Kind:
    """An exercise of one kind, written to `path`, with what its blanks must hold."""

    def __init__(self, name: str, path):
        options, blank, rows = KINDS[name]
        self.path = path
        if name == "article":
            api.exercise(path, blank=",".join(blank), rows=rows, **options)
            attempts = [a._asdict() for a in train(Parameters(**options))]
            columns = COLUMNS
        else:
            api.network_exercise(path, blank=",".join(blank), rows=rows, **options)
            run = api.network_run(**options)
            sheet = describe(run)
            attempts = [dict(zip(sheet.rows().fields, row_values(a))) for a in train_network(run)]
            columns = sheet.columns
        self.exercise = exercise_of(columns, blank, rows, options["attempts"])
        self.cells = [(f"{col.letter}{row}", col, row) for col, row in self.exercise.cells()]
        self.reference = {cell: attempts[row - 3][col.field] for cell, col, row in self.cells}

    def formulas(self) -> dict[str, str]:
        return {cell: col.formula(row) for cell, col, row in self.cells}

    def wrong(self) -> tuple[dict[str, str | float], set[str], str]:
        """Right formulas in every blank but two wrong ones (a sign flipped, and for an
        update the learning rate forgotten, or else a second sign) and one left empty: what
        the student typed, the wrong cells and the empty one."""
        typed: dict[str, str | float] = self.formulas()
        flipped = next(cell for cell, col, _ in self.cells
                       if abs(self.reference[cell]) > 1e-6 and not starts_typed(col))
        typed[flipped] = -self.reference[flipped]
        updates = [(cell, col, row) for cell, col, row in self.cells if starts_typed(col)]
        if updates:
            cell, col, row = updates[0]
            typed[cell] = col.formula(row).replace("*LEARNING_RATE", "")
        else:
            cell = next(c for c, _, _ in reversed(self.cells) if c != flipped)
            typed[cell] = "=-" + typed[cell].removeprefix("=")
        empty = next(c for c, _, _ in reversed(self.cells) if c not in (flipped, cell))
        del typed[empty]
        return typed, {flipped, cell}, empty


def computed_cells(path) -> dict[str, object]:
    """The Training sheet's values as an engine saved them, by address."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # Gnumeric's files have no default style
        sheet = load_workbook(path, data_only=True)["Training"]
    return {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row}


def filled_by_openpyxl(source, destination, typed: dict[str, str | float]):
    workbook = load_workbook(source)
    for cell, value in typed.items():
        workbook["Training"][cell] = value
    workbook.save(destination)
    return destination


def assert_graded(kind: Kind, path, wrong: set[str], empty: set[str], typed: str | None = None):
    graded = api.grade(path)
    statuses = {blank.cell: blank.status for blank in graded.blanks}
    assert statuses == {cell: WRONG if cell in wrong else EMPTY if cell in empty else RIGHT
                        for cell, _, _ in kind.cells}
    for blank in graded.blanks:
        if typed is not None and blank.status != EMPTY:
            assert blank.typed == typed, blank
        if blank.status == RIGHT and not wrong and not empty:
            # The answer LibreOffice worked out is the reference's (LibreOffice saves 15
            # digits), and the student's value is within it.
            assert math.isclose(blank.expected, kind.reference[blank.cell], rel_tol=1e-12,
                                abs_tol=1e-300), blank
    assert main(["grade", str(path)]) == (0 if not wrong and not empty else 1)
    return graded


@pytest.mark.parametrize("name", KINDS)
def test_grade_marks_right_formulas_right_numbers_and_wrong_answers(libreoffice, tmp_path, name,
                                                                    capsys):
    kind = Kind(name, tmp_path / "exercise.xlsx")
    formulas = filled_by_openpyxl(kind.path, tmp_path / "formulas.xlsx", kind.formulas())
    assert_graded(kind, formulas, set(), set(), FORMULA)
    numbers = filled_by_openpyxl(kind.path, tmp_path / "numbers.xlsx", kind.reference)
    assert_graded(kind, numbers, set(), set(), NUMBER)
    typed, wrong, empty = kind.wrong()
    graded = assert_graded(kind, filled_by_openpyxl(kind.path, tmp_path / "wrong.xlsx", typed),
                           wrong, {empty})
    flipped = next(b for b in graded.blanks if b.cell in wrong and b.typed == NUMBER)
    capsys.readouterr()
    assert main(["grade", str(tmp_path / "wrong.xlsx"), "--json"]) == 1
    marked = json.loads(capsys.readouterr().out)
    assert (marked["right"], marked["blanks"], marked["passed"]) == (
        len(kind.cells) - 3, len(kind.cells), False)
    assert {cell["cell"]: cell["status"] for cell in marked["cells"]} == {
        b.cell: b.status for b in graded.blanks}
    assert next(c for c in marked["cells"] if c["cell"] == flipped.cell) == {
        "cell": flipped.cell, "header": flipped.header, "status": WRONG, "typed": NUMBER,
        "found": flipped.found, "expected": flipped.expected}
    assert math.isclose(flipped.found, -kind.reference[flipped.cell], rel_tol=1e-14)
    assert math.isclose(flipped.expected, kind.reference[flipped.cell], rel_tol=1e-14)


@pytest.mark.parametrize("name", KINDS)
def test_grade_marks_what_a_real_libreoffice_session_typed(libreoffice, tmp_path, name):
    kind = Kind(name, tmp_path / "exercise.xlsx")
    # Every answer right, every other one typed as a number, as with a calculator.
    right = kind.formulas() | {cell: kind.reference[cell] for cell, _, _ in kind.cells[1::2]}
    typed, wrong, empty = kind.wrong()
    for typing, wrong_cells, empty_cells in ((right, set(), set()), (typed, wrong, {empty})):
        saved = edit_in_libreoffice(kind.path, tmp_path / "typed.xlsx", typing, tmp_path)
        graded = assert_graded(kind, saved, wrong_cells, empty_cells)
        kinds = {blank.cell: blank.typed for blank in graded.blanks}
        assert {cell: kinds[cell] for cell in typing} == {
            cell: FORMULA if isinstance(value, str) else NUMBER
            for cell, value in typing.items()}


@pytest.mark.parametrize("name", ["article", "softmax"])
def test_grade_reads_what_gnumeric_saved(gnumeric, libreoffice, tmp_path, name):
    kind = Kind(name, tmp_path / "exercise.xlsx")
    typed, wrong, empty = kind.wrong()
    filled = filled_by_openpyxl(kind.path, tmp_path / "filled.xlsx", typed)
    saved = tmp_path / "saved.xlsx"
    assert OPENPYXL_REMARKS.sub("", gnumeric.recalculate(filled, saved)) == ""
    assert_graded(kind, saved, wrong, {empty})


def test_the_self_check_marks_each_blank_live(engine, tmp_path):
    path = tmp_path / "exercise.xlsx"
    api.exercise(path, blank="Weight gradient,update", attempts=20, self_check=True)
    by_letter = {col.letter: col for col in COLUMNS}
    typed = {f"H{row}": by_letter["H"].formula(row) for row in (3, 4, 5)}
    typed |= {f"{letter}{row}": by_letter[letter].formula(row) for letter in "GI"
              for row in (4, 5)}
    typed["H4"] = "=J4*F4*2"
    typed["I5"] = "=I4-J4"
    filled = tmp_path / "computed.xlsx"
    remarks = engine.recalculate(filled_by_openpyxl(path, tmp_path / "filled.xlsx", typed),
                                 filled)
    # Gnumeric remarks on the empty header and footer elements that openpyxl, as the
    # student's program, saves: nothing about the exercise.
    assert OPENPYXL_REMARKS.sub("", remarks) == ""
    cells = computed_cells(filled)
    marks = {f"{blank}{row}": cells.get(f"{mark}{row}") or "" for blank, mark in
             (("G", "S"), ("H", "T"), ("I", "U")) for row in range(3, 7)}
    assert marks == {"G3": "", "G4": "✓", "G5": "✓", "G6": "",
                     "H3": "✓", "H4": "✗", "H5": "✓", "H6": "",
                     "I3": "", "I4": "✓", "I5": "✗", "I6": ""}


def test_an_exercise_as_opened_computes_its_blanks_as_zeros(engine, tmp_path):
    """Weight gradients blank in rows 3 to 5: the weight stays at 0.5 for three updates while
    the bias learns, and the run goes on from there; no cell holds an error."""
    path = tmp_path / "exercise.xlsx"
    api.exercise(path, blank="Weight gradient", attempts=40)
    computed = recalculated(engine, path)
    parameters = Parameters(attempts=40)
    bias = parameters.bias
    for number in (1, 2, 3):
        bias -= attempt(number, parameters.input, parameters.target, 0.5, bias).bias_gradient \
            * parameters.learning_rate
    expected = list(train(Parameters(weight=0.5, bias=bias, attempts=37)))
    cells = computed_cells(computed)
    assert [cells[f"G{row}"] for row in (3, 4, 5, 6)] == [0.5] * 4
    for row, reference in zip(range(6, 43), expected):
        for letter, name in (("G", "weight"), ("I", "bias"), ("L", "output"), ("Q", "loss")):
            assert math.isclose(cells[f"{letter}{row}"], getattr(reference, name),
                                rel_tol=1e-12), (row, letter)
    workbook = load_workbook(computed, data_only=True)
    errors = [(ws.title, cell.coordinate) for ws in workbook for row in ws.iter_rows()
              for cell in row if isinstance(cell.value, str) and cell.value.startswith("#")]
    assert errors == []


def test_a_default_libreoffice_computes_an_exercise_it_opens(libreoffice, tmp_path):
    """A person's LibreOffice, which keeps stored results as it finds them, works out an
    exercise's cells: it has none stored."""
    path = tmp_path / "exercise.xlsx"
    api.network_exercise(path, preset="xor", attempts=20, blank="δ h1", rows=2)
    saved = edit_in_libreoffice(path, tmp_path / "opened.xlsx", {}, tmp_path)
    run = api.network_run(preset="xor", attempts=20)
    sheet = describe(run)
    loss = sheet.letter(LOSS)
    cells = computed_cells(saved)
    # The first attempt's forward pass reads no blank; the updates after it read δ h1's.
    first = dict(zip(sheet.rows().fields, row_values(next(train_network(run)))))
    assert math.isclose(cells[f"{loss}3"], first[LOSS], rel_tol=1e-14)
    assert all(isinstance(cells[f"{loss}{row}"], float) for row in range(3, 23))


def test_the_handout_prints_empty_boxes_and_the_key_fills_them(libreoffice, tmp_path):
    exercise, key = tmp_path / "exercise.pdf", tmp_path / "key.pdf"
    options = ["--blank", "Weight gradient,Bias gradient", "--attempts", "40", "-q"]
    assert main(["handout", "exercise", *options, "-o", str(exercise)]) == 0
    assert main(["handout", "exercise", *options, "--answers", "-o", str(key)]) == 0
    blank, answered = pdf_text(exercise, 1), pdf_text(key, 1)
    # The first three attempts' gradients are boxes to fill: the weight and the bias stay
    # at 0.5 until they are, and attempt 4 works out attempt 1's gradients. The key has them
    # in attempt 1's row, and its weight and bias step from them.
    assert blank.count("2.865E-03") == answered.count("2.865E-03") == 1
    assert blank.count("0.500000000") == 8 and answered.count("0.500000000") == 2
    assert "rows 3 to 5 are yours to work out: Weight gradient, Bias gradient" in \
        " ".join(pdf_text(exercise, 2).split())
    assert "This is the key to an exercise" in " ".join(pdf_text(key, 2).split())


def test_grade_marks_texts_errors_and_borrowed_answers_wrong(libreoffice, tmp_path):
    """A text, a formula that errs, and formulas that read an Answers sheet, the workbook's
    own or one a student added, are each one wrong mark, never a traceback."""
    by_letter = {col.letter: col for col in COLUMNS}
    checked = tmp_path / "checked.xlsx"
    api.exercise(checked, blank="Weight gradient,Bias gradient", attempts=20, self_check=True)
    typed = {"J3": by_letter["J"].formula(3), "H3": "=Answers!C2", "J4": "a guess",
             "H4": "=1/0", "J5": by_letter["J"].formula(5), "H5": by_letter["H"].formula(5)}
    graded = api.grade(filled_by_openpyxl(checked, tmp_path / "c.xlsx", typed))
    assert {b.cell: (b.status, b.typed) for b in graded.blanks} == {
        "H3": (WRONG, FORMULA), "H4": (WRONG, FORMULA), "H5": (RIGHT, FORMULA),
        "J3": (RIGHT, FORMULA), "J4": (WRONG, "a text"), "J5": (RIGHT, FORMULA)}
    plain = tmp_path / "plain.xlsx"
    api.exercise(plain, blank="Weight gradient", attempts=20)
    workbook = load_workbook(plain)
    workbook.create_sheet("answers")["A1"] = Parameters().input * 0.286538703019183
    workbook["Training"]["H3"] = "=answers!A1"
    workbook.save(tmp_path / "p.xlsx")
    graded = api.grade(tmp_path / "p.xlsx")
    assert [(b.cell, b.status) for b in graded.blanks] == [
        ("H3", WRONG), ("H4", EMPTY), ("H5", EMPTY)]
