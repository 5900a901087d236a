"""Classification without an engine: the cross-entropy's gradients against autograd and finite
differences, softmax, each sample's verdict and the accuracy, the refusals, and the formulas
and cells a classifying workbook holds."""

import math
from dataclasses import replace
from pathlib import Path

import autograd.numpy as anp
import pytest
from autograd import grad
from autograd_reference import flat, numpy_loss
from helpers import write
from runs import THREE_CLASSES, XOR, binary_run, softmax_run
from openpyxl import load_workbook

from sheetgen import InputError, api
from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.classification import Verdict, refusal, verdict
from sheetgen.maths.losses import BINARY_CROSS_ENTROPY, CATEGORICAL_CROSS_ENTROPY
from sheetgen.maths.network import Run
from sheetgen.maths.training import Saturation, attempt, train
from sheetgen.maths.shape import Network, Sample
from sheetgen.maths.summary import summarize_run

RUNS = {"binary, full batch": binary_run(), "binary, one sample": binary_run(batch=1),
        "softmax, full batch": softmax_run(), "softmax, one sample": softmax_run(batch=1),
        "softmax, Adam": softmax_run(optimizer="adam")}
AUTOGRAD_RUNS = {**RUNS, "64-16-10 digits, batches of 10": api.network_run(
    data="digits", samples=30, layers="64,16,10", activation="tanh,softmax",
    loss="cross-entropy", batch=10, shuffle=True, seed=1, attempts=8)}
"""The runs whose gradients autograd checks: the small ones, and a picture's 64 inputs."""


def attempt_number(run: Run, number: int):
    return next(this for this in train(run) if this.number == number)


@pytest.mark.parametrize("name", AUTOGRAD_RUNS)
@pytest.mark.parametrize("number", [1, 2, 7])
def test_cross_entropy_gradients_equal_autograds(name, number):
    run = AUTOGRAD_RUNS[name]
    this = attempt_number(run, number)
    parameters = ([anp.array(w, dtype=float) for w in this.weights],
                  [anp.array(b, dtype=float) for b in this.biases])
    theirs = grad(numpy_loss)(parameters, run.network.activations, run.samples_of(number))
    assert this.loss == pytest.approx(numpy_loss(parameters, run.network.activations,
                                                 run.samples_of(number)), rel=1e-14)
    ours = flat(this.weight_gradients) + flat(this.bias_gradients)
    theirs = flat([g.tolist() for g in theirs[0]]) + flat([g.tolist() for g in theirs[1]])
    assert max(abs(g) for g in ours) > 1e-3
    for a, b in zip(ours, theirs, strict=True):
        assert abs(a - b) <= 1e-12 * max(abs(a), abs(b)) + 1e-16, (a, b)


@pytest.mark.parametrize("name", RUNS)
def test_central_finite_differences_agree_with_the_cross_entropy_gradients(name):
    run, h = RUNS[name], 1e-6
    this = attempt_number(run, 3)
    parameters = flat(this.weights) + flat(this.biases)
    gradients = flat(this.weight_gradients) + flat(this.bias_gradients)
    for index, gradient in enumerate(gradients):
        def loss(step):
            moved = [p + step if k == index else p for k, p in enumerate(parameters)]
            weights = rebuild(this.weights, moved)
            biases = rebuild(this.biases, moved[len(flat(this.weights)):])
            return attempt(run, 3, weights, biases).loss
        estimate = (loss(h) - loss(-h)) / (2 * h)
        assert abs(estimate - gradient) <= 1e-6 * abs(gradient) + 1e-9, (index, gradient)


def rebuild(shape, values):
    """`values`, in order, nested as `shape` is."""
    values = iter(values)

    def walk(item):
        return tuple(map(walk, item)) if isinstance(item, (list, tuple)) else next(values)
    return walk(shape)


def test_softmax_as_the_formula_computes_it():
    softmax = ACTIVATIONS["softmax"]
    assert softmax.output_formula(["M4", "O4", "Q4"], 1) == (
        "=EXP(O4-MAX(M4,O4,Q4))/(EXP(M4-MAX(M4,O4,Q4))+EXP(O4-MAX(M4,O4,Q4))"
        "+EXP(Q4-MAX(M4,O4,Q4)))")
    z = [0.3, -1.2, 2.5]
    m = max(z)
    powers = [math.exp(x - m) for x in z]
    assert softmax.outputs(z) == [p / (powers[0] + powers[1] + powers[2]) for p in powers]
    assert softmax.outputs([1000.0, 999.0]) == pytest.approx([1 / (1 + math.exp(-1)),
                                                              1 / (1 + math.e)])
    assert softmax.applied(["A1*B1+C1", "D1"], 0) == (
        "EXP((A1*B1+C1)-MAX((A1*B1+C1),D1))/(EXP((A1*B1+C1)-MAX((A1*B1+C1),D1))"
        "+EXP(D1-MAX((A1*B1+C1),D1)))")


def test_the_cross_entropies_in_cells_and_in_floats():
    assert BINARY_CROSS_ENTROPY.term_formula("N4", "J4") == "(J4*LN(N4)+(1-J4)*LN(1-N4))"
    assert CATEGORICAL_CROSS_ENTROPY.term_formula("S4", "I4") == "I4*LN(S4)"
    assert BINARY_CROSS_ENTROPY.delta_formula("O4", "(N4*(1-N4))") == "=O4"
    assert BINARY_CROSS_ENTROPY.terms([0.8], [1.0], [-0.2]) == [1.0 * math.log(0.8) + 0.0]
    assert BINARY_CROSS_ENTROPY.of_sample([-0.5, -0.25]) == 0.75
    assert BINARY_CROSS_ENTROPY.of_row([[-0.5], [-0.25]], 2) == 0.375
    sigmoid, softmax = ACTIVATIONS["sigmoid"], ACTIVATIONS["softmax"]
    assert BINARY_CROSS_ENTROPY.for_output(sigmoid) is BINARY_CROSS_ENTROPY
    assert BINARY_CROSS_ENTROPY.for_output(softmax) is CATEGORICAL_CROSS_ENTROPY
    assert BINARY_CROSS_ENTROPY.output_deltas(sigmoid, [0.4], [0.6], [-0.4]) == [-0.4]


def test_each_sample_gets_a_verdict_and_the_row_its_accuracy():
    softmax = Network((2, 3, 3), ("tanh", "softmax"))
    assert verdict(softmax, [0.2, 0.5, 0.3], [0.0, 1.0, 0.0]) == Verdict(2, 2, 1.0)
    assert verdict(softmax, [0.4, 0.4, 0.2], [0.0, 1.0, 0.0]) == Verdict(2, 1, 0.0)  # ties: first
    one = Network((2, 2, 1), ("tanh", "sigmoid"))
    assert verdict(one, [0.5], [1.0]) == Verdict(2, 2, 1.0)
    assert verdict(one, [0.49], [1.0]) == Verdict(2, 1, 0.0)
    several = Network((2, 2, 2), ("tanh", "sigmoid"))
    assert verdict(several, [0.7, 0.2], [1.0, 0.0]) == Verdict(None, None, 1.0)
    assert verdict(several, [0.7, 0.6], [1.0, 0.0]) == Verdict(None, None, 0.0)
    this = next(train(softmax_run()))
    assert this.accuracy == sum(v.right for v in this.verdicts) / 5


def test_one_sample_at_a_time_the_summary_sees_each_samples_last_visit():
    run = replace(softmax_run(batch=1), attempts=400, learning_rate=0.3)
    attempts = list(train(run))
    summary = summarize_run(run)
    last = attempts[-5:]
    assert summary.final_accuracy == sum(a.accuracy for a in last) / 5
    streaks = [a.streak for a in attempts]
    assert summary.all_right_from == streaks.index(5) + 1
    assert all(later == (earlier + 1 if a.accuracy == 1 else 0)
               for earlier, later, a in zip(streaks, streaks[1:], attempts[1:]))
    assert sum(summary.confusion.values()) == 5


@pytest.mark.parametrize("network, loss, samples, message", [
    (Network((2, 2, 1), ("tanh", "tanh")), "cross-entropy", XOR,
     "--loss cross-entropy needs a sigmoid or softmax output layer, not tanh "
     "(--activation …,sigmoid)"),
    (Network((2, 2, 3), ("softmax", "softmax")), "cross-entropy", THREE_CLASSES,
     "softmax is for the output layer only, not hidden layer 1"),
    (Network((2, 2, 1), ("tanh", "softmax")), "cross-entropy", XOR,
     "softmax needs at least 2 outputs, one per class; for a single output use sigmoid"),
    (Network((2, 3, 3), ("tanh", "softmax")), "mse", THREE_CLASSES,
     "softmax goes with --loss cross-entropy, not mse"),
    (Network((2, 2, 1), ("tanh", "sigmoid")), "cross-entropy",
     (Sample((0.0, 0.0), (2.0,)),), "--loss cross-entropy needs targets between 0 and 1; "
                                    "sample 1's target is 2"),
    (Network((2, 3, 3), ("tanh", "softmax")), "cross-entropy",
     (*THREE_CLASSES, Sample((1.0, 1.0), (0.5, 0.5, 0.0))),
     "softmax needs one class per sample, its targets one 1 and the rest 0; sample 6's are "
     "0.5, 0.5, 0"),
])
def test_outputs_losses_and_targets_that_do_not_go_together_are_refused(network, loss, samples,
                                                                         message):
    assert refusal(network, loss, samples) == message
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Run(network, samples, (), (), loss=loss)


def test_an_output_saturating_at_1_is_refused_with_its_attempt(tmp_path):
    run = replace(binary_run(), learning_rate=400.0, attempts=400)
    with pytest.raises(Saturation) as refused:
        list(train(run))
    assert str(refused.value) == (
        f"the training saturates at attempt {refused.value.attempt:,}: an output reaches "
        "exactly 0 or 1 in doubles, and the cross-entropy's logarithm of 0 has no value (try "
        "a smaller learning rate or fewer attempts)")
    with pytest.raises(InputError, match="saturates at attempt"):
        api.network(tmp_path / "never.xlsx", data="xor", activation=("tanh", "sigmoid"),
                    loss="cross-entropy", learning_rate=400, attempts=400)
    assert list(tmp_path.iterdir()) == []


def test_a_binary_workbook_holds_the_cross_entropy_and_the_verdicts(tmp_path):
    sheet = load_workbook(write(tmp_path / "b.xlsx", binary_run()))["Training"]
    row = {sheet.cell(2, c).value: sheet.cell(4, c).value for c in range(3, 24)}
    assert (row["t1"], row["o1 out"]) == ("=Data!$D$8", "=1/(1+EXP(-N4))")   # I, O
    assert row["loss"] == "=-(I4*LN(O4)+(1-I4)*LN(1-O4))"                      # Q
    assert row["Loss"] == "=(Q4+AI4+BA4+BS4)/4"
    assert row["Accuracy"] == "=(T4+AL4+BD4+BV4)/4"
    assert (row["o1 error"], row["δ o1"]) == ("=O4-I4", "=P4")
    assert (row["class"], row["predicted"], row["right"]) == (
        "=IF(I4>=0.5,2,1)", "=IF(O4>=0.5,2,1)", "=IF(R4=S4,1,0)")


def test_a_softmax_workbook_names_its_outputs_and_lists_its_classes(tmp_path):
    path = tmp_path / "flowers.csv"
    path.write_text("a,b,species\n0,0,setosa\n0,1,versicolor\n1,0,versicolor\n1,1,virginica\n")
    api.network(tmp_path / "s.xlsx", data=path, layers=(2, 3, 3),
                activation=("tanh", "softmax"), loss="cross-entropy", attempts=5)
    workbook = load_workbook(tmp_path / "s.xlsx")
    training, data = workbook["Training"], workbook["Data"]
    headers = [training.cell(2, c).value for c in range(1, 40)]
    assert headers[8:11] == ["t setosa", "t versicolor", "t virginica"]
    assert "virginica out" in headers and "δ setosa" in headers
    predicted = training.cell(4, headers.index("predicted") + 1).value
    assert predicted == "=IF(S4=MAX(S4,U4,W4),1,IF(U4=MAX(S4,U4,W4),2,3))"
    assert [data[f"{c}3"].value for c in "CDEF"] == ["Classes", "setosa", "versicolor",
                                                     "virginica"]
    assert (data["D2"].value, data["G7"].value) == ("cross-entropy", "class")
    assert data["G8"].value == "=INDEX($D$3:$F$3,1,MATCH(MAX(D8:F8),D8:F8,0))"
    stored = load_workbook(tmp_path / "s.xlsx", data_only=True)["Data"]
    assert [stored[f"G{row}"].value for row in range(8, 12)] == [
        "setosa", "versicolor", "versicolor", "virginica"]
    assert workbook.defined_names["W_O1_H1"].attr_text == "Data!$B$20"   # not W_SETOSA_H1


def test_a_classifying_workbook_is_named_for_its_loss(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    summary = api.network(activation=("tanh", "sigmoid"), loss="cross-entropy", attempts=5)
    assert Path(summary.path) == Path("output", "network_training_cross_entropy.xlsx")
    assert (tmp_path / summary.path).is_file()


def test_standardised_inputs_are_live_on_the_data_sheet(tmp_path):
    run = api.network_run(preset="iris", batch=1, attempts=3)
    assert run.standardize
    columns = list(zip(*(sample.inputs for sample in run.samples)))
    means = [sum(column) / 150 for column in columns]
    deviations = [math.sqrt(sum((x - m) ** 2 for x in column) / 150)
                  for column, m in zip(columns, means)]
    assert run.input_scaling.means == pytest.approx(means, rel=1e-15)
    assert run.input_scaling.deviations == pytest.approx(deviations, rel=1e-15)
    assert run.trained_samples[0].inputs[0] == (5.1 - run.input_scaling.means[0]) \
        / run.input_scaling.deviations[0]
    workbook = load_workbook(write(tmp_path / "iris.xlsx", run))
    data = workbook["Data"]
    assert (data["C4"].value, data["D4"].value) == ("Inputs", "standardised")
    assert (data["A158"].value, data["A159"].value) == ("mean", "standard deviation")
    assert data["B158"].value == "=(" + "+".join(f"B{row}" for row in range(8, 158)) + ")/150"
    assert data["B159"].value == "=SQRT((" + "+".join(
        f"(B{row}-B$158)^2" for row in range(8, 158)) + ")/150)"
    assert data["C163"].value == "=(C8-C$158)/C$159"
    assert workbook["Training"]["I4"].value == "=INDEX(Data!$B$163:$B$312,D4)"
    stored = load_workbook(tmp_path / "iris.xlsx", data_only=True)["Data"]
    assert (stored["B158"].value, stored["B163"].value) == (
        run.input_scaling.means[0], run.trained_samples[0].inputs[0])
