"""Exercises without an engine: where the blanks are and what they say, the formulas around
them, the self-check's Answers sheet and marks, a file that holds no answer, the Notes, and
the refusals of `sheetgen exercise` and of `sheetgen grade` (those that need no engine)."""

import re
import shutil
import zipfile

import pytest
from helpers import sheet_part, with_cell_text
from openpyxl import load_workbook

from sheetgen import api
from sheetgen.cli import main
from sheetgen.engines.subjects import network_reference
from sheetgen.engines.grading import CannotGrade, agrees_to
from sheetgen.errors import InputError
from sheetgen.maths.neuron import Parameters, train
from sheetgen.sheets.columns import COLUMNS
from sheetgen.sheets.blanks import exercise_of
from sheetgen.sheets.network_sheet import describe
from sheetgen.writing.atomic import OutputError

BY_LETTER = {col.letter: col for col in COLUMNS}
SOFTMAX = dict(data=[((0.1, 0.2), (1, 0, 0)), ((0.5, -0.3), (0, 1, 0)),
                     ((-0.4, 0.6), (0, 0, 1))], layers="2,3,3", activation="tanh,softmax",
               loss="cross-entropy", attempts=20, learning_rate=0.5)


def article_exercise(tmp_path, **options):
    path = tmp_path / "e.xlsx"
    api.exercise(path, **{"blank": "Weight gradient,update", "attempts": 30, **options})
    return path


def parts_of(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode() for name in package.namelist()
                if name.endswith(".xml") or name.endswith(".rels")}


def test_the_blanks_are_empty_orange_cells_that_say_what_they_are(tmp_path):
    path = article_exercise(tmp_path)
    ws = load_workbook(path)["Training"]
    blanks = ["H3", "H4", "H5", "G4", "G5", "G6", "I4", "I5", "I6"]
    assert [ws[cell].value for cell in blanks] == [None] * 9
    assert {ws[cell].fill.fgColor.rgb for cell in blanks} == {"00FFCC99"}
    assert (ws["H3"].number_format, ws["G4"].number_format) == ("0.000E+00", "0.000000000")
    prompts = {str(v.sqref): (v.promptTitle, v.prompt) for v in ws.data_validations.dataValidation}
    assert prompts["H3:H5"] == ("Yours: Weight gradient", "Work out how the loss changes with "
                                "the weight: the bias gradient times the input.")
    assert prompts["G4:G6"][0] == "Yours: Weight"
    names = load_workbook(path).defined_names
    assert [(name, names[name].attr_text) for name in ("BLANKS_1", "BLANKS_2", "BLANKS_3")] == [
        ("BLANKS_1", "Training!$G$4:$G$6"), ("BLANKS_2", "Training!$H$3:$H$5"),
        ("BLANKS_3", "Training!$I$4:$I$6")]


def guarded(formula: str) -> str:
    return f'=IF(READY,{formula.removeprefix("=")},"")'


def test_the_rows_after_the_blanks_wait_for_them(tmp_path):
    """The blanks' rows compute from them; every later cell that follows from them, and the
    summary, waits for READY, which says whether every blank holds a number; the attempt
    number and the training pair, which follow from no blank, do not wait."""
    workbook = load_workbook(article_exercise(tmp_path))
    ws = workbook["Training"]
    assert [ws[cell].value for cell in ("G3", "I3", "J3", "H6", "J4", "K4", "K6")] == [
        "=INITIAL_WEIGHT", "=INITIAL_BIAS", "=P3*(1-L3^2)", "=J6*F6", "=P4*(1-L4^2)",
        "=F4*G4+I4", "=F6*G6+I6"]
    for row in range(7, 33):
        assert [ws[f"{letter}{row}"].value for letter in "GHIJKLPQ"] == [
            guarded(BY_LETTER[letter].formula(row)) for letter in "GHIJKLPQ"]
        assert [ws[f"{letter}{row}"].value for letter in "CDFNO"] == [
            BY_LETTER[letter].formula(row) or row - 2 for letter in "CDFNO"]
    assert (ws["A29"].value, ws["A30"].value) == ("Every blank filled?",
                                                  "=COUNT($G$4:$G$6,$H$3:$H$5,$I$4:$I$6)=9")
    assert workbook.defined_names["READY"].attr_text == "Training!$A$30"
    assert [ws[cell].value for cell in ("A23", "A25")] == ['=IF(READY,L32,"")',
                                                           '=IF(READY,Q32,"")']
    assert ws["A21"].value.text == ('=IF(READY,IFERROR(MATCH(TRUE(),Q3:Q32<LOSS_THRESHOLD,0),'
                                    '"never"),"")')


def test_a_cell_that_would_meet_an_empty_blank_in_its_row_waits_for_it(tmp_path):
    """A cross-entropy's loss takes the logarithm of the outputs: in the rows of blank
    outputs it waits for them, as does the row's loss, which reads it; what a later row
    reads (the errors, for the δs) computes from the blanks as they are."""
    path = tmp_path / "s.xlsx"
    api.network_exercise(path, blank="forward", rows=2, **SOFTMAX)
    ws = load_workbook(path)["Training"]
    assert [ws[cell].value for cell in ("AA3", "D3", "X3", "AA5")] == [
        '=IF(COUNT(S3,U3,W3)=3,-(I3*LN(S3)+J3*LN(U3)+K3*LN(W3)),"")',
        '=IF(COUNT(AX3,AZ3,BB3,CC3,CE3,CG3,S3,U3,W3)=9,(AA3+BF3+CK3)/3,"")',
        "=S3-I3", '=IF(READY,-(I5*LN(S5)+J5*LN(U5)+K5*LN(W5)),"")']


def test_readiness_counts_side_by_side_blanks_as_one_range(tmp_path):
    path = tmp_path / "b.xlsx"
    api.network_exercise(path, preset="xor", attempts=20, blank="backward", rows=2)
    ws = load_workbook(path)["Training"]
    assert ws["A10"].value == ("=COUNT($P$3:$R$4,$AD$3:$AF$4,$AR$3:$AT$4,$BF$3:$BH$4,"
                               "$BK$3:$BK$4,$BM$3:$BM$4,$BO$3:$BO$4,$BQ$3:$BQ$4,$BS$3:$BS$4,"
                               "$BU$3:$BU$4,$BX$3:$BX$4,$BZ$3:$BZ$4,$CB$3:$CB$4)=42")


def test_every_sheet_that_reads_the_training_after_the_blanks_waits_too(tmp_path):
    """The Charts sheet's summary and the Boundary sheet's maps read the training at its end
    and at SHOW_ATTEMPT: they wait; the Boundary sheet's grid and the Data sheet's
    standardised inputs, which the first rows read, do not."""
    path = tmp_path / "x.xlsx"
    api.network_exercise(path, preset="circle", attempts=20, samples=20, blank="δ h1",
                         rows=2, grid=10)
    workbook = load_workbook(path)

    def formulas(sheet: str) -> list[str]:
        return [cell.value for row in workbook[sheet].iter_rows() for cell in row
                if isinstance(cell.value, str) and cell.value.startswith("=")]
    summary = formulas("Charts")
    assert summary and all(formula.startswith("=IF(READY,") for formula in summary)
    boundary = formulas("Boundary")
    waiting = [formula for formula in boundary if formula.startswith("=IF(READY,")]
    assert any("Training!" in formula for formula in waiting)
    assert all("Training!" not in formula for formula in boundary if formula not in waiting)
    assert len(waiting) < len(boundary)   # the grid's coordinates wait for nothing
    data = formulas("Data")
    assert data and not any("READY" in formula for formula in data)


def _formula_cells(xml: str) -> list[str]:
    return re.findall(r"<f[^>]*>([^<]*)</f>", xml)


@pytest.mark.parametrize("kind", ["article", "xor", "softmax"])
def test_the_file_holds_no_answer(tmp_path, kind):
    """No formula keeps a result; no blank's formula or value is anywhere in the package."""
    path = tmp_path / "e.xlsx"
    if kind == "article":
        api.exercise(path, blank="backward,update", attempts=30)
        rows = [row._asdict() for row in train(Parameters(attempts=30))]
        columns, value = COLUMNS, lambda col, row: rows[row - 3][col.field]
    else:
        options = dict(preset="xor", attempts=30) if kind == "xor" else SOFTMAX
        api.network_exercise(path, blank="forward,backward,update", **options)
        run = api.network_run(**options)
        sheet = describe(run)
        rows = list(network_reference(run))
        columns, value = sheet.columns, lambda col, row: rows[row - 3][col.field]
    exercise = exercise_of(columns, ("backward", "update") if kind == "article" else
                           ("forward", "backward", "update"), 3, 30)
    parts = parts_of(path)
    everything = "".join(parts.values())
    with zipfile.ZipFile(path) as package:
        # The Data sheet's typed samples and initial weights may equal an answer, as the
        # first attempt's net of the sample (0, 0) is its bias.
        typed = parts[sheet_part(package, "Data")] if kind != "article" else ""
    computed = everything.replace(typed, "")
    assert not re.search(r"</f><v|<f [^>]*/><v", everything), "a formula kept its result"
    formulas = {text for xml in parts.values() for text in _formula_cells(xml)}
    texts = everything.replace("&amp;", "&")
    for col, row in exercise.cells():
        answer = col.formula(row).removeprefix("=")
        assert answer not in formulas and f">{answer}<" not in texts, (col.letter, row)
        number = value(col, row)
        if number not in (0, 1, -1):
            assert repr(number) not in computed, (col.letter, row, number)


def test_the_notes_and_headers_keep_the_blanked_formulas_to_themselves(tmp_path):
    workbook = load_workbook(article_exercise(tmp_path))
    notes = [[cell.value for cell in row] for row in workbook["Notes"].iter_rows()]
    listed = {row[0]: row[2] for row in notes if row[0] in BY_LETTER}
    assert listed["H"] == listed["G"] == listed["I"] == \
        "yours to work out (see the exercise in the Notes)"
    assert listed["J"] == "=P4*(1-L4^2)"
    section = [row[0] for row in notes if row[0] and "exercise" in str(row[0])]
    assert "The exercise" in section
    text = " ".join(str(row[0]) for row in notes if row[0])
    assert "rows 3 to 6 are yours to work out: Weight, Weight gradient, Bias" in text
    assert "as zeros" in text and "grades the filled-in file with 'sheetgen grade'" in text
    prompts = {str(v.sqref): v.prompt for v in workbook["Training"].data_validations.dataValidation}
    assert "J4*F4" not in prompts["H2"] and prompts["J2"].endswith("Row 4: =P4*(1-L4^2). "
                                                                   "See the Notes sheet.")


def test_a_self_check_hides_its_answers_and_marks_each_blank(tmp_path):
    workbook = load_workbook(article_exercise(tmp_path, self_check=True))
    answers = workbook["Answers"]
    assert answers.sheet_state == "hidden"
    # A column per blanked column (G, H, I), a row per blank, each at its Training row − 1.
    assert [answers[cell].value for cell in ("B3", "B5", "C2", "C4", "D3")] == [
        "=Training!G3-Training!H3*LEARNING_RATE", "=Training!G5-Training!H5*LEARNING_RATE",
        "=Training!J3*Training!F3", "=Training!J5*Training!F5",
        "=Training!I3-Training!J3*LEARNING_RATE"]
    training = workbook["Training"]
    assert [training[f"{letter}2"].value for letter in "STU"] == [
        "✓ Weight", "✓ Weight gradient", "✓ Bias"]
    assert training["T3"].value == ('=IF(ISBLANK(H3),"",IF(ISNUMBER(H3),IF(ABS(H3-Answers!C2)'
                                    '<=1E-09*ABS(Answers!C2),"✓","✗"),"✗"))')
    assert training["S3"].value is None and training["S4"].value.startswith("=IF(ISBLANK(G4)")
    colours = {(str(area.sqref), rule.formula[0], rule.dxf.fill.fgColor.rgb)
               for area in training.conditional_formatting for rule in area.rules}
    assert colours == {(f"{blank}{first}:{blank}{first + 2}", f'{mark}{first}="{sign}"', fill)
                       for blank, mark, first in (("G", "S", 4), ("H", "T", 3), ("I", "U", 4))
                       for sign, fill in (("✓", "00C6EFCE"), ("✗", "00FFC7CE"))}
    anchors = sorted(chart.anchor._from.col for chart in training._charts)
    assert anchors[0] == 22   # column W: past the marks S to U and a spacer
    notes = " ".join(str(row[0].value) for row in workbook["Notes"].iter_rows() if row[0].value)
    assert "The marks right of the table, from column S" in notes
    assert "hidden sheet Answers" in notes


def test_a_network_exercise_blanks_a_stage_in_every_sample(tmp_path):
    path = tmp_path / "x.xlsx"
    written = api.network_exercise(path, preset="xor", attempts=20, blank="δ h1", rows=2)
    sheet = describe(api.network_run(preset="xor", attempts=20))
    letters = [col.letter for col in sheet.columns if col.header == "δ h1"]
    assert len(letters) == 4 and written.blanks == 8 and written.headers == ("δ h1",)
    ws = load_workbook(path)["Training"]
    for letter in letters:
        col = next(c for c in sheet.columns if c.letter == letter)
        assert [ws[f"{letter}{row}"].value for row in (3, 4, 5, 6)] == [
            None, None, guarded(col.formula(5)), guarded(col.formula(6))]


def test_blanks_are_named_as_people_type_them():
    """ASCII for the sheet's symbols, in any case: the same columns as the headers."""
    columns = describe(api.network_run(preset="xor", attempts=20)).columns
    typed = exercise_of(columns, ("DELTA h1", "dw x1->h1", "db H1", "w x1->h1"), 2, 20)
    shown = exercise_of(columns, ("δ h1", "∂w x1→h1", "∂b h1", "w x1→h1"), 2, 20)
    assert typed == shown and len(typed.columns) == 7


BAD = [
    (["--blank", "Weight gradients"], "argument --blank: no column or stage 'Weight gradients' "
     "on this sheet; the closest: Weight gradient, Bias gradient, Weight"),
    (["--blank", "backwards"], "argument --blank: no column or stage 'backwards' on this "
     "sheet; the closest: backward, forward"),
    (["--blank", "Target"], "argument --blank: 'Target' is not worked out in any stage of an "
     "attempt (forward, errors, backward, update): choose a column of one"),
    (["--blank", "Attempt"], "argument --blank: 'Attempt' is a number typed in, not worked "
     "out: choose a column with a formula"),
    (["--blank", "Net,,Output"], "argument --blank: must list column headers or stages "
     "separated by commas, not 'Net,,Output'"),
    (["--blank", "Net", "--rows", "0"], "argument --rows: must be at least 1 row, not 0"),
    (["--blank", "Net", "--rows", "1001"], "argument --rows: 1,001 rows is more than the 1,000 "
     "attempts that have them"),
    (["--blank", "update", "--rows", "1000"], "argument --rows: 1,000 rows is more than the 999 "
     "attempts that have an update"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_a_bad_exercise_is_refused(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["exercise", *args, "-o", "never.xlsx"]))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.endswith(f": error: {message}\n") and error.count("\n") == 1, error
    options = {a.removeprefix("--").replace("-", "_"): b for a, b in zip(args[::2], args[1::2])}
    with pytest.raises(InputError) as raised:
        api.exercise(tmp_path / "never.xlsx", **options)
    assert str(raised.value) == message
    assert list(tmp_path.iterdir()) == []


def test_a_self_check_of_nothing_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = ("argument --self-check: there is nothing to check: name the columns or stages "
               "to leave blank with --blank")
    assert main(["exercise", "network", "--self-check", "-o", "never.xlsx"]) == 2
    assert capsys.readouterr().err == f"sheetgen: error: {message}\n"
    with pytest.raises(InputError, match="^argument --self-check: there is nothing"):
        api.network_exercise(tmp_path / "never.xlsx", self_check=True)
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_network_column_is_refused_in_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["exercise", "network", "--blank", "delta h9", "-o", "never.xlsx"]) == 2
    assert capsys.readouterr().err == ("sheetgen: error: argument --blank: no column or stage "
                                       "'delta h9' on this sheet; the closest: δ h2, δ h1, δ o1\n")
    assert list(tmp_path.iterdir()) == []


def grade_refusal(capsys, path) -> str:
    assert main(["grade", str(path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith(f"sheetgen grade: cannot grade {path}: ")
    with pytest.raises(CannotGrade) as raised:
        api.grade(path)
    assert error == f"sheetgen grade: cannot grade {path}: {raised.value}\n"
    return str(raised.value)


def test_grade_refuses_a_workbook_that_is_not_an_exercise(capsys, tmp_path):
    path = tmp_path / "w.xlsx"
    api.network(path, preset="xor", attempts=10)
    assert grade_refusal(capsys, path) == ("w.xlsx is not a sheetgen exercise: it names no "
                                           "blanks (BLANKS_1, …)")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    assert grade_refusal(capsys, text) == ("notes.xlsx is not a readable .xlsx workbook (File "
                                           "is not a zip file)")
    assert grade_refusal(capsys, tmp_path / "missing.xlsx") == "no such file"


def test_grade_refuses_a_tampered_layout(capsys, tmp_path):
    path = article_exercise(tmp_path)
    tampered = with_cell_text(path, tmp_path / "t.xlsx", "K4", "F4*G4+I4", "F4*G4")
    assert grade_refusal(capsys, tampered) == (
        "t.xlsx is not laid out as sheetgen wrote it: Training!K4 holds '=F4*G4', not "
        "'=F4*G4+I4'")
    moved = tmp_path / "m.xlsx"
    shutil.copy(path, moved)
    workbook = load_workbook(moved)
    workbook.defined_names["BLANKS_2"].attr_text = "Training!$H$4:$H$6"
    workbook.save(moved)
    assert grade_refusal(capsys, moved) == "m.xlsx: its blanks are not where sheetgen leaves them"
    for text, why in (("42", "not a range"),
                      ("Training!$H$4:$I$6", "not a column of the Training sheet's")):
        workbook.defined_names["BLANKS_2"].attr_text = text
        workbook.save(moved)
        assert grade_refusal(capsys, moved) == f"m.xlsx: BLANKS_2 names {text}, {why}"


def test_the_key_has_no_marks_to_print(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = ("argument --answers: not allowed with argument --self-check (the key has no "
               "marks)")
    assert main(["handout", "exercise", "--blank", "Net", "--self-check", "--answers"]) == 2
    assert capsys.readouterr().err == f"sheetgen: error: {message}\n"
    with pytest.raises(InputError) as raised:
        api.network_exercise_handout(blank="forward", self_check=True, answers=True)
    assert str(raised.value) == message
    assert list(tmp_path.iterdir()) == []


def test_grade_needs_libreoffice(capsys, tmp_path, monkeypatch):
    path = article_exercise(tmp_path)
    monkeypatch.setattr("sheetgen.engines.office_session.shutil.which", lambda program: None)
    message = ("grading works the answers out in LibreOffice through its Python bridge: "
               "install soffice and /usr/bin/python3's uno (Debian packages "
               "libreoffice-calc-nogui and python3-uno)")
    assert main(["grade", str(path), str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"sheetgen grade: {message}\n"
    with pytest.raises(CannotGrade) as raised:
        api.grade(path)
    assert str(raised.value) == message


def test_check_sends_an_exercise_to_grade(capsys, tmp_path):
    path = article_exercise(tmp_path)
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"sheetgen check: cannot check {path}: it is an exercise, with cells left for a class "
        "to fill in: 'sheetgen grade' marks it\n")


def test_an_exercise_leaves_out_the_sheets_that_would_train_its_answers(tmp_path):
    """The Sweep sheet's block at the article's rate, the Optimizers sheet's block of the
    run's own optimizer: each would train the same run, answers and all."""
    neuron = load_workbook(article_exercise(tmp_path))
    assert neuron.sheetnames == ["Training", "Notes"]
    notes = " ".join(str(row[0].value) for row in neuron["Notes"].iter_rows() if row[0].value)
    assert "Sweep" not in notes
    path = tmp_path / "adam.xlsx"
    api.network_exercise(path, preset="xor", optimizer="adam", attempts=20, blank="update")
    network = load_workbook(path)
    assert "Optimizers" not in network.sheetnames
    notes = " ".join(str(row[0].value) for row in network["Notes"].iter_rows() if row[0].value)
    assert "Optimizers" not in notes and "Adam" in notes


def test_an_optimizers_state_is_blank_from_the_first_row_a_weight_from_its_first_update(
        tmp_path):
    run = api.network_run(preset="xor", optimizer="adam", attempts=20)
    exercise = exercise_of(describe(run).columns, ("update",), 3, 20)
    rows = {col.header: (exercise.blank_rows(col)[0], exercise.blank_rows(col)[-1])
            for col in exercise.columns}
    assert rows["w x1→h1"] == rows["b o1"] == (4, 6)
    assert {span for header, span in rows.items() if header.startswith(("m ", "v "))} == {(3, 5)}


def test_the_maths_keeps_a_blanked_columns_formula_to_itself(tmp_path):
    notes = [[cell.value for cell in row]
             for row in load_workbook(article_exercise(tmp_path, blank="Weight gradient"))[
                 "Notes"].iter_rows()]
    steps = {row[0]: row[1] for row in notes if row[0] in ("Bias gradient", "Weight gradient")}
    assert steps == {
        "Bias gradient": "d net / d bias = 1, so by the chain rule the bias gradient is error × "
                         "(1 − output²): column J, =P*(1-L^2).",
        "Weight gradient": "d net / d weight = input, so the weight gradient is the bias "
                           "gradient times the input."}


@pytest.mark.parametrize("args", [["--blank", "backward", "--gradient-check"],
                                  ["--blank", "update", "--gradient-check", "1e-5"]])
def test_the_gradient_check_would_give_gradients_away(capsys, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    message = ("argument --gradient-check: not allowed with blanks of the backward or update "
               "stage: the check's estimates would give the gradients away")
    assert main(["exercise", "network", *args, "-o", "never.xlsx"]) == 2
    assert capsys.readouterr().err == f"sheetgen: error: {message}\n"
    with pytest.raises(InputError) as raised:
        api.exercise(tmp_path / "never.xlsx", blank=args[1], gradient_check=True)
    assert str(raised.value) == message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("typed, answer, digits, right", [
    (0.2865, 0.286538703019183, 4, True),       # rounded to 4 figures
    (0.2866, 0.286538703019183, 4, False),      # one off in the fourth
    (0.2865387, 0.286538703019183, 4, True),    # more figures than asked
    (0.28367, 0.286538703019183, 4, False),     # 1% off
    (0.29, 0.286538703019183, 2, True),
    (-2.865e-3, -0.0028653870301918304, 4, True),
    (-2.86e-3, -0.0028653870301918304, 4, False),
    (1.0e5, 99996.0, 4, True),                  # 99,996 to 4 figures is 1.000E+05
    (0.0, 0.0, 4, True),
    (1e-20, 0.0, 4, False),
])
def test_a_typed_number_is_right_to_its_significant_figures(typed, answer, digits, right):
    assert agrees_to(typed, answer, digits) is right


BAD_GRADES = [
    (["--digits", "0"], {"digits": 0}, InputError,
     "argument --digits: must be 1 to 15 significant figures, not 0"),
    (["--digits", "x"], {"digits": "x"}, InputError,
     "argument --digits: must be a whole number, not 'x'"),
    (["--class-table", "{tmp}/grades.txt"], {"table": "{tmp}/grades.txt"}, InputError,
     "argument --class-table: grades.txt must end in .csv or .xlsx"),
    (["--class-table", "{tmp}/no/such/grades.csv"], {"table": "{tmp}/no/such/grades.csv"},
     OutputError, "cannot write {tmp}/no/such/grades.csv: directory {tmp}/no/such does not "
                  "exist"),
]


@pytest.mark.parametrize("args, options, error, message", BAD_GRADES)
def test_a_bad_grading_is_refused_before_any_file_is_read(capsys, tmp_path, args, options,
                                                           error, message):
    message = message.format(tmp=tmp_path)
    args = [arg.format(tmp=tmp_path) for arg in args]
    options = {key: value.format(tmp=tmp_path) if isinstance(value, str) else value
               for key, value in options.items()}
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["grade", str(tmp_path), *args]))
    assert exit_info.value.code == 2
    error_line = capsys.readouterr().err
    assert error_line.endswith(f"{message}\n") and error_line.count("\n") == 1, error_line
    with pytest.raises(error) as raised:
        api.grade_class(tmp_path, **options)
    assert str(raised.value) == message
    assert list(tmp_path.iterdir()) == []


def test_a_folder_without_a_workbook_is_refused(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("no workbook here")
    assert main(["grade", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"sheetgen grade: {tmp_path} holds no .xlsx file\n"
    with pytest.raises(CannotGrade, match="holds no .xlsx file$"):
        api.grade_class(tmp_path)
