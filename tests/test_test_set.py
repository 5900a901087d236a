"""Held-out test samples without an engine: the test loss and accuracy against autograd's
loss and the rules written out, the split, the columns,
Data sheet and summary a workbook holds, reading them back, the over-fitting preset, and the
options and their refusals."""

import math
from dataclasses import replace

import pytest
from autograd import numpy as anp
from autograd_reference import numpy_loss
from helpers import rewrite_sheet, typed_numbers, write
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from runs import TESTS_OF_THREE, held_out_softmax, held_out_xor

from sheetgen import InputError, api
from sheetgen.cli import main
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.engines.reading import UnreadableSheet
from sheetgen.maths import classification
from sheetgen.maths.datasets import BUILT_IN, held_out
from sheetgen.maths.fields import TEST_ACCURACY, TEST_LOSS, Field, Kind
from sheetgen.maths.training import train
from sheetgen.maths.passes import forward
from sheetgen.maths.summary import summarize_run
from sheetgen.sheets.fit import columns_needed
from sheetgen.sheets.network_sheet import describe


def _parameters(this):
    return ([anp.array(w, dtype=float) for w in this.weights],
            [anp.array(b, dtype=float) for b in this.biases])


def test_the_test_loss_is_autograds_loss_of_the_test_samples_at_the_rows_weights():
    run = held_out_softmax()
    for this in train(run):
        expected = numpy_loss(_parameters(this), run.network.activations,
                              [(s.inputs, s.targets) for s in run.trained_tests])
        assert this.test_loss == pytest.approx(expected, rel=1e-14)


def test_the_squared_errors_test_loss_and_the_test_accuracy_follow_the_rules():
    """Half the squared error, averaged over the test samples, each run forward with the
    row's weights; without a loss that classifies, no test accuracy."""
    run = held_out_xor()
    for this in train(run):
        errors = [forward(run.network.layers, run.activations, this.weights, this.biases,
                          s.inputs)[1][-1][0] - s.targets[0] for s in run.tests]
        assert this.test_loss == pytest.approx(sum(e * e / 2 for e in errors) / 3, rel=1e-14)
        assert this.test_accuracy is None and not this.test_verdicts
    for this in train(held_out_softmax()):
        right = [classification.class_of(p.outputs[-1], 0.5)
                 == classification.class_of(p.targets, 0.5) for p in this.tests]
        assert this.test_accuracy == sum(right) / len(right)


def test_test_samples_change_no_bit_of_the_training():
    run = held_out_softmax()
    for bare, tested in zip(train(replace(run, tests=())), train(run), strict=True):
        assert tested.tests and not bare.tests
        assert (tested.loss, tested.weights, tested.biases, tested.weight_gradients,
                tested.bias_gradients, tested.verdicts) == (
            bare.loss, bare.weights, bare.biases, bare.weight_gradients, bare.bias_gradients,
            bare.verdicts)


def test_test_samples_are_standardised_with_the_training_samples_statistics():
    run = held_out_softmax()
    means, deviations = run.input_scaling
    assert [s.inputs for s in run.trained_tests] == [
        tuple((x - m) / d for x, m, d in zip(s.inputs, means, deviations))
        for s in TESTS_OF_THREE]
    assert run.input_scaling == replace(run, tests=()).input_scaling


@pytest.mark.parametrize("samples, fraction, count", [(150, 0.3, 45), (10, 0.7, 7),
                                                      (4, 0.25, 1), (40, 0.5, 20), (7, 0.01, 1)])
def test_the_split_holds_out_the_share_rounded_up_in_order(samples, fraction, count):
    chosen = held_out(samples, fraction, 0)
    assert len(chosen) == len(set(chosen)) == count
    assert list(chosen) == sorted(chosen) and set(chosen) <= set(range(1, samples + 1))
    assert held_out(samples, fraction, 0) == chosen


def test_the_split_follows_the_seed():
    assert len({held_out(40, 0.5, seed) for seed in range(5)}) == 5


def test_the_columns_the_data_sheet_and_the_summary():
    run = held_out_xor()
    sheet = describe(run)
    assert [group.title for group in sheet.groups][-3:] == [
        "Test sample 1", "Test sample 2", "Test sample 3"]
    assert sheet.column(TEST_LOSS).header == "Test loss"
    errors = [sheet.letter(Field(Kind.ERROR, t, 2, 0, held_out=True)) for t in (1, 2, 3)]
    assert sheet.column(TEST_LOSS).first == "=(" + "+".join(f"{e}{{row}}^2/2" for e in errors) \
        + ")/3"
    first = sheet.groups[-1].columns
    assert [(col.header, col.first) for col in first[:3]] == [
        ("x1", "=Data!$B$16"), ("x2", "=Data!$C$16"), ("t1", "=Data!$D$16")]
    weight, bias = (sheet.letter(Field(Kind.PARAMETER, layer=1, neuron=0, source=s))
                    for s in (0, None))
    x1 = first[0].letter
    assert first[3].first.startswith(f"={x1}{{row}}*{weight}{{row}}+") \
        and first[3].first.endswith(f"+{bias}{{row}}")
    assert TEST_ACCURACY not in {col.field for col in sheet.columns}
    losses = f"Training!{sheet.letter(TEST_LOSS)}{{first}}:{sheet.letter(TEST_LOSS)}{{last}}"
    assert [(r.label, r.formula) for r in sheet.summary[-2:]] == [
        ("Lowest test loss", f"=MIN({losses})"),
        ("Lowest test loss at attempt", f"=MATCH(MIN({losses}),{losses},0)")]


def test_the_workbook_lists_the_test_samples_under_the_training_ones(tmp_path):
    run = held_out_softmax(classes=("red", "green", "blue"))
    path = write(tmp_path / "w.xlsx", run)
    data = load_workbook(path)["Data"]
    assert (data["E2"].value, data["F2"].value) == ("Test samples", 4)
    assert data["A16"].value.startswith("Test samples, held out")
    assert [data.cell(17, c).value for c in range(1, 8)] == [
        "Test sample", "x1", "x2", "t1", "t2", "t3", "class"]
    assert [[data.cell(18 + s, c).value for c in range(2, 7)] for s in range(4)] == [
        [*s.inputs, *s.targets] for s in TESTS_OF_THREE]
    assert data["G18"].value == "=INDEX($D$3:$F$3,1,MATCH(MAX(D18:F18),D18:F18,0))"
    assert (data["A30"].value, data["B30"].value) == ("test 1", "=(B18-B$13)/B$14")
    values = load_workbook(path, data_only=True)
    assert values["Data"]["B33"].value == run.trained_tests[3].inputs[0]
    notes = "\n".join(str(c.value) for row in values["Notes"].iter_rows() for c in row if c.value)
    assert "The 4 test samples on the Data sheet are held out" in notes
    summary = summarize_run(run)
    charts = values["Charts"]
    cells = {result.field: result.cell for result in describe(run).summary}
    assert (charts[cells["lowest_test_loss"]].value, charts[cells["lowest_test_at"]].value,
            charts[cells["final_test_accuracy"]].value) == (
        summary.lowest_test_loss, summary.lowest_test_at, summary.final_test_accuracy)


@pytest.mark.parametrize("run", [held_out_xor(), held_out_softmax(), held_out_xor(batch=2)],
                         ids=["xor", "softmax, standardised", "xor in twos"])
def test_a_workbook_reads_back_as_its_run(tmp_path, run):
    found = read_network_workbook(write(tmp_path / "w.xlsx", run)).run
    assert found.tests == run.tests and found.samples == run.samples
    assert found == replace(run, settings=found.settings)


def test_the_options_hold_out_a_seeded_share_or_read_a_test_set(tmp_path):
    run = api.network_run(preset="xor", test_fraction=0.25)
    assert len(run.samples) == 3 and len(run.tests) == 1
    assert set(run.samples + run.tests) == set(BUILT_IN["xor"])
    (tmp_path / "test.csv").write_text("x1,x2,x3,x4,species\n5,3,1,0.2,setosa\n6,3,5,2,"
                                       "virginica\n")
    iris = api.network_run(preset="iris", test=tmp_path / "test.csv")
    assert iris.tests == (((5.0, 3.0, 1.0, 0.2), (1.0, 0.0, 0.0)),
                          ((6.0, 3.0, 5.0, 2.0), (0.0, 0.0, 1.0)))
    assert api.network_run(preset="xor", test="and").tests == BUILT_IN["and"]
    summary = api.network(tmp_path / "w.xlsx", preset="xor", test="and", attempts=5)
    assert summary.lowest_test_at in range(1, 6)


def test_the_file_name_says_a_test_set_given_and_it_replaces_the_presets(tmp_path,
                                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert api.network(preset="xor", test_fraction=0.25, attempts=3).path.name == \
        "xor_training_tested.xlsx"
    assert api.network(preset="overfit", attempts=3).path.name == "overfit_training.xlsx"
    own = api.network_run(preset="overfit", test="gauss")
    # The whole set trains, and a test set drawn apart, as many points as noisy, is tested.
    assert len(own.samples) == len(own.tests) == 40 and not set(own.samples) & set(own.tests)


@pytest.mark.parametrize("run", [held_out_xor(), held_out_softmax(gradient_step=1e-5),
                                 held_out_xor(batch=2)], ids=["xor", "checked", "in twos"])
def test_the_fit_check_counts_the_test_samples_columns(run):
    assert columns_needed(run) == column_index_from_string(describe(run).columns[-1].letter)


def test_the_overfit_preset_overfits_and_l2_cures_it():
    """Its test loss is lowest early and then rises to more than twice that while the training
    loss falls to near 0; with L2 it ends within 10% of its lowest."""
    run = api.network_run(preset="overfit")
    assert (len(run.samples), len(run.tests)) == (20, 20)
    losses = [(a.loss, a.test_loss) for a in train(run)]
    lowest = min(range(len(losses)), key=lambda index: losses[index][1])
    assert lowest < 100 and losses[-1][1] > 2 * losses[lowest][1]
    assert losses[-1][0] < 0.01 < losses[lowest][0]
    cured = [a.test_loss for a in train(replace(run, l2=0.02))]
    assert cured[-1] < 1.1 * min(cured)


@pytest.mark.parametrize("files, args, message", [
    ({"wide.csv": "a,b,c,t\n1,2,3,0\n"}, ["--test", "wide.csv"],
     "argument --test: wide.csv has 4 columns; --layers 2,…,1 needs 2 inputs and 1 target "
     "(3 columns)"),
    ({"t.csv": "a,b,c,d,s\n1,2,3,4,rose\n"}, ["--preset", "iris", "--test", "t.csv"],
     'argument --test: t.csv, line 2, column 5 ("s"): "rose" is not one of the data\'s '
     'classes ("setosa", "versicolor", "virginica")'),
    ({"t.csv": "a,b,t\n1,2,0\n"}, ["--test", "t.csv", "--test-sheet", "S"],
     "argument --test-sheet: names a sheet of --test FILE.xlsx, and the test is t.csv"),
    ({}, ["--test", "iris"], "argument --test: the iris data set has 4 input(s) and 3 "
                             "target(s), and the data's samples have 2 and 1"),
    ({}, ["--test-sheet", "S"], "argument --test-sheet: names a sheet of --test FILE.xlsx, "
                                "and no test file is given"),
    ({}, ["--test-fraction", "0.8"], "argument --test-fraction: 0.8 of the 4 samples holds "
                                     "every one out, and leaves none to train on"),
    ({}, ["--test-fraction", "0"], "argument --test-fraction: must be above 0 and below 1, "
                                   "the share of the samples held out, not 0"),
    ({}, ["--test-fraction", "1"], "argument --test-fraction: must be above 0 and below 1, "
                                   "the share of the samples held out, not 1"),
    ({}, ["--test-fraction", "nan"], "argument --test-fraction: must be above 0 and below 1, "
                                     "the share of the samples held out, not nan"),
    ({}, ["--test-fraction", "-inf"], "argument --test-fraction: must be above 0 and below "
                                      "1, the share of the samples held out, not -inf"),
    ({}, ["--test-fraction", "half"], "argument --test-fraction: must be a number, not "
                                      "'half'"),
    ({}, ["--test-fraction", "0.25", "--batch", "4"],
     "argument --batch: 4 is more than the data's 3 training samples left once the test "
     "samples are held out (full trains on all of them)"),
    ({}, ["--test-fraction", "1e-10"], "argument --test-fraction: 1e-10 of the 4 samples "
                                       "holds none out, and leaves nothing to test on"),
    ({}, ["--test-fraction", "0.5", "--test-sheet", "S"],
     "argument --test-sheet: names a sheet of --test FILE.xlsx, and no test file is given"),
    ({"abc.csv": "w,x,y,z,s\n1,2,3,4,a\n2,3,4,5,b\n3,4,5,6,c\n"},
     ["--data", "abc.csv", "--test", "iris"],
     "argument --test: the iris data set's classes are setosa, versicolor, virginica, and "
     "the data's are a, b, c"),
    ({}, ["--test-fraction", "0.5", "--test", "and"],
     "argument --test: not allowed with argument --test-fraction"),
    ({}, ["--test", "x.txt"], "argument --test: must be one of article, xor, and, or, line, "
                              "iris, digits, circle, gauss, spiral, quadrants or a .csv or "
                              ".xlsx file, not 'x.txt'"),
])
def test_bad_test_sets_are_one_line_exit_2_and_no_file(tmp_path, monkeypatch, capsys, files,
                                                       args, message):
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["network", *args, "-o", "never.xlsx"]))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.endswith(f": error: {message}\n") and error.count("\n") == 1
    assert not (tmp_path / "never.xlsx").exists()


def test_the_api_refuses_a_bad_split_with_the_same_line():
    with pytest.raises(InputError, match="^argument --test-fraction: 0.8 of the 4 samples "
                                         "holds every one out"):
        api.network_run(preset="xor", test_fraction=0.8)
    with pytest.raises(InputError, match="^argument --test-fraction: must be above 0"):
        api.network_run(preset="xor", test_fraction=math.inf)


def test_the_command_says_where_the_test_loss_is_lowest(tmp_path, capsys):
    assert main(["network", "--preset", "xor", "--test", "and", "--attempts", "20",
                 "-o", str(tmp_path / "w.xlsx")]) == 0
    summary = summarize_run(api.network_run(preset="xor", test="and", attempts=20))
    assert (f"; the test loss is lowest, {summary.lowest_test_loss:.4g}, at attempt "
            f"{summary.lowest_test_at}") in capsys.readouterr().out


def test_a_data_sheet_whose_test_samples_are_not_the_ones_it_names_is_refused(tmp_path):
    path = write(tmp_path / "w.xlsx", held_out_xor())
    tampered = rewrite_sheet(path, tmp_path / "t.xlsx", typed_numbers({"F2": 4}),
                             sheets=("Data",))
    with pytest.raises(UnreadableSheet, match="^t.xlsx: the Data sheet has 3 samples from "
                                              "A14, and the formulas are built for 4$"):
        read_network_workbook(tampered)
