"""Momentum, RMSProp and Adam: the reference against the update rules written out here
independently, the exact formulas of the state and update columns, the named hyperparameter
cells, the Optimizers sheet, and the command line's refusals."""

import math
import zipfile
from dataclasses import replace

import pytest
from helpers import headers, letter, rewrite_sheet, typed_numbers, write
from openpyxl import load_workbook
from runs import OPTIMIZER_RUNS, article_run, xor_run

from sheetgen.cli import main
from sheetgen.engines.subjects import compare_network_values
from sheetgen.engines.network_reading import read_network_workbook, read_optimizers_sheet
from sheetgen.maths.datasets import BUILT_IN
from sheetgen.maths.fields import RowOrder
from sheetgen.maths.network import Run
from sheetgen.maths.training import train
from sheetgen.maths.shape import Network
from sheetgen.maths.optimizers import OPTIMIZERS
from sheetgen.sheets.optimizers_sheet import describe_optimizers


def flat(weights, biases) -> list[float]:
    return [p for w, b in zip(weights, biases) for w_j, b_j in zip(w, b) for p in (*w_j, b_j)]


def textbook_step(optimizer: str, h: dict, p: list[float], g: list[float], state: dict,
                  t: int, lr: float) -> list[float]:
    """PyTorch's documented rules, written from the formulas, not from sheetgen's code."""
    if optimizer == "momentum":
        state["v"] = [h["MOMENTUM"] * v + g_i for v, g_i in zip(state["v"], g)]
        return [p_i - lr * v for p_i, v in zip(p, state["v"])]
    if optimizer == "rmsprop":
        rho, eps = h["RMS_DECAY"], h["EPSILON"]
        state["s"] = [rho * s + (1 - rho) * g_i * g_i for s, g_i in zip(state["s"], g)]
        return [p_i - lr * g_i / (math.sqrt(s) + eps) for p_i, g_i, s in zip(p, g, state["s"])]
    beta1, beta2, eps = h["BETA1"], h["BETA2"], h["EPSILON"]
    state["m"] = [beta1 * m + (1 - beta1) * g_i for m, g_i in zip(state["m"], g)]
    state["v"] = [beta2 * v + (1 - beta2) * g_i * g_i for v, g_i in zip(state["v"], g)]
    return [p_i - lr * (m / (1 - beta1**t)) / (math.sqrt(v / (1 - beta2**t)) + eps)
            for p_i, m, v in zip(p, state["m"], state["v"])]


@pytest.mark.parametrize("name", OPTIMIZER_RUNS)
def test_the_reference_steps_as_the_textbook_rules_do(name):
    """Each attempt's parameters are what the textbook rule makes of the attempt before's
    parameters and gradients, for 300 steps; the states are the rule's too."""
    run = OPTIMIZER_RUNS[name]
    attempts = list(train(run))
    count = run.network.parameter_count
    state = {s: [0.0] * count for s in run.rule.states}
    p = flat(run.weights, run.biases)
    for this, following in zip(attempts, attempts[1:]):
        assert flat(this.weights, this.biases) == pytest.approx(p, rel=1e-12, abs=1e-15)
        g = flat(this.weight_gradients, this.bias_gradients)
        p = textbook_step(run.optimizer, run.settings, p, g, state, this.number,
                          run.learning_rate)
        assert [s[k] for s in this.states for k in range(len(s))] == pytest.approx(
            [state[name][i] for i in range(count) for name in run.rule.states], rel=1e-12,
            abs=1e-15)
    if run.full_batch:
        assert attempts[-1].loss < attempts[0].loss / 2   # and they do learn


def test_plain_gradient_descent_is_unchanged_by_the_option():
    run = xor_run(attempts=100)
    plain = replace(run, optimizer="gd")
    assert list(map(RowOrder(run), train(run))) == list(map(RowOrder(plain), train(plain)))
    assert "v w x1→h1" in headers(replace(run, optimizer="momentum"))
    assert [h for h in headers(replace(run, optimizer="adam")) if h.endswith("b o1")] == [
        "b o1", "∂b o1", "m b o1", "v b o1"]


def test_defaults_fill_the_hyperparameters_not_given():
    assert OPTIMIZERS["adam"].settings({"BETA1": 0.5}) == {"BETA1": 0.5, "BETA2": 0.999,
                                                            "EPSILON": 1e-8}
    assert OPTIMIZERS["momentum"].settings() == {"MOMENTUM": 0.9}
    assert OPTIMIZERS["rmsprop"].settings() == {"RMS_DECAY": 0.99, "EPSILON": 1e-8}


def test_adam_columns_formulas_and_named_cells(tmp_path):
    run = article_run("adam", attempts=20)
    workbook = load_workbook(write(tmp_path / "adam.xlsx", run))
    training = workbook["Training"]
    headers = {training[f"{letter}2"].value: letter for letter in "MNOPQRSTU"}
    assert list(headers) == ["w x1→o1", "∂w x1→o1", "m w x1→o1", "v w x1→o1", "b o1",
                             "∂b o1", "m b o1", "v b o1", None]
    assert training["O3"].value == "=(1-BETA1)*N3"
    assert training["P3"].value == "=(1-BETA2)*N3^2"
    assert training["O4"].value == "=BETA1*O3+(1-BETA1)*N4"
    assert training["P4"].value == "=BETA2*P3+(1-BETA2)*N4^2"
    assert training["M4"].value == ("=M3-LEARNING_RATE*(O3/(1-BETA1^C3))"
                                    "/(SQRT(P3/(1-BETA2^C3))+EPSILON)")
    assert training["Q4"].value == ("=Q3-LEARNING_RATE*(S3/(1-BETA1^C3))"
                                    "/(SQRT(T3/(1-BETA2^C3))+EPSILON)")
    names = {name: workbook.defined_names[name].attr_text
             for name in ("BETA1", "BETA2", "EPSILON")}
    assert names == {"BETA1": "Training!$A$10", "BETA2": "Training!$A$13",
                     "EPSILON": "Training!$A$16"}
    assert [training[cell].value for cell in ("A9", "A10", "A13", "A16")] == [
        "β1 (BETA1)", 0.85, 0.995, 1e-6]
    assert "MOMENTUM" not in workbook.defined_names and "RMS_DECAY" not in workbook.defined_names
    assert workbook["Data"]["B5"].value == "adam"
    rules = {str(rule.sqref): (rule.type, rule.formula1, rule.formula2)
             for rule in training.data_validations.dataValidation}
    assert rules["A10"] == ("custom", "AND(A10>=0.0,A10<1)", None)   # β in [0, 1)
    assert rules["A16"] == ("decimal", "1e-300", "1000000.0")


@pytest.mark.parametrize("optimizer, state, update", [
    ("momentum", ("=N3", "=MOMENTUM*O3+N4"), "=M3-O3*LEARNING_RATE"),
    ("rmsprop", ("=(1-RMS_DECAY)*N3^2", "=RMS_DECAY*O3+(1-RMS_DECAY)*N4^2"),
     "=M3-LEARNING_RATE*N3/(SQRT(O3)+EPSILON)"),
])
def test_momentum_and_rmsprop_formulas(tmp_path, optimizer, state, update):
    training = load_workbook(write(tmp_path / "w.xlsx", article_run(optimizer, 5)))["Training"]
    assert (training["O3"].value, training["O4"].value) == state
    assert training["M4"].value == update


@pytest.mark.parametrize("name", ["xor-adam", "xor-batch-1-rmsprop", "article-momentum"])
def test_stored_results_are_the_references_in_both_sheets(tmp_path, name):
    run = replace(OPTIMIZER_RUNS[name], attempts=100)
    path = write(tmp_path / "w.xlsx", run)
    workbook = read_network_workbook(path)
    assert workbook.run == run
    comparison = compare_network_values(workbook.values.rows, workbook.sheet)
    assert comparison.mismatch is None and comparison.compared_attempts == run.attempts
    assert max(comparison.largest.values()) == 0.0
    optimizers = workbook.optimizers
    assert optimizers == describe_optimizers(run)
    rows = read_optimizers_sheet(path, optimizers, True).rows
    for block in optimizers.blocks:
        comparison = compare_network_values(rows, block.sheet)
        assert comparison.mismatch is None, (block.optimizer.name, comparison.mismatch)
        assert max(comparison.largest.values()) == 0.0


def test_the_optimizers_sheet(tmp_path):
    run = replace(xor_run(attempts=30), learning_rate=0.05, optimizer="adam",
                  settings={"BETA1": 0.85, "BETA2": 0.999, "EPSILON": 1e-8})
    # At most a thousand attempts, as the Sweep sheet; the file has 30, as openpyxl is slow.
    assert describe_optimizers(replace(run, attempts=1500)).attempts == 1000
    workbook = load_workbook(write(tmp_path / "w.xlsx", run))
    assert workbook.sheetnames == ["Training", "Charts", "Boundary", "Data", "Notes",
                                   "Optimizers"]
    sheet = workbook["Optimizers"]
    optimizers = describe_optimizers(run)
    labels = [sheet[f"A{entry.row - 1}"].value for entry in optimizers.panel.inputs]
    assert labels == ["Gradient descent: learning rate", "Momentum: learning rate",
                      "Momentum: Momentum", "RMSProp: learning rate", "RMSProp: RMS decay",
                      "RMSProp: ε", "Adam: learning rate", "Adam: β1", "Adam: β2", "Adam: ε"]
    values = [sheet[entry.cell].value for entry in optimizers.panel.inputs]
    assert values == [0.05, 0.05, 0.9, 0.05, 0.99, 1e-8, 0.05, 0.85, 0.999, 1e-8]
    adam = optimizers.blocks[-1]
    assert optimizers.attempts == 30
    weight = letter(adam.sheet, "w x1→h1")
    m, v = letter(adam.sheet, "m w x1→h1"), letter(adam.sheet, "v w x1→h1")
    attempt = letter(adam.sheet, "Attempt")
    assert sheet[f"{weight}3"].value == "=W_H1_X1"
    assert sheet[f"{weight}4"].value == (
        f"={weight}3-$A$20*({m}3/(1-$A$23^{attempt}3))/(SQRT({v}3/(1-$A$26^{attempt}3))"
        "+$A$29)")
    gd = optimizers.blocks[0]
    assert sheet[f"{letter(gd.sheet, 'b o1')}4"].value == (
        f"={letter(gd.sheet, 'b o1')}3-{letter(gd.sheet, '∂b o1')}3*$A$2")
    [chart] = sheet._charts
    assert chart.y_axis.scaling.logBase == 10
    assert [series.tx.v for series in chart.series] == [
        "Gradient descent", "Momentum", "RMSProp", "Adam"]


def test_gradient_descent_workbooks_have_no_optimizers_sheet(tmp_path):
    workbook = load_workbook(write(tmp_path / "w.xlsx", xor_run(attempts=10)))
    assert "Optimizers" not in workbook.sheetnames
    with zipfile.ZipFile(tmp_path / "w.xlsx") as package:
        # Training, Charts, Boundary (XOR's samples are points of the plane), Data, Notes.
        assert "xl/worksheets/sheet6.xml" not in package.namelist()


def test_the_article_command_writes_the_neuron_with_an_optimizer(tmp_path, capsys):
    target = tmp_path / "n.xlsx"
    assert main(["--optimizer", "rmsprop", "--rms-decay", "0.9", "--attempts", "50",
                 "-o", str(target)]) == 0
    workbook = read_network_workbook(target)
    assert workbook.run == Run(Network((1, 1), ("tanh",)), BUILT_IN["article"],
                               ((((0.5,),),)), ((0.5,),), 0.1, 50, optimizer="rmsprop",
                               settings={"RMS_DECAY": 0.9, "EPSILON": 1e-8})
    assert "RMSProp · learning rate 0.1" in capsys.readouterr().out


def test_an_optimizer_adds_its_name_to_the_default_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["network", "--preset", "xor", "--optimizer", "momentum", "--attempts", "5",
                 "-q"]) == 0
    assert main(["--optimizer", "adam", "--attempts", "5", "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [
        "single_neuron_training_adam.xlsx", "xor_training_momentum.xlsx"]


@pytest.mark.parametrize("args, message", [
    (["--optimizer", "sgd"], "invalid choice: 'sgd'"),
    (["--optimizer", "adam", "--beta1", "1"], "--beta1: must be at least 0 and below 1, not 1"),
    (["--optimizer", "adam", "--beta2", "-0.1"], "--beta2: must be at least 0 and below 1"),
    (["--optimizer", "rmsprop", "--rms-decay", "nan"], "must be at least 0 and below 1"),
    (["--optimizer", "adam", "--epsilon", "0"], "--epsilon: must be above 0"),
    (["--optimizer", "rmsprop", "--epsilon", "-1e-8"], "--epsilon: must be above 0"),
    (["--optimizer", "adam", "--epsilon", "1e-320"], "--epsilon: must be above 0 (at least"),
    (["--momentum", "0.5"], "--momentum is for --optimizer momentum, not gd"),
    (["--optimizer", "adam", "--momentum", "0.5"], "--momentum is for --optimizer momentum"),
    (["--optimizer", "momentum", "--epsilon", "1e-8"],
     "--epsilon is for --optimizer rmsprop or adam, not momentum"),
])
@pytest.mark.parametrize("command", [[], ["network"], ["handout"], ["handout", "network"]])
def test_bad_optimizer_input_is_one_line_exit_2_and_no_file(tmp_path, capsys, command, args,
                                                            message):
    suffix = ".pdf" if command[:1] == ["handout"] else ".xlsx"
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main([*command, *args, "-o", str(tmp_path / f"never{suffix}")]))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1 and "Traceback" not in error
    assert list(tmp_path.iterdir()) == []


def test_the_xor_preset_has_a_rate_for_each_optimizer_and_compares_them_at_theirs(tmp_path):
    target = tmp_path / "adam.xlsx"
    assert main(["network", "--preset", "xor", "--optimizer", "adam", "--attempts", "30",
                 "-o", str(target), "-q"]) == 0
    workbook = read_network_workbook(target)
    assert workbook.run.learning_rate == 0.05
    assert [block.sheet.run.learning_rate for block in workbook.optimizers.blocks] == [
        0.5, 0.1, 0.005, 0.05]
    assert main(["network", "--preset", "xor", "--optimizer", "adam", "--attempts", "30",
                 "--learning-rate", "0.02", "-o", str(target), "-q"]) == 0
    workbook = read_network_workbook(target)
    assert [block.sheet.run.learning_rate for block in workbook.optimizers.blocks] == [0.02] * 4


@pytest.mark.parametrize("args, message", [
    (["--layers", "2,40,40,1", "--optimizer", "adam"],
     "the Optimizers sheet of this network needs 25,620 columns (four copies of its row)"),
    (["--data", "line", "--activation", "linear", "--layers", "1,1", "--optimizer", "adam",
      "--learning-rate", "3"],
     "the Optimizers sheet's Gradient descent block overflows at attempt 514"),
])
def test_an_optimizers_sheet_that_cannot_be_is_refused_in_one_line(tmp_path, capsys, args,
                                                                   message):
    assert main(["network", *args, "-o", str(tmp_path / "never.xlsx")]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["--attempts", "50"],
                                     ["network", "--preset", "xor", "--attempts", "50"]])
def test_optimizer_gd_changes_no_byte(tmp_path, command):
    plain, chosen = tmp_path / "plain.xlsx", tmp_path / "gd.xlsx"
    assert main([*command, "-o", str(plain), "-q"]) == 0
    assert main([*command, "--optimizer", "gd", "-o", str(chosen), "-q"]) == 0
    assert plain.read_bytes() == chosen.read_bytes()


@pytest.mark.usefixtures("gnumeric")
def test_check_refuses_a_hyperparameter_outside_its_cells_range(tmp_path, capsys):
    """A file edited to an RMS decay of −0.9 would take the root of a negative number. The
    refusal comes before any engine runs, but `sheetgen check` first wants one installed."""
    source = write(tmp_path / "w.xlsx", OPTIMIZER_RUNS["xor-batch-1-rmsprop"])
    edited = rewrite_sheet(source, tmp_path / "e.xlsx", typed_numbers({"A10": -0.9}),
                           sheets=("Training",))
    assert main(["check", str(edited), "--engine", "gnumeric"]) == 2
    error = capsys.readouterr().err
    assert "RMS decay (RMS_DECAY) (A10) is -0.9, outside what the cell allows" in error
    assert error.count("\n") == 1
