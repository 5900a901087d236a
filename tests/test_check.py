"""`sheetgen check`: real engines recalculate a file, and the report says whether it agrees."""

import io
import re
import shutil
import zipfile

import pytest
from helpers import (
    check,
    edit_in_libreoffice,
    generate,
    rewrite_sheet,
    with_cell_text,
    with_wrong_results,
)
from openpyxl import Workbook

from sheetgen.engines.check import run_check
from sheetgen.engines.subjects import sensitive_from
from sheetgen.maths.neuron import Parameters


def test_default_workbook_passes_in_each_engine(engine, tmp_path):
    status, report, errors = check(generate(tmp_path / "w.xlsx"), engine.name)
    assert (status, errors) == (0, "")
    assert ("learning rate 0.1, input 0.01, target factor 10.0, initial weight 0.5, initial "
            "bias 0.5, loss threshold 1e-12, 1,000 attempts (rows 3 to 1,002)") in report
    assert "formulas: all 1,000 rows and the summary as sheetgen writes them" in report
    assert f"{engine.name}: 1,000 rows agree within 1e-12" in report
    assert "largest difference by column: C " in report
    assert report.endswith("result: OK\n")


@pytest.mark.usefixtures("libreoffice", "gnumeric")
def test_all_engines_by_default(tmp_path):
    status, report, _ = check(generate(tmp_path / "w.xlsx", Parameters(attempts=30)))
    assert status == 0
    assert "libreoffice: 30 rows agree" in report and "gnumeric: 30 rows agree" in report


def test_wrong_stored_results_are_recalculated_not_trusted(engine, tmp_path):
    source = generate(tmp_path / "w.xlsx", Parameters(attempts=100))
    status, report, _ = check(with_wrong_results(source, tmp_path / "spoiled.xlsx"),
                              engine.name)
    assert status == 0, report


def test_a_changed_formula_is_a_mismatch(engine, tmp_path):
    source = generate(tmp_path / "w.xlsx", Parameters(attempts=100))
    changed = with_cell_text(source, tmp_path / "changed.xlsx", "L50",
                             "<f>TANH(K50)</f>", "<f>TANH(K50)*1.001</f>")
    status, report, _ = check(changed, engine.name)
    assert status == 1
    assert "formulas: MISMATCH: L50 holds '=TANH(K50)*1.001', expected '=TANH(K50)'" in report
    assert re.search(rf"{engine.name}: MISMATCH after [\d.]+ s: [A-Q]50 holds", report)
    assert report.endswith("result: MISMATCH\n")


def test_a_typed_over_value_is_a_mismatch(engine, tmp_path):
    source = generate(tmp_path / "w.xlsx", Parameters(attempts=100))
    typed = with_cell_text(source, tmp_path / "typed.xlsx", "C20",
                           "<f>TRAINING_INPUT</f><v>0.01</v>", "<v>0.02</v>")
    status, report, _ = check(typed, engine.name)
    assert status == 1
    assert "formulas: MISMATCH: C20 holds 0.02, expected '=TRAINING_INPUT'" in report
    assert f"{engine.name}: MISMATCH" in report and "C20 holds 0.02, expected 0.01" in report


@pytest.mark.usefixtures("libreoffice")
def test_a_workbook_edited_and_saved_in_libreoffice(tmp_path):
    edited = edit_in_libreoffice(generate(tmp_path / "w.xlsx"), tmp_path / "edited.xlsx",
                                 {"A2": 0.5}, tmp_path)
    status, report, _ = check(edited)
    assert status == 0, report
    assert "learning rate 0.5," in report


@pytest.mark.usefixtures("gnumeric")
def test_chaotic_rate_5_on_gnumeric_is_told_apart_from_a_broken_sheet(tmp_path):
    parameters = Parameters(learning_rate=5, attempts=300)
    onset = sensitive_from(parameters)
    source = generate(tmp_path / "w.xlsx", parameters)
    status, report, _ = check(source, "gnumeric")
    assert status == 0, report
    assert (f"note: this run is chaotic from attempt {onset} (row {onset + 2})") in report
    assert f"gnumeric: {onset - 1} rows agree within 1e-12" in report
    # The same sheet with one formula changed deep in the chaotic part is still caught.
    changed = with_cell_text(source, tmp_path / "changed.xlsx", "J250",
                             "<f>P250*(1-L250^2)</f>", "<f>P250*(1-L250^2.0001)</f>")
    status, report, _ = check(changed, "gnumeric")
    assert status == 1
    assert "formulas: MISMATCH: J250" in report


def test_a_saturated_tanh_is_not_mistaken_for_chaos():
    # tanh(50.5) is 1.0 in every engine; a probe that stepped past 1 saw chaos at attempt 1.
    assert sensitive_from(Parameters(input=100)) is None


@pytest.mark.usefixtures("gnumeric")
def test_an_engine_that_returns_fewer_rows_is_a_mismatch(tmp_path, monkeypatch):
    source = generate(tmp_path / "w.xlsx", Parameters(attempts=30))
    short = generate(tmp_path / "short.xlsx", Parameters(attempts=29))
    monkeypatch.setattr("sheetgen.engines.programs.Gnumeric.recalculate",
                        lambda self, src, dst, timeout=0: shutil.copy(short, dst) and "")
    out = io.StringIO()
    assert not run_check(source, "gnumeric", out).passed
    assert "gnumeric: MISMATCH after" in out.getvalue()
    assert "it gave back 29 rows of the 30" in out.getvalue()


def test_sensitive_onset_comes_before_gnumeric_departs():
    # Measured: Gnumeric leaves the reference by more than 1e-12 at attempt 18 at rate 5.
    assert sensitive_from(Parameters(learning_rate=5)) <= 17
    assert sensitive_from(Parameters(learning_rate=0.1)) is None
    assert sensitive_from(Parameters(learning_rate=2)) is None


def not_a_zip(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("just text")
    return path


def zip_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return path


def workbook_without_training(tmp_path):
    path = tmp_path / "other.xlsx"
    workbook = Workbook()
    workbook.active.title = "Budget"
    workbook.save(path)
    return path


def text_where_the_rate_belongs(tmp_path):
    source = generate(tmp_path / "w.xlsx", Parameters(attempts=5))
    return rewrite_sheet(source, tmp_path / "text.xlsx", lambda xml: re.sub(
        r'<c r="A2"[^>]*><v>0.1</v></c>', '<c r="A2" t="inlineStr"><is><t>fast</t></is></c>',
        xml))


def text_where_the_input_belongs(tmp_path):
    source = generate(tmp_path / "w.xlsx", Parameters(attempts=5))
    return rewrite_sheet(source, tmp_path / "input.xlsx", lambda xml: re.sub(
        r'<c r="A5"[^>]*><v>0.01</v></c>', '<c r="A5" t="inlineStr"><is><t>ten</t></is></c>',
        xml))


def rate_out_of_range(tmp_path):
    source = generate(tmp_path / "w.xlsx", Parameters(attempts=5))
    return with_cell_text(source, tmp_path / "huge.xlsx", "A2", "<v>0.1</v>", "<v>1e200</v>")


def with_macros(tmp_path):
    path = generate(tmp_path / "macro.xlsx", Parameters(attempts=5))
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("xl/vbaProject.bin", b"Attribute VB_Name = \"Module1\"")
    return path


def zip_bomb(tmp_path):
    """A workbook whose sheet unpacks to 100 MB of nothing from about 100 KB."""
    path = generate(tmp_path / "bomb.xlsx", Parameters(attempts=5))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open("xl/worksheets/sheet9.xml", "w") as part:
            for _ in range(100):
                part.write(bytes(2**20))
    return path


def oversized(tmp_path):
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as file:
        file.truncate(600 * 2**20)   # sparse: no disk is used
    return path


@pytest.mark.parametrize("make, reason", [
    (lambda tmp: tmp / "missing.xlsx", "no such file"),
    (not_a_zip, "notes.xlsx is not a readable .xlsx workbook"),
    (zip_not_a_workbook, "archive.xlsx is not a readable .xlsx workbook"),
    (workbook_without_training, "other.xlsx has no sheet named 'Training'"),
    (text_where_the_rate_belongs, "the learning rate (A2) is 'fast', not a number"),
    (text_where_the_input_belongs, "the training input (A5) is 'ten', not a number"),
    (rate_out_of_range, "the learning rate (A2) is 1e+200, outside -1e+06 to 1e+06"),
    (with_macros, "macro.xlsx contains macros; sheetgen does not open macro-enabled workbooks"),
    (zip_bomb, "bomb.xlsx: xl/worksheets/sheet9.xml is packed 1,0"),
    (oversized, "huge.xlsx is 600 MB; sheetgen reads workbooks up to 512 MB"),
])
@pytest.mark.usefixtures("gnumeric")
def test_files_that_cannot_be_checked(tmp_path, make, reason):
    path = make(tmp_path)
    status, report, errors = check(path, "gnumeric")
    assert status == 2
    assert report == ""
    assert errors.startswith(f"sheetgen check: cannot check {path}: {reason}")
    assert errors.count("\n") == 1


@pytest.mark.usefixtures("gnumeric")
def test_run_check_reports_parameters_read_from_the_file(tmp_path):
    parameters = Parameters(learning_rate=0.25, input=0.05, target_factor=2, weight=-0.5,
                            bias=1.5, loss_threshold=1e-3, attempts=12)
    out = io.StringIO()
    assert run_check(generate(tmp_path / "w.xlsx", parameters), "gnumeric", out).passed
    assert ("learning rate 0.25, input 0.05, target factor 2.0, initial weight -0.5, initial "
            "bias 1.5, loss threshold 0.001, 12 attempts (rows 3 to 14)") in out.getvalue()


def test_a_wide_sheets_report_lists_its_largest_columns_only():
    """A digits network's row has thousands of columns: past a hundred, the report names the
    twelve with the largest differences, largest first, and counts the rest."""
    from sheetgen.engines.check import _largest_columns
    few = {"C": 0.0, "D": 2e-15}
    assert _largest_columns(few) == "C 0.0e+00  D 2.0e-15"
    assert _largest_columns({f"X{n}": 0.0 for n in range(100)}).count("X") == 100
    many = {f"X{n}": n * 1e-16 for n in range(1, 102)}
    assert _largest_columns(many) == (
        "  ".join(f"X{n} {n * 1e-16:.1e}" for n in range(101, 89, -1))
        + " (the 12 largest; the other 89 columns' are no larger)")
