"""Exercises in real engines: filled in through openpyxl and typed into a real LibreOffice, for
the article's neuron, an XOR network and a softmax network, `grade` finds exactly the right,
wrong and empty cells, and its answers are the reference's; the self-check's marks in
LibreOffice and Gnumeric; and an exercise as opened, its blanks empty, computes as an engine
computes empty cells, as zeros, with no error anywhere."""

import json
import math
import re
import warnings
import zipfile

import pytest
from helpers import edit_in_libreoffice, pdf_text, poppler, recalculated
from openpyxl import load_workbook

from sheetgen import api
from sheetgen.cli import main
from sheetgen.engines.subjects import network_reference
from sheetgen.engines.grading import EMPTY, FORMULA, NUMBER, RIGHT, WRONG, agrees_to
from sheetgen.maths.neuron import Parameters, train
from sheetgen.sheets.columns import COLUMNS
from sheetgen.sheets.blanks import exercise_of
from sheetgen.sheets.exercise import starts_typed
from sheetgen.sheets.network_sheet import describe

pytestmark = pytest.mark.engines
OPENPYXL_REMARKS = re.compile(r"Unexpected element '((even|first)(Header|Footer)' in state : "
                              r"\n\tworksheet -> headerFooter|a:r' in state : \n\tchartSpace -> "
                              r"chart -> (plotArea -> valAx|legend) -> txPr -> p)\n")
"""What Gnumeric remarks on in a file that openpyxl, as the student's program, saved: the
empty header and footer elements, and the empty text run it adds to a chart's text."""

SOFTMAX = dict(data=[((0.1, 0.2), (1, 0, 0)), ((0.5, -0.3), (0, 1, 0)),
                     ((-0.4, 0.6), (0, 0, 1))], layers="2,3,3", activation="tanh,softmax",
               loss="cross-entropy", attempts=20, learning_rate=0.5)
KINDS = {
    "article": (dict(attempts=30), ("Weight gradient", "Bias gradient", "update"), 3),
    # Seed 1: the preset's seed 0 starts from round weights, whose sums meet other round
    # numbers of the sheet (a net of 0.25 and the loss of outputs all 0).
    "xor": (dict(preset="xor", attempts=30, seed=1), ("backward", "update"), 2),
    "softmax": (SOFTMAX, ("forward", "errors", "backward"), 2),
}


class Kind:
    """An exercise of one kind, written to `path` (with the stages or columns `blank`, or
    the kind's own), with what its blanks must hold."""

    def __init__(self, name: str, path, blank: tuple[str, ...] | None = None):
        options, own_blank, rows = KINDS[name]
        blank = blank or own_blank
        self.path = path
        if name == "article":
            api.exercise(path, blank=",".join(blank), rows=rows, **options)
            attempts = [a._asdict() for a in train(Parameters(**options))]
            columns = COLUMNS
        else:
            api.network_exercise(path, blank=",".join(blank), rows=rows, **options)
            run = api.network_run(**options)
            sheet = describe(run)
            attempts = list(network_reference(run))
            columns = sheet.columns
        self.attempts, self.columns = attempts, columns
        self.exercise = exercise_of(columns, blank, rows, options["attempts"])
        self.cells = [(f"{col.letter}{row}", col, row) for col, row in self.exercise.cells()]
        self.reference = {cell: self.value(col, row) for cell, col, row in self.cells}

    def value(self, col, row: int) -> float:
        return self.attempts[row - 3][col.field]

    def every_cell(self, first_row: int):
        """Each computed cell of the table from `first_row` on: address, column, row."""
        return [(f"{col.letter}{row}", col, row) for col in self.columns if col.later
                for row in range(first_row, len(self.attempts) + 3)]

    def operands(self, col, row: int) -> list[float]:
        """The values of the table's cells that the blank of `col` in `row` reads."""
        by_letter = {column.letter: column for column in self.columns}
        places = re.findall(r"(?<![A-Z!$])([A-Z]{1,3})([0-9]+)", col.formula(row).replace("$", ""))
        return [self.value(by_letter[letter], int(number)) for letter, number in places
                if letter in by_letter and int(number) >= 3 and by_letter[letter].later]

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
        "cell": flipped.cell, "header": flipped.header, "status": WRONG, "mark": WRONG,
        "typed": NUMBER, "found": flipped.found, "expected": flipped.expected}
    assert all("None" not in json.dumps(cell) and "null" not in json.dumps(cell)
               for cell in marked["cells"])
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


def test_an_exercise_as_opened_shows_nothing_after_its_blanks(engine, tmp_path):
    """Weight gradients blank in rows 3 to 5: the weight stays at 0.5 in those rows while the
    bias learns, and every row after them, and the summary, shows an empty text; no cell
    holds an error."""
    path = tmp_path / "exercise.xlsx"
    api.exercise(path, blank="Weight gradient", attempts=40)
    cells = computed_cells(recalculated(engine, path))
    assert [cells[f"G{row}"] for row in (3, 4, 5)] == [0.5] * 3
    assert cells["A30"] is False
    for row in range(6, 43):
        assert [cells.get(f"{letter}{row}") or "" for letter in "GHIJKLPQ"] == [""] * 8, row
        assert cells[f"O{row}"] == row - 2
    assert [cells.get(cell) or "" for cell in ("A21", "A23", "A25", "A27")] == [""] * 4
    workbook = load_workbook(recalculated(engine, path), data_only=True)
    assert not [(ws.title, cell.coordinate) for ws in workbook for row in ws.iter_rows()
                for cell in row if isinstance(cell.value, str) and cell.value.startswith("#")]


@pytest.mark.parametrize("name", KINDS)
def test_filled_blanks_train_the_rest_as_the_reference_does(engine, tmp_path, name):
    """Once every blank holds its right formula, READY is true and the engine computes every
    row after the blanks as the reference does, within 1e-12. The file stores no result, so
    every value is the engine's own."""
    kind = Kind(name, tmp_path / "exercise.xlsx")
    filled = filled_by_openpyxl(kind.path, tmp_path / "filled.xlsx", kind.formulas())
    computed = tmp_path / "computed.xlsx"
    assert OPENPYXL_REMARKS.sub("", engine.recalculate(filled, computed)) == ""
    cells = computed_cells(computed)
    last = kind.exercise.last_row
    for cell, col, row in kind.every_cell(last + 1):
        assert math.isclose(cells[cell], kind.value(col, row), rel_tol=1e-12, abs_tol=1e-300), \
            cell


def answers_leaked(kind: "Kind", workbook) -> list[tuple[str, str, str]]:
    """Every numeric cell of every sheet of the unfilled exercise as an engine worked it
    out that equals a blank's answer within 1e-9, relative. An answer that equals a value it
    is worked out from is on the sheet by the maths itself, not by a leak (the net of the
    input (0, 0) is the bias; the error of a target 0 is the output), and is not looked for."""
    sought = {address: kind.reference[address] for address, col, row in kind.cells
              if not any(same(kind.reference[address], value)
                         for value in kind.operands(col, row))}
    return [(sheet.title, cell.coordinate, address) for sheet in workbook
            for line in sheet.iter_rows() for cell in line
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
            for address, answer in sought.items() if same(answer, cell.value)]


def same(answer: float, value: float) -> bool:
    return abs(value - answer) <= 1e-9 * abs(answer)


@pytest.mark.parametrize("stage", ["forward", "errors", "backward", "update"])
@pytest.mark.parametrize("name", KINDS)
def test_no_cell_of_an_unfilled_exercise_gives_an_answer_away(libreoffice, tmp_path, name,
                                                              stage):
    kind = Kind(name, tmp_path / "exercise.xlsx", (stage,))
    workbook = load_workbook(recalculated(libreoffice, kind.path), data_only=True)
    assert answers_leaked(kind, workbook) == []
    assert not [(sheet.title, cell.coordinate) for sheet in workbook for row in sheet.iter_rows()
                for cell in row if isinstance(cell.value, str) and cell.value.startswith("#")]
    with zipfile.ZipFile(kind.path) as package:
        stored = "".join(package.read(part).decode() for part in package.namelist()
                         if part.startswith("xl/worksheets/"))
    assert not re.search(r"</f><v|<f [^>]*/><v", stored), "a formula kept its result"


def test_the_handout_prints_empty_boxes_and_the_key_fills_them(libreoffice, tmp_path):
    exercise, key = tmp_path / "exercise.pdf", tmp_path / "key.pdf"
    options = ["--blank", "Weight gradient,Bias gradient", "--attempts", "40", "-q"]
    assert main(["handout", "exercise", *options, "-o", str(exercise)]) == 0
    assert main(["handout", "exercise", *options, "--answers", "-o", str(key)]) == 0
    blank, answered = pdf_text(exercise, 1), pdf_text(key, 1)
    # The first three attempts' gradients are boxes to fill: the weight and the bias stay
    # at 0.5 in their rows, and nothing after them shows until they are filled, so no row
    # works attempt 1's gradients out. The key has them in attempt 1's row, and its weight
    # and bias step from them.
    assert blank.count("2.865E-03") == 0 and answered.count("2.865E-03") == 1
    assert blank.count("0.500000000") == 6 and answered.count("0.500000000") == 2
    notes = {path: " ".join(" ".join(pdf_text(path, page).split()) for page in range(
        3, int(poppler("pdfinfo", str(path)).split("Pages:")[1].split()[0]) + 1))
             for path in (exercise, key)}   # the table and its charts, then the Notes
    assert "rows 3 to 5 are yours to work out: Weight gradient, Bias gradient" in notes[exercise]
    assert "This is the key to an exercise" in notes[key]


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


def test_numbers_to_four_figures_pass_and_one_percent_off_fails(libreoffice, tmp_path,
                                                               capsys):
    kind = Kind("xor", tmp_path / "exercise.xlsx")
    rounded = {cell: float(f"{value:.4g}") for cell, value in kind.reference.items()}
    graded = api.grade(filled_by_openpyxl(kind.path, tmp_path / "rounded.xlsx", rounded))
    assert graded.passed and {blank.verdict for blank in graded.blanks} == {RIGHT}
    assert not api.grade(tmp_path / "rounded.xlsx", digits=6).passed
    off = rounded | {kind.cells[0][0]: kind.reference[kind.cells[0][0]] * 1.01}
    graded = api.grade(filled_by_openpyxl(kind.path, tmp_path / "off.xlsx", off))
    assert graded.cells(WRONG) == (kind.cells[0][0],)


def test_a_mistake_costs_its_own_mark_and_the_work_after_it_follows_through(
        libreoffice, tmp_path, capsys):
    """δ o1 in row 3 worked out wrong, and every other blank worked out by hand from it, as
    the student's own numbers: only that one is wrong, every other is right following it.
    A cell that holds the reference's own value, whatever it reads, is right too."""
    kind = Kind("xor", tmp_path / "exercise.xlsx")
    first = kind.cells[0][0]
    wrong = kind.formulas() | {first: kind.reference[first] * 1.2}
    worked = computed_cells(recalculated(libreoffice, filled_by_openpyxl(
        kind.path, tmp_path / "worked.xlsx", wrong)))
    by_hand = {cell: float(f"{worked[cell]:.6g}") for cell, _, _ in kind.cells}
    last = max(kind.cells, key=lambda cell: cell[2])[0]   # read by no other blank
    by_hand[last] = kind.reference[last]
    path = filled_by_openpyxl(kind.path, tmp_path / "by_hand.xlsx", by_hand)
    graded = api.grade(path)
    marks = {blank.cell: blank.verdict for blank in graded.blanks}
    assert marks.pop(first) == WRONG and marks.pop(last) == RIGHT
    # What P3 changes follows it; what it does not (the other samples' δs, the weights of
    # the inputs of the sample (0, 0)) is simply right.
    assert marks == {cell: RIGHT if agrees_to(by_hand[cell], kind.reference[cell], 4) else
                     f"right, following your {first}" for cell in marks}
    assert len([mark for mark in marks.values() if mark != RIGHT]) > len(marks) / 2
    capsys.readouterr()
    assert main(["grade", str(path)]) == 1
    report = capsys.readouterr().out
    expected = next(blank for blank in graded.blanks if blank.cell == first).expected
    assert f"  {first}  δ o1: wrong (a number, {by_hand[first]!r}; expected {expected!r})" \
        in report
    assert f"  {kind.cells[1][0]}  δ o1: right, following your {first} (a number)" in report
    assert "None" not in report and report.endswith(
        f"score: {len(kind.cells) - 1} of {len(kind.cells)} right (98%)\n")


def test_a_cell_that_reads_an_empty_one_says_so(libreoffice, tmp_path, capsys):
    kind = Kind("article", tmp_path / "exercise.xlsx", ("Weight gradient", "Bias gradient"))
    typed = kind.formulas()
    del typed["J3"]
    typed["H3"] = 0.5
    path = filled_by_openpyxl(kind.path, tmp_path / "gap.xlsx", typed)
    assert main(["grade", str(path)]) == 1
    report = capsys.readouterr().out
    assert (f"    H3  Weight gradient: wrong (a number, 0.5; expected "
            f"{kind.reference['H3']!r}; J3, which it reads, is empty)") in report
    assert "    J3  Bias gradient: empty" in report and "None" not in report


def test_a_class_is_graded_at_once_into_a_table(libreoffice, tmp_path, capsys):
    """A folder of five files: right, wrong, empty, not an exercise, not a zip. One line a
    file, the class's count, the table as CSV and as a workbook, exit status 2 for the files
    that cannot be graded."""
    kind = Kind("article", tmp_path / "exercise.xlsx")
    class_folder = tmp_path / "class"
    class_folder.mkdir()
    filled_by_openpyxl(kind.path, class_folder / "ada.xlsx", kind.formulas())
    typed, wrong, empty = kind.wrong()
    filled_by_openpyxl(kind.path, class_folder / "ben.xlsx", typed)
    filled_by_openpyxl(kind.path, class_folder / "cy.xlsx", {})
    api.network(class_folder / "dee.xlsx", preset="xor", attempts=10)
    (class_folder / "eve.xlsx").write_text("not a workbook")
    table = tmp_path / "grades.csv"
    assert main(["grade", str(class_folder), "--class-table", str(table)]) == 2
    out = capsys.readouterr().out.splitlines()
    n = len(kind.cells)
    ordered = sorted(wrong, key=[cell for cell, _, _ in kind.cells].index)
    assert out == [
        f"ada.xlsx  {n} of {n} right (100%)",
        f"ben.xlsx  {n - 3} of {n} right ({100 * (n - 3) / n:.0f}%); wrong "
        f"{' '.join(ordered)}; empty {empty}",
        f"cy.xlsx   0 of {n} right (0%); empty {' '.join(c for c, _, _ in kind.cells)}",
        "dee.xlsx  cannot grade: dee.xlsx is not a sheetgen exercise: it names no blanks "
        "(BLANKS_1, …)",
        "eve.xlsx  cannot grade: eve.xlsx is not a readable .xlsx workbook (File is not a zip "
        "file)",
        "class: 1 of 5 files fully right"]
    assert table.read_text().splitlines() == [
        "file,right,blanks,score,wrong,empty,note",
        f"ada.xlsx,{n},{n},1.0,,,",
        f"ben.xlsx,{n - 3},{n},{round((n - 3) / n, 4)!r},{' '.join(ordered)},{empty},3 to correct",
        f"cy.xlsx,0,{n},0.0,,{' '.join(c for c, _, _ in kind.cells)},{n} to correct",
        'dee.xlsx,,,,,,"dee.xlsx is not a sheetgen exercise: it names no blanks (BLANKS_1, …)"',
        "eve.xlsx,,,,,,eve.xlsx is not a readable .xlsx workbook (File is not a zip file)"]
    workbook = tmp_path / "grades.xlsx"
    results = api.grade_class([class_folder / "ada.xlsx", class_folder / "ben.xlsx"],
                              table=workbook)
    assert [result.right for result in results] == [n, n - 3]
    rows = list(load_workbook(workbook)["Grades"].iter_rows(values_only=True))
    assert rows[1][:4] == ("ada.xlsx", n, n, 1)
    assert main(["grade", str(class_folder / "ada.xlsx"), str(class_folder / "ada.xlsx")]) == 0
