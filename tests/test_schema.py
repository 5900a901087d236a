"""Every kind of workbook sheetgen writes validates against the Open XML schemas and Excel's
own rules, with openxml-audit (a Python port of the Open XML SDK's validator): no error and
no warning. Excel cannot run here; this is the closest check of what it would say on opening,
or rewrite on saving, short of running it."""

from dataclasses import replace

import pytest
from helpers import require_module, write
from runs import OPTIMIZER_RUNS

from sheetgen.cli import main

pytestmark = pytest.mark.engines   # openxml-audit takes seconds a workbook

COMMANDS = {
    "article (with Sweep and Notes)": ["--attempts", "100"],
    "rust preset": ["--preset", "rust", "--attempts", "200"],
    "article, a chaotic rate": ["--learning-rate", "5", "--attempts", "100"],
    "xor preset": ["network", "--preset", "xor", "--attempts", "50"],
    "one sample per attempt, three layers": [
        "network", "--layers", "2,3,2,1", "--activation", "relu,sigmoid,linear", "--batch", "1",
        "--attempts", "30"],
    "a CSV-sized line": ["network", "--data", "line", "--layers", "1,1", "--activation",
                         "linear", "--attempts", "50"],
    "the article's neuron with momentum": ["--optimizer", "momentum", "--attempts", "100"],
    "the gradient check, with Adam": ["network", "--preset", "xor", "--gradient-check",
                                      "--optimizer", "adam", "--attempts", "10"],
    "the binary cross-entropy": ["network", "--activation", "tanh,sigmoid", "--loss",
                                 "cross-entropy", "--attempts", "30"],
    "iris (softmax, standardised, labels) one sample at a time, with Adam and the check": [
        "network", "--preset", "iris", "--batch", "1", "--optimizer", "adam",
        "--gradient-check", "--attempts", "6"],
    "iris in batches of 32 (the epoch's last of 22)": [
        "network", "--preset", "iris", "--batch", "32", "--attempts", "10"],
    "XOR one sample at a time, shuffled": [
        "network", "--preset", "xor", "--batch", "1", "--shuffle", "--attempts", "20"],
    "L2 and L1 with Adam, a decaying rate and the check": [
        "network", "--l2", "0.01", "--l1", "0.001", "--lr-decay", "0.5", "--optimizer", "adam",
        "--gradient-check", "--attempts", "10"],
    "labelled gauss points, half held out, standardised, in shuffled fives": [
        "network", "--data", "gauss", "--samples", "40", "--noise", "50", "--test-fraction",
        "0.5", "--layers", "2,2,1",
        "--activation", "tanh,sigmoid", "--loss", "cross-entropy", "--standardize", "--batch",
        "5", "--shuffle", "--attempts", "5"],
    "the spiral's features on a softmax, held out, drawn on a small grid": [
        "network", "--data", "spiral", "--samples", "20", "--features", "x1,x2,sin(x1),x1*x2",
        "--layers", "4,3,2", "--activation", "tanh,softmax", "--loss", "cross-entropy",
        "--test-fraction", "0.25", "--grid", "6", "--attempts", "5"],
    "the circle preset, a few attempts": ["network", "--preset", "circle", "--attempts", "20",
                                          "--grid", "10"],
    "digits drawn as pictures on the Data sheet, some held out": [
        "network", "--data", "digits", "--samples", "20", "--test-fraction", "0.25", "--layers",
        "64,10", "--activation", "softmax", "--loss", "cross-entropy", "--batch", "5",
        "--attempts", "5"],
    "an exercise of the article's gradients and updates, self-checked": [
        "exercise", "--blank", "Weight gradient,Bias gradient,update", "--self-check",
        "--attempts", "50"],
    "an exercise of XOR's backward pass": ["exercise", "network", "--preset", "xor", "--blank",
                                           "backward", "--rows", "2", "--attempts", "30"],
    "a softmax exercise of the forward pass, self-checked": [
        "exercise", "network", "--data", "iris", "--batch", "4", "--layers", "4,3,3",
        "--activation", "tanh,softmax", "--loss", "cross-entropy", "--blank", "forward",
        "--self-check", "--attempts", "10"],
}
"""Few attempts each: every attempt's row is built alike, and the validator takes seconds over
a thousand rows."""


@pytest.fixture(scope="module")
def validator():
    return require_module("openxml_audit", "openxml-audit").OpenXmlValidator(max_errors=0)


def findings(validator, path) -> list[tuple[str, str, str]]:
    result = validator.validate(str(path))
    return [(error.severity.value, error.part_uri, error.description) for error in result.errors]


@pytest.mark.parametrize("name", COMMANDS)
def test_the_command_writes_a_clean_workbook(validator, tmp_path, name):
    path = tmp_path / "w.xlsx"
    assert main([*COMMANDS[name], "-o", str(path), "-q"]) == 0
    assert findings(validator, path) == []


@pytest.mark.parametrize("name", ["xor-adam", "xor-batch-1-rmsprop", "article-momentum"])
def test_each_optimizer_and_its_optimizers_sheet_are_clean(validator, tmp_path, name):
    """30 attempts, as in COMMANDS."""
    run = replace(OPTIMIZER_RUNS[name], attempts=30)
    assert findings(validator, write(tmp_path / "w.xlsx", run)) == []


def test_the_validator_finds_what_openpyxl_alone_writes(validator, tmp_path):
    """The proof that the tests above can fail: openpyxl's own scatter chart, without the
    scatterStyle the schema requires, and its inline strings."""
    from openpyxl import Workbook
    from openpyxl.chart import Reference, ScatterChart, Series
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["x", "y"])
    for x in range(1, 5):
        sheet.append([x, x * x])
    chart = ScatterChart()
    chart.series.append(Series(Reference(sheet, min_col=2, min_row=2, max_row=5),
                               Reference(sheet, min_col=1, min_row=2, max_row=5)))
    sheet.add_chart(chart, "D2")
    workbook.save(tmp_path / "plain.xlsx")
    descriptions = " ".join(text for _, _, text in findings(validator, tmp_path / "plain.xlsx"))
    assert "scatterStyle" in descriptions and "inline-string" in descriptions
