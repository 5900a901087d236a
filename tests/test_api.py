"""The Python API: sheetgen.neuron, sheetgen.network and sheetgen.check, against the reference,
the command line's files and the command line's messages."""

import json

import pytest

import sheetgen
from helpers import require_engine, rewrite_sheet
from sheetgen.cli import main
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths.neuron import Parameters, summarize, train


def cli_error(capsys, *argv: str) -> str:
    """The message part of the command line's one error line, after `error: `."""
    try:
        status = main(list(argv))
    except SystemExit as exit_info:   # argparse's refusals exit from within
        status = exit_info.code
    assert status == 2
    line = capsys.readouterr().err
    assert line.count("\n") == 1
    return line.split(": error: ", 1)[1].rstrip("\n")


def test_the_xor_preset_summary_is_the_references(tmp_path):
    summary = sheetgen.network(tmp_path / "xor.xlsx", preset="xor")
    assert summary.path == tmp_path / "xor.xlsx" and summary.path.is_file()
    assert summary.first_below_threshold == 1802
    assert summary.status == "converged"
    assert summary.final_loss < 1e-4
    assert summary.final_output is None and summary.largest_difference is None
    assert "first_below_threshold=1802" in repr(summary)


def test_the_article_neuron_summary_is_the_references(tmp_path):
    expected = summarize(train(Parameters()), Parameters().loss_threshold)
    summary = sheetgen.neuron(tmp_path / "n.xlsx")
    assert summary.final_output == expected.final_output
    assert summary.final_loss == expected.final_loss
    assert summary.first_below_threshold == expected.first_below == 126
    assert summary.status == "converged" and summary.target == Parameters().target


@pytest.mark.parametrize("rate, status", [(5, "diverging"), (0, "not converged")])
def test_runs_that_never_converge(tmp_path, rate, status):
    parameters = Parameters(learning_rate=rate, attempts=50)
    expected = summarize(train(parameters), parameters.loss_threshold)
    summary = sheetgen.neuron(tmp_path / "n.xlsx", learning_rate=rate, attempts=50)
    assert summary.first_below_threshold is None
    assert summary.status == expected.status == status


def test_a_gradient_check_reports_its_largest_difference(tmp_path):
    summary = sheetgen.neuron(tmp_path / "n.xlsx", gradient_check=True, attempts=30)
    assert summary.final_output is None
    assert 0 < summary.largest_difference < 1e-6


@pytest.mark.parametrize("argv, options", [
    (["network", "--preset", "xor", "--optimizer", "adam", "--attempts", "200"],
     dict(preset="xor", optimizer="adam", attempts=200)),
    (["network", "--layers", "2,3,1", "--activation", "tanh,sigmoid", "--seed", "3",
      "--attempts", "50"],
     dict(layers=(2, 3, 1), activation=("tanh", "sigmoid"), seed=3, attempts=50)),
    (["--learning-rate", "0.5", "--attempts", "40"], dict(learning_rate=0.5, attempts=40)),
    (["--gradient-check", "1e-5", "--attempts", "20"], dict(gradient_check=1e-5, attempts=20)),
])
def test_the_file_is_the_command_lines_byte_for_byte(tmp_path, argv, options):
    assert main([*argv, "-o", str(tmp_path / "cli.xlsx"), "-q"]) == 0
    write = sheetgen.network if argv[0] == "network" else sheetgen.neuron
    write(tmp_path / "api.xlsx", **options)
    assert (tmp_path / "api.xlsx").read_bytes() == (tmp_path / "cli.xlsx").read_bytes()


def test_without_a_path_it_writes_where_the_command_would(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    summary = sheetgen.network(preset="xor", optimizer="momentum", attempts=20)
    assert summary.path == tmp_path.joinpath("output", "xor_training_momentum.xlsx") \
        .relative_to(tmp_path)
    assert (tmp_path / summary.path).is_file()


def test_data_as_pairs_is_the_same_as_the_built_in_set(tmp_path):
    pairs = [((0, 0), 0), ((0, 1), 1), ([1, 0], [1]), ((1.0, 1.0), (0.0,))]
    sheetgen.network(tmp_path / "pairs.xlsx", data=pairs, layers="2,2,1", attempts=30)
    sheetgen.network(tmp_path / "xor.xlsx", data="xor", attempts=30)
    assert read_network_workbook(tmp_path / "pairs.xlsx").run.samples == \
        read_network_workbook(tmp_path / "xor.xlsx").run.samples
    assert (tmp_path / "pairs.xlsx").read_bytes() == (tmp_path / "xor.xlsx").read_bytes()


def test_init_as_a_dict_is_the_same_as_the_file(tmp_path):
    init = {"layers": [{"weights": [[0.125, -0.25], [0.5, 0.75]], "biases": [0.0, 1.0]},
                       {"weights": [[1.5, -2.0]], "biases": [0.1]}]}
    (tmp_path / "init.json").write_text(json.dumps(init))
    sheetgen.network(tmp_path / "dict.xlsx", init=init, attempts=10)
    sheetgen.network(tmp_path / "file.xlsx", init=tmp_path / "init.json", attempts=10)
    run = read_network_workbook(tmp_path / "dict.xlsx").run
    assert run.weights == (((0.125, -0.25), (0.5, 0.75)), ((1.5, -2.0),))
    assert (tmp_path / "dict.xlsx").read_bytes() == (tmp_path / "file.xlsx").read_bytes()


BAD = [
    (["network", "--layers", "2,x,1"], "network", dict(layers="2,x,1")),
    (["network", "--layers", "2,0,1"], "network", dict(layers=(2, 0, 1))),
    (["network", "--activation", "softmax"], "network", dict(activation="softmax")),
    (["network", "--activation", "tanh,tanh,tanh"], "network",
     dict(activation=("tanh", "tanh", "tanh"))),
    (["network", "--batch", "5"], "network", dict(batch=5)),
    (["network", "--batch", "0"], "network", dict(batch=0)),
    (["network", "--batch", "half"], "network", dict(batch="half")),
    (["network", "--batch", "2.5"], "network", dict(batch=2.5)),
    (["network", "--seed", "1", "--init", "x.json"], "network", dict(seed=1, init="x.json")),
    (["network", "--layers", "2,200,200,1"], "network", dict(layers=(2, 200, 200, 1))),
    (["network", "--data", "line", "--activation", "linear", "--learning-rate", "100"],
     "network", dict(data="line", activation="linear", learning_rate=100)),
    (["--learning-rate", "2e6"], "neuron", dict(learning_rate="2e6")),
    (["--learning-rate", "nan"], "neuron", dict(learning_rate="nan")),
    (["--attempts", "0"], "neuron", dict(attempts=0)),
    (["--attempts", "2.5"], "neuron", dict(attempts="2.5")),
    (["--momentum", "0.5", "--optimizer", "adam"], "neuron",
     dict(momentum=0.5, optimizer="adam")),
    (["--gradient-check", "2"], "neuron", dict(gradient_check=2)),
    (["--preset", "python"], "neuron", dict(preset="python")),
]


@pytest.mark.parametrize("argv, kind, options", BAD, ids=[" ".join(a) for a, _, _ in BAD])
def test_refusals_have_the_command_lines_message_and_leave_no_file(tmp_path, capsys, argv,
                                                                   kind, options):
    target = tmp_path / "never.xlsx"
    expected = cli_error(capsys, *argv, "-o", str(target))
    with pytest.raises(sheetgen.InputError) as refused:
        getattr(sheetgen, kind)(target, **options)
    assert str(refused.value) == expected
    assert isinstance(refused.value, ValueError)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_csv_row_has_the_command_lines_message(tmp_path, capsys):
    data = tmp_path / "bad.csv"
    data.write_text("x1,x2,t\n0,1,0\n0,one,1\n")
    target = tmp_path / "never.xlsx"
    expected = cli_error(capsys, "network", "--data", str(data), "-o", str(target))
    assert expected == 'bad.csv, line 3, column 2 ("x2"): "one" is not a number'
    with pytest.raises(sheetgen.InputError, match="^bad.csv, line 3") as refused:
        sheetgen.network(target, data=data)
    assert str(refused.value) == expected
    assert not target.exists()


def test_a_bad_output_path_has_the_command_lines_message(tmp_path, capsys):
    expected = cli_error(capsys, "-o", "out.xls")
    with pytest.raises(sheetgen.InputError) as refused:
        sheetgen.neuron("out.xls")
    assert str(refused.value) == expected


def test_a_refusal_never_destroys_an_existing_workbook(tmp_path):
    target = tmp_path / "w.xlsx"
    sheetgen.network(target, attempts=5)
    before = target.read_bytes()
    with pytest.raises(sheetgen.InputError, match="overflows at attempt"):
        sheetgen.network(target, data="line", activation="linear", learning_rate=100)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["w.xlsx"]


@pytest.mark.parametrize("kind, options, message", [
    ("neuron", dict(quiet=True), "'quiet' is not an option; the options are preset, "),
    ("network", dict(output="x.xlsx"), "'output' is not an option"),
    ("network", dict(data=[((0, 1), 1), ((0,), 1)]),
     "argument --data: pair 2 has 1 number of inputs; pair 1 has 2"),
    ("network", dict(data=[((0, "a"), 1)]), "argument --data: pair 1's inputs: 'a' is not a"),
    ("network", dict(init={"layers": []}), "init has 0 layers; --layers 2,2,1 needs 2"),
])
def test_python_only_refusals(tmp_path, kind, options, message):
    with pytest.raises(sheetgen.InputError, match="^" + message.replace("(", r"\(")):
        getattr(sheetgen, kind)(tmp_path / "never.xlsx", **options)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.engines
def test_check_passes_a_written_workbook_and_fails_a_tampered_one(tmp_path):
    require_engine("gnumeric")
    summary = sheetgen.neuron(tmp_path / "w.xlsx", attempts=30)
    result = sheetgen.check(summary.path, "gnumeric")
    assert result.passed and result.mismatches == ()
    assert result.report[-1] == "result: OK"
    assert any(line.startswith("gnumeric: 30 rows agree within 1e-12")
               for line in result.report)

    changed = rewrite_sheet(summary.path, tmp_path / "changed.xlsx", lambda xml: xml.replace(
        "<f>P20*(1-L20^2)</f>", "<f>P20*(1-L20^2.0001)</f>"))
    result = sheetgen.check(changed, "gnumeric")
    assert not result.passed
    assert result.report[-1] == "result: MISMATCH"
    assert result.mismatches[0].startswith("formulas: MISMATCH: J20")


def test_check_refuses_what_it_cannot_check(tmp_path):
    with pytest.raises(sheetgen.CannotCheck, match="no such file"):
        sheetgen.check(tmp_path / "missing.xlsx")
    with pytest.raises(sheetgen.InputError, match="^argument --engine: invalid choice: 'excel'"):
        sheetgen.check(tmp_path / "missing.xlsx", "excel")
