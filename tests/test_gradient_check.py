"""`--gradient-check`: beside every gradient, its central finite-difference estimate, computed
by the reference and written as exact formulas; the estimates agree with backpropagation, and
the summary leaves out the rows where a ratio of rounding noises would say nothing."""

import math
import re
import zipfile
from dataclasses import replace

import pytest
from helpers import write
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from runs import ARTICLE, xor_run

from sheetgen.cli import main
from sheetgen.engines.subjects import compare_network_values, network_reference
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths.datasets import seeded
from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.fields import (
    CHECKS,
    DIFFERENCE,
    LARGEST_DIFFERENCE,
    LOSS_DOWN,
    Kind,
    RowOrder,
    fields,
    parameter_field,
)
from sheetgen.maths.gradient_check import difference_of, estimate_of
from sheetgen.maths.network import Run
from sheetgen.maths.training import train
from sheetgen.maths.shape import Network, Parameter, Sample
from sheetgen.maths.summary import summarize
from sheetgen.sheets.network_sheet import describe

H = ARTICLE.gradient_step


def test_the_articles_row_3_estimates_agree_with_its_gradients_to_about_1e_9():
    row = next(train(ARTICLE))
    (weight, bias) = row.checks
    assert (row.weight_gradients[0][0][0], row.bias_gradients[0][0]) == (
        0.00286538703019183, 0.286538703019183)
    assert (weight.estimate, bias.estimate) == (0.0028653870387529423, 0.28653870304956586)
    assert 1e-10 < weight.difference < 1e-8 and 1e-11 < bias.difference < 1e-9
    assert weight.difference == abs(weight.estimate - 0.00286538703019183) / weight.estimate


def test_a_moved_loss_is_the_articles_loss_at_the_moved_parameter():
    """Written out by hand for the article's neuron: (tanh(x·w + b) − t)² / 2."""
    row = next(train(ARTICLE))
    x, t, w, b = 0.01, 0.1, 0.5, 0.5
    assert row.checks[0][:2] == ((math.tanh(x * (w + H) + b) - t)**2 / 2,
                                 (math.tanh(x * (w - H) + b) - t)**2 / 2)
    assert row.checks[1][:2] == ((math.tanh(x * w + (b + H)) - t)**2 / 2,
                                 (math.tanh(x * w + (b - H)) - t)**2 / 2)


def test_the_check_reads_the_training_and_never_steers_it():
    checked = list(train(replace(ARTICLE, attempts=50)))
    plain = list(train(replace(ARTICLE, attempts=50, gradient_step=None)))
    unchecked = fields(replace(ARTICLE, gradient_step=None))
    for with_check, without in zip(checked, plain):
        values = dict(zip(fields(ARTICLE), RowOrder(ARTICLE)(with_check)))
        assert tuple(values[field] for field in unchecked) == \
            RowOrder(replace(ARTICLE, gradient_step=None))(without)


def test_the_summary_leaves_out_the_converged_rows():
    """After convergence the differences are noise, up to 1; before, below 1e-7."""
    summary = summarize(train(ARTICLE), ARTICLE.loss_threshold)
    rows = list(train(ARTICLE))
    before = [c.difference for r in rows if r.loss >= ARTICLE.loss_threshold for c in r.checks]
    after = [c.difference for r in rows if r.loss < ARTICLE.loss_threshold for c in r.checks]
    assert summary.largest_difference == max(before) < 1e-7
    assert max(after) > 0.1
    assert summarize(train(replace(ARTICLE, gradient_step=None)),
                     1e-12).largest_difference is None


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4),
       activation=st.sampled_from(["tanh", "sigmoid", "linear"]),
       batch=st.sampled_from([None, 1]), seed=st.integers(0, 1000))
def test_backpropagation_agrees_with_its_estimates_in_any_smooth_network(sizes, activation,
                                                                         batch, seed):
    """The reference's chain rule checked against the finite differences, on random shapes:
    where a gradient stands clear of the estimate's rounding (about ε · error · output / H),
    they agree to 1e-5 relatively. (ReLU is left out: at its kink, where a net is within H of
    0, the loss has no slope to estimate.)"""
    weights, biases = seeded(tuple(sizes), seed)
    samples = tuple(Sample(tuple(0.3 * (i + s) - 0.4 for i in range(sizes[0])),
                           tuple(0.2 * (k - s) + 0.1 for k in range(sizes[-1])))
                    for s in range(3))
    run = Run(Network(tuple(sizes), (activation,) * (len(sizes) - 1)), samples, weights,
              biases, 0.1, 3, batch, gradient_step=H)
    checked, largest = 0, 0.0
    for row in train(run):
        for gradient, check in zip(_flat_gradients(row), row.checks):
            largest = max(largest, abs(gradient))
            if abs(gradient) > 1e-3 * math.sqrt(max(check.loss_up, check.loss_down)):
                assert check.difference < 1e-5, (gradient, check)
                checked += 1
    assert checked or largest < 1e-6   # a run that has nothing to learn checks nothing


def _flat_gradients(row):
    """The row's gradients in the order of its checks: each neuron's weights, then its bias."""
    for weights, biases in zip(row.weight_gradients, row.bias_gradients):
        for neuron, bias in zip(weights, biases):
            yield from neuron
            yield bias


def test_the_columns_of_the_articles_neuron(tmp_path):
    path = write(tmp_path / "a.xlsx", replace(ARTICLE, attempts=5))
    sheet = load_workbook(path)["Training"]
    assert [sheet[f"{letter}2"].value for letter in "MNOPQRSTUVWX"] == [
        "w x1→o1", "∂w x1→o1", "loss +H w x1→o1", "loss −H w x1→o1", "≈∂w x1→o1",
        "rel. diff. w x1→o1", "b o1", "∂b o1", "loss +H b o1", "loss −H b o1", "≈∂b o1",
        "rel. diff. b o1"]
    assert {letter: sheet[f"{letter}3"].value for letter in "OPQRUV"} == {
        "O": "=(TANH(F3*(M3+GRADIENT_STEP)+S3)-G3)^2/2",
        "P": "=(TANH(F3*(M3-GRADIENT_STEP)+S3)-G3)^2/2",
        "Q": "=(O3-P3)/(2*GRADIENT_STEP)",
        "R": "=IF(MAX(ABS(Q3),ABS(N3))=0,0,ABS(Q3-N3)/MAX(ABS(Q3),ABS(N3)))",
        "U": "=(TANH(F3*M3+(S3+GRADIENT_STEP))-G3)^2/2",
        "V": "=(TANH(F3*M3+(S3-GRADIENT_STEP))-G3)^2/2",
    }
    assert (sheet["Z1"].value, sheet["Z2"].value, sheet["Z3"].value) == (
        "Gradient check", "largest rel. diff.", "=MAX(R3,X3)")
    assert (sheet["A9"].value, sheet["A10"].value) == ("Step H (GRADIENT_STEP)", H)
    row, stored = next(train(ARTICLE)), load_workbook(path, data_only=True)["Training"]
    assert (stored["O3"].value, stored["Q3"].value, stored["X3"].value) == (
        row.checks[0].loss_up, row.checks[0].estimate, row.checks[1].difference)


def test_a_moved_loss_recomputes_every_layer_the_parameter_reaches(tmp_path):
    """A hidden weight's moved loss: its neuron computed again, the other hidden neuron read
    from the row, and the output computed again from both, for each sample."""
    run = replace(xor_run(("relu", "sigmoid"), attempts=3), gradient_step=H)
    sheet = describe(run)
    def letter(layer, neuron, source=None):
        return sheet.letter(parameter_field(Parameter(layer, neuron, source)))

    moved = sheet.column(parameter_field(Parameter(1, 0, 1), Kind.CHECK, LOSS_DOWN)).formula(4)
    hidden = f"MAX(0,F4*{letter(1, 0, 0)}4+G4*({letter(1, 0, 1)}4-GRADIENT_STEP)+" \
             f"{letter(1, 0)}4)"
    output = f"1/(1+EXP(-({hidden}*{letter(2, 0, 0)}4+L4*{letter(2, 0, 1)}4+" \
             f"{letter(2, 0)}4)))"
    assert moved.startswith(f"=(({output}-H4)^2/2+")
    assert moved.endswith(")/4") and moved.count("GRADIENT_STEP") == 4
    assert ACTIVATIONS["linear"].applied(["a*b+c"], 0) == "(a*b+c)"
    assert ACTIVATIONS["tanh"].applied(["a+b"], 0) == "TANH(a+b)"


def test_the_summary_cell_and_its_note(tmp_path):
    run = replace(ARTICLE, attempts=200)
    charts = load_workbook(write(tmp_path / "a.xlsx", run))["Charts"]
    assert charts["A9"].value == "Check: largest rel. diff."
    assert charts["A10"].value.text == (
        '=IF(MAX(Training!D3:D202)<LOSS_THRESHOLD,"none",MAX(IF(Training!D3:D202>=LOSS_THRESHOLD,'
        'Training!Z3:Z202)))')
    assert "converged" in charts["A11"].value
    values = load_workbook(tmp_path / "a.xlsx", data_only=True)["Charts"]
    assert values["A10"].value == summarize(train(run), 1e-12).largest_difference


def test_the_file_says_its_step_and_is_read_back(tmp_path):
    path = write(tmp_path / "x.xlsx", replace(xor_run(attempts=4), gradient_step=1e-5))
    workbook = read_network_workbook(path)
    assert workbook.run.gradient_step == 1e-5
    assert "GRADIENT_STEP" in load_workbook(path).defined_names
    assert read_network_workbook(write(tmp_path / "p.xlsx", xor_run(attempts=4))) \
        .run.gradient_step is None


def test_the_commands_write_the_check_beside_the_plain_workbook(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--gradient-check", "--attempts", "30"]) == 0
    largest = summarize(train(replace(ARTICLE, attempts=30)), 1e-12).largest_difference
    assert f"largest relative difference is {largest:.1e} (where" in capsys.readouterr().out
    assert (tmp_path / "output" / "single_neuron_training_gradient_check.xlsx").is_file()
    assert main(["network", "--preset", "xor", "--attempts", "20", "--gradient-check", "1e-4",
                 "--optimizer", "adam", "-q"]) == 0
    workbook = read_network_workbook(tmp_path / "output" / "xor_training_adam_gradient_check.xlsx")
    assert (workbook.run.gradient_step, workbook.run.optimizer) == (1e-4, "adam")


@pytest.mark.parametrize("arguments, message", [
    (["--gradient-check", "0"],
     "--gradient-check: must be above 0 (at least 1e-300) and at most 1, not 0"),
    (["network", "--gradient-check", "2"], "and at most 1, not 2"),
    (["network", "--gradient-check", "nan"], "and at most 1, not nan"),
    (["network", "--layers", "2,10,10,10,1", "--batch", "1", "--gradient-check"],
     "the MAX of the 261 weights' and biases' differences, and Excel's functions take 255"),
    (["network", "--preset", "xor", "--layers", "2,4,4,4,1", "--gradient-check"],
     "a formula of this network needs 8,411 characters"),
    (["network", "--layers", "2,6,6,6,1", "--gradient-check"],
     "a formula of this network needs 22,647 characters, and Excel takes 8,192: a "
     "gradient check's moved loss"),
])
def test_a_bad_step_or_too_long_a_formula_is_refused_in_one_line(tmp_path, capsys, arguments,
                                                                  message):
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main([*arguments, "-o", str(tmp_path / "w.xlsx")]))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not (tmp_path / "w.xlsx").exists()


def test_portable_functions_only_and_every_formula_fits_excel(tmp_path):
    run = replace(xor_run(("sigmoid", "tanh"), attempts=5), gradient_step=H)
    with zipfile.ZipFile(write(tmp_path / "x.xlsx", run)) as package:
        names = package.namelist()
        formulas = re.findall(r"<f[^>]*>([^<]*)</f>", "".join(
            package.read(name).decode() for name in names
            if name.startswith("xl/worksheets/sheet")))
    assert "xl/metadata.xml" not in names and not any("_xlfn" in f for f in formulas)
    assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", " ".join(formulas))) == {
        "TANH", "EXP", "MAX", "ABS", "IF", "IFERROR", "MATCH", "TRUE", "INDEX"}
    assert max(map(len, formulas)) <= 8192


def test_an_engines_estimate_must_be_its_own_moved_losses_arithmetic():
    """An engine whose moved loss is one ulp off the reference's (within 1e-12) moves its
    estimate by 7e-12, past the tolerance: that is honest, and passes. An estimate or a
    relative difference that is not its formula's arithmetic is caught."""
    run = replace(ARTICLE, attempts=3)
    sheet = describe(run)
    rows = [{col.letter: values[col.field] for col in sheet.columns}
            for values in network_reference(run)]
    assert compare_network_values(rows, sheet).mismatch is None
    weight = Parameter(1, 0, 0)   # into o1 from x1
    up, down, estimate, difference = (sheet.letter(parameter_field(weight, Kind.CHECK, part))
                                      for part in CHECKS)
    gradient = sheet.letter(parameter_field(weight, Kind.GRADIENT))
    honest = [dict(row) for row in rows]
    first = honest[0]
    first[up] = math.nextafter(first[up], 1.0)
    first[estimate] = estimate_of(first[up], first[down], H)
    first[difference] = difference_of(first[estimate], first[gradient])
    largest = sheet.letter(LARGEST_DIFFERENCE)
    bias = parameter_field(Parameter(1, 0, None), Kind.CHECK, DIFFERENCE)
    first[largest] = max(first[difference], first[sheet.letter(bias)])
    assert abs(first[estimate] - rows[0][estimate]) > 5e-12
    assert compare_network_values(honest, sheet).mismatch is None
    for letter in (estimate, difference, largest):
        wrong = [dict(row) for row in honest]
        wrong[0][letter] += 1e-9
        assert compare_network_values(wrong, sheet).mismatch.cell == f"{letter}3"


def test_the_charts_sheet_draws_the_differences_on_a_log_scale(tmp_path):
    """Six parameters' differences at most, on an axis that spans the run's own, beside an
    Optimizers chart still found where it now stands."""
    run = replace(xor_run(attempts=40), gradient_step=H, optimizer="adam", learning_rate=0.05,
                  settings={"BETA1": 0.9, "BETA2": 0.999, "EPSILON": 1e-8})
    path = write(tmp_path / "x.xlsx", run)
    with zipfile.ZipFile(path) as package:
        charts = {name: package.read(name).decode() for name in package.namelist()
                  if name.startswith("xl/charts/chart")}
        chart = charts["xl/charts/chart4.xml"]
        optimizers = next(xml for xml in charts.values() if "under each optimizer" in xml)
    assert "Gradient check: relative differences, log scale" in chart
    sheet = describe(run)
    columns = [sheet.letter(parameter_field(p, Kind.CHECK, DIFFERENCE))
               for p in run.network.parameters()][:6]
    assert re.findall(r"<yVal><numRef><f>'Training'!\$([A-Z]+)\$3:\$[A-Z]+\$42</f>",
                      chart) == columns
    differences = [check.difference for row in train(run) for check in row.checks[:9]]
    low, high = (float(value) for value in re.findall(r'<m(?:in|ax) val="([^"]+)"',
                                                       chart)[2:4][::-1])
    assert low <= min(d for d in differences if d > 0) and max(differences) <= high
    assert "1e-299" not in optimizers and "Loss under each optimizer" in optimizers
