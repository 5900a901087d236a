"""LibreOffice and Gnumeric recompute the gradient check's columns and its summary, from
spoiled stored results (the canary): every moved loss within 1e-12 of the reference, every
estimate and relative difference the exact arithmetic of the engine's own moved losses
(`check.own_arithmetic`: no engine's estimate can match another's to 1e-12); and they follow
a new H typed into its cell."""

from dataclasses import replace

import pytest
from helpers import (
    assert_matches_reference,
    check,
    letter,
    pdf_text,
    poppler,
    recalculated,
    rewrite_sheet,
    typed_numbers,
    with_wrong_results,
    write,
)
from runs import ARTICLE, xor_run

from sheetgen.cli import main
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.sheets.network_sheet import describe

RUNS = {
    "the article's neuron, past convergence": replace(ARTICLE, attempts=300),
    "three layers, one sample per attempt": replace(
        xor_run(("sigmoid", "relu", "linear"), sizes=(2, 3, 2, 1), batch=1, attempts=60),
        gradient_step=1e-5),
    "xor with adam": replace(xor_run(attempts=150), optimizer="adam", learning_rate=0.05,
                             settings={"BETA1": 0.9, "BETA2": 0.999, "EPSILON": 1e-8},
                             gradient_step=1e-6),
}


@pytest.mark.parametrize("name", RUNS)
def test_engine_recomputes_the_gradient_check(engine, tmp_path, name):
    run = RUNS[name]
    spoiled = with_wrong_results(write(tmp_path / "w.xlsx", run), tmp_path / "canary.xlsx")
    estimate = letter(describe(run), "≈∂b o1")
    assert read_network_workbook(spoiled).values.rows[2][estimate] == 12345   # the canary
    assert_matches_reference(read_network_workbook(recalculated(engine, spoiled)), run)


def test_engine_follows_a_new_step_typed_into_its_cell(engine, tmp_path):
    run = replace(xor_run(attempts=100), gradient_step=1e-6)
    cell = describe(run).panel.inputs[-1].cell
    edited = rewrite_sheet(write(tmp_path / "w.xlsx", run), tmp_path / "edited.xlsx",
                           typed_numbers({cell: 1e-3}))
    workbook = read_network_workbook(recalculated(engine, edited))
    assert workbook.run.gradient_step == 1e-3
    assert_matches_reference(workbook, replace(run, gradient_step=1e-3))


@pytest.mark.usefixtures("libreoffice", "gnumeric")
def test_sheetgen_check_proves_a_gradient_check_workbook(tmp_path):
    path = tmp_path / "checked.xlsx"
    assert main(["--gradient-check", "--attempts", "200", "-o", str(path), "-q"]) == 0
    status, report, errors = check(path)
    assert (status, errors) == (0, "")
    assert "libreoffice: 200 rows agree" in report and "gnumeric: 200 rows agree" in report
    assert "(a gradient check's estimates: their own moved losses' arithmetic)" in report


@pytest.mark.usefixtures("libreoffice")
def test_the_handout_prints_the_check_and_explains_it(tmp_path):
    path = tmp_path / "checked.pdf"
    assert main(["handout", "--gradient-check", "--attempts", "100", "-o", str(path),
                 "-q"]) == 0
    pages = int(poppler("pdfinfo", str(path)).split("Pages:")[1].split()[0])
    text = [pdf_text(path, page) for page in range(1, pages + 1)]
    assert "gradient check, H 1e-06" in text[0] and "Step H (GRADIENT_STEP)" in text[0]
    assert any("(column ≈∂w x1→o1)" in page for page in text)
    assert any("=(U4-V4)/(2*GRADIENT_STEP)" in page for page in text)
    assert any("Check: largest rel. diff." in page for page in text)
    assert any("The gradient check" in page and "truncation" in page for page in text)
