"""LibreOffice, Gnumeric and `formulas` recompute classifying workbooks: the cross-entropy,
softmax, each sample's verdict, the accuracy, the summary and the confusion matrix, to within
1e-12 of the reference, from files whose every stored result is spoiled (the canary), and after
a measurement and the rate are edited in the file.

`sheetgen check` does the comparing here: it reads the run from the file's own cells, computes
the reference, has the engine recalculate and compares every computed cell, the summary, the
Optimizers sheet's blocks and the confusion matrix.
"""

import re
from dataclasses import replace

import pytest
from formulas_engine import assert_network_computed
from helpers import rewrite_sheet, set_input_cells, with_wrong_results, write
from runs import binary_run, softmax_run

from sheetgen import api
from sheetgen.engines.network_reading import read_network_workbook

RUNS = {
    "xor, sigmoid output": replace(binary_run(), attempts=60),
    "softmax, full batch": replace(softmax_run(), attempts=60),
    "softmax, one sample at a time, gradient check": replace(
        softmax_run(batch=1), attempts=20, gradient_step=1e-5),
    "softmax, Adam": replace(softmax_run(optimizer="adam"), attempts=40, learning_rate=0.05),
    "iris, standardised, full batch": api.network_run(preset="iris", attempts=4),
    "iris, standardised, one sample at a time": api.network_run(preset="iris", batch=1,
                                                                attempts=60),
}


def canary(path, tmp_path):
    """Every stored result spoiled: the rows', the summary's and the confusion matrix's, the
    labels' and an Optimizers sheet's where the file has them."""
    run = read_network_workbook(path, formulas=False).run
    sheets = ("Training", "Charts") + (("Data",) if run.classes else ()) + (
        ("Optimizers",) if run.optimizer != "gd" else ())
    return with_wrong_results(path, tmp_path / "spoiled.xlsx", sheets=sheets)


def assert_checked(path, engine: str, attempts: int):
    labels = bool(read_network_workbook(path, formulas=False).run.classes)
    result = api.check(path, engine)
    assert result.passed, result.report
    (found,) = result.engines
    assert found.training.compared_attempts == attempts
    others = dict(found.sheets)
    assert others["Charts sheet, confusion matrix"].mismatch is None, result.report
    assert ("Data sheet, labels" in others) == labels


@pytest.mark.parametrize("name", RUNS)
def test_engine_recomputes_a_classifying_workbook(engine, tmp_path, name):
    run = RUNS[name]
    assert_checked(canary(write(tmp_path / "w.xlsx", run), tmp_path), engine.name, run.attempts)


def test_engine_recomputes_a_workbook_of_text_labels(engine, tmp_path):
    data = tmp_path / "flowers.csv"
    data.write_text("petal,sepal,species\n0,0,setosa\n0,1,versicolor\n1,0,versicolor\n"
                    "1,1,virginica\n0.5,0.5,virginica\n")
    api.network(tmp_path / "w.xlsx", data=data, layers=(2, 3, 3),
                activation=("tanh", "softmax"), loss="cross-entropy", attempts=50,
                learning_rate=0.5)
    assert_checked(canary(tmp_path / "w.xlsx", tmp_path), engine.name, 50)


def test_engine_follows_a_measurement_and_the_rate_edited_in_the_file(engine, tmp_path):
    """A typed measurement and rate: the check's reference is built from the file's own cells,
    so it passes only where the engine's every row follows them."""
    run = RUNS["softmax, full batch"]
    source = set_input_cells(write(tmp_path / "w.xlsx", run), tmp_path / "rate.xlsx",
                             {"learning_rate": 0.8})

    def measurement(xml: str) -> str:
        xml, count = re.subn(r'(<c r="C9"[^>]*>)<v>[^<]*</v>', r"\g<1><v>0.25</v>", xml)
        assert count == 1
        return xml
    edited = rewrite_sheet(source, tmp_path / "edited.xlsx", measurement, sheets=("Data",))
    read = read_network_workbook(edited).run
    assert (read.learning_rate, read.samples[1].inputs) == (0.8, (0.0, 0.25))
    assert_checked(canary(edited, tmp_path), engine.name, run.attempts)


@pytest.mark.engines
@pytest.mark.parametrize("run", [binary_run(), softmax_run(batch=1),
                                 api.network_run(preset="iris", batch=1)],
                         ids=["xor, sigmoid output", "softmax, one sample at a time",
                              "iris, standardised, one sample at a time"])
def test_formulas_recomputes_a_classifying_workbook(tmp_path, run):
    run = replace(run, attempts=5)
    assert_network_computed(write(tmp_path / "w.xlsx", run), run)