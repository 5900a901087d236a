"""LibreOffice and Gnumeric recompute network workbooks to the reference's numbers.

Every workbook is first spoiled (all stored results 12345, the canary) so that only a real
recalculation can bring the numbers back.
"""

import re
from dataclasses import replace

import pytest
from helpers import (
    assert_matches_reference,
    check,
    edit_in_libreoffice,
    recalculated,
    rewrite_sheet,
    typed_numbers,
    typed_texts,
    with_wrong_results,
    write,
)
from runs import xor_run

from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.inputs.data_files import read_data
from sheetgen.maths import datasets
from sheetgen.maths.network import Network, Run


def csv_run(tmp_path) -> Run:
    path = tmp_path / "points.csv"
    path.write_text("a,b,target\n0.5,-1,0.25\n1.5,2,-0.5\n-0.25,0.75,0.8\n")
    samples = read_data(path, layers=(2, 3, 1)).samples
    weights, biases = datasets.seeded((2, 3, 1), 7)
    return Run(Network((2, 3, 1), ("sigmoid", "linear")), samples, weights, biases, 0.2, 120)


RUNS = {
    "xor-tanh": xor_run(attempts=300),
    "xor-sigmoid": xor_run(("sigmoid", "sigmoid"), attempts=300),
    "relu-hidden-linear-output": xor_run(("relu", "linear"), attempts=200),
    "leaky-relu-hidden-tanh-output": xor_run(("leaky_relu", "tanh"), sizes=(2, 3, 1),
                                             attempts=200),
    "line-one-linear-neuron": replace(xor_run(("linear",), sizes=(1, 1), data="line"),
                                      learning_rate=0.1, attempts=200),
    "xor-one-sample-per-attempt": xor_run(batch=1, attempts=300),
    "two-hidden-layers": xor_run(("tanh", "sigmoid", "tanh"), sizes=(2, 3, 2, 1),
                                 attempts=100),
}


@pytest.mark.parametrize("name", RUNS)
def test_engine_recomputes_the_network(engine, tmp_path, name):
    run = RUNS[name]
    spoiled = with_wrong_results(write(tmp_path / "w.xlsx", run), tmp_path / "canary.xlsx")
    assert read_network_workbook(spoiled).values.rows[5]["D"] == 12345   # the canary
    assert_matches_reference(read_network_workbook(recalculated(engine, spoiled)), run)


def test_engine_recomputes_a_csv_data_set(engine, tmp_path):
    run = csv_run(tmp_path)
    spoiled = with_wrong_results(write(tmp_path / "w.xlsx", run), tmp_path / "canary.xlsx")
    assert_matches_reference(read_network_workbook(recalculated(engine, spoiled)), run)


def set_data_cells(source, destination, changes: dict[str, float]):
    """Type new values into cells of the Data sheet, as a hand edit of the file would."""
    return rewrite_sheet(source, destination, typed_numbers(changes), sheets=("Data",))


def test_rows_follow_a_sample_an_initial_weight_and_the_rate_edited_after(engine, tmp_path):
    run = xor_run(attempts=200)
    source = write(tmp_path / "w.xlsx", run)
    edited = set_data_cells(source, tmp_path / "data.xlsx", {"C9": 0.75, "B15": -0.3})

    def rate(xml: str) -> str:
        xml, count = re.subn(r'(<c r="A2"[^>]*>)<v>[^<]*</v>', r"\g<1><v>0.9</v>", xml)
        assert count == 1
        return xml
    edited = rewrite_sheet(edited, tmp_path / "edited.xlsx", rate)
    samples = list(run.samples)
    samples[1] = samples[1]._replace(inputs=(0.0, 0.75))
    weights = ((( -0.3, run.weights[0][0][1]), run.weights[0][1]), run.weights[1])
    expected = replace(run, samples=tuple(samples), weights=weights, learning_rate=0.9)
    assert_matches_reference(read_network_workbook(recalculated(engine, edited)), expected)


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_user_edits_the_rate_a_sample_and_an_initial_weight(tmp_path):
    """A person opens the XOR workbook in LibreOffice as it comes, types new values and saves:
    every row follows (what LibreOffice saved has 15 significant digits)."""
    run = xor_run(attempts=200)
    edited = edit_in_libreoffice(write(tmp_path / "w.xlsx", run), tmp_path / "edited.xlsx",
                                 {"A2": 0.3, "Data!C9": 0.75, "Data!B15": -0.3}, tmp_path)
    samples = list(run.samples)
    samples[1] = samples[1]._replace(inputs=(0.0, 0.75))
    weights = (((-0.3, run.weights[0][0][1]), run.weights[0][1]), run.weights[1])
    expected = replace(run, samples=tuple(samples), weights=weights, learning_rate=0.3)
    assert_matches_reference(read_network_workbook(edited), expected)


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_as_it_comes_recalculates_a_generated_workbook_hard(tmp_path):
    """Data → Calculate → Recalculate Hard in LibreOffice with its default, multi-threaded
    calculation. sheetgen's stored results are the reference's, and the recalculation keeps
    every cell right (compare docs/engines.md, "Engine notes": from wrong stored results it
    does not).
    """
    run = RUNS["two-hidden-layers"]
    edited = edit_in_libreoffice(write(tmp_path / "w.xlsx", run), tmp_path / "hard.xlsx", {},
                                 tmp_path, recalculate_hard=True)
    assert_matches_reference(read_network_workbook(edited), run)


def test_check_passes_a_network_workbook(engine, tmp_path):
    source = with_wrong_results(write(tmp_path / "w.xlsx", RUNS["xor-one-sample-per-attempt"]),
                                tmp_path / "canary.xlsx")
    status, report, errors = check(source, engine.name)
    assert (status, errors) == (0, "")
    assert ("layers 2,2,1 · tanh,tanh · 4 samples, one sample per attempt · learning rate 0.5, "
            "loss threshold 1e-12, 300 attempts (rows 3 to 302)") in report
    assert "formulas: all 300 rows and the summary as sheetgen writes them" in report
    assert f"{engine.name}: 300 rows agree within 1e-12" in report
    assert report.endswith("result: OK\n")


def test_check_finds_a_changed_formula_and_a_typed_over_value(engine, tmp_path):
    source = write(tmp_path / "w.xlsx", xor_run(attempts=40))

    def edit(xml: str) -> str:
        # Later rows share row 4's formula; a changed one stands on its own.
        xml, changed = re.subn(r'(<c r="BO20"[^>]*>)<f[^>]*/>', r"\g<1><f>(Q20+AE20+AS20)/4</f>",
                               xml)
        xml, typed = re.subn(r'(<c r="BJ30"[^>]*>)<f[^>]*/><v>[^<]*</v>', r"\g<1><v>0.25</v>",
                             xml)
        assert changed == typed == 1
        return xml
    tampered = rewrite_sheet(source, tmp_path / "tampered.xlsx", edit)
    status, report, _ = check(tampered, engine.name)
    assert status == 1
    assert "formulas: MISMATCH: BO20 holds '=(Q20+AE20+AS20)/4', expected " in report
    assert f"{engine.name}: MISMATCH" in report and report.endswith("result: MISMATCH\n")


def test_check_refuses_a_network_workbook_without_its_shape(engine, tmp_path):
    source = write(tmp_path / "w.xlsx", xor_run(attempts=10))
    broken = rewrite_sheet(source, tmp_path / "broken.xlsx", typed_texts({"B3": "tanh,swish"}),
                           sheets=("Data",))
    status, _, errors = check(broken, engine.name)
    assert status == 2
    assert "does not say the network's layers, activations, batch and optimizer" in errors
