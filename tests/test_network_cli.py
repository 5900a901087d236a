"""`sheetgen network`: presets, defaults, and every bad input refused in one line, exit 2,
with no file left behind."""

import re

import pytest
from helpers import stored_rows

import sheetgen
from sheetgen.cli import main
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.sheets.network_data import SHAPE_CELLS


def test_the_xor_preset_converges(tmp_path, capsys):
    target = tmp_path / "xor.xlsx"
    assert main(["network", "--preset", "xor", "-o", str(target)]) == 0
    assert "(converged)" in capsys.readouterr().out
    # As the file says it, read with stored_rows: openpyxl takes seconds over 3,000 XOR rows.
    assert stored_rows(target, "Data")[2]["B"] == "2,2,1" and SHAPE_CELLS["layers"] == "B2"
    assert stored_rows(target, "Charts")[8]["A"] == "converged"


def test_options_override_the_preset(tmp_path):
    target = tmp_path / "x.xlsx"
    assert main(["network", "--preset", "xor", "--attempts", "20", "--activation", "sigmoid",
                 "--batch", "1", "-o", str(target), "-q"]) == 0
    run = read_network_workbook(target).run
    assert (run.attempts, run.network.activations, run.batch, run.learning_rate) == (
        20, ("sigmoid", "sigmoid"), 1, 0.5)


def test_leaky_relu_is_an_activation_of_the_command_and_the_api(tmp_path):
    target = tmp_path / "leaky.xlsx"
    assert main(["network", "--layers", "2,3,1", "--activation", "leaky_relu,tanh",
                 "--attempts", "20", "-o", str(target), "-q"]) == 0
    assert read_network_workbook(target).run.network.activations == ("leaky_relu", "tanh")
    again = tmp_path / "again.xlsx"
    sheetgen.network(again, layers=(2, 3, 1), activation=("leaky_relu", "tanh"), attempts=20)
    assert again.read_bytes() == target.read_bytes()


def test_init_file_gives_the_exact_start(tmp_path):
    init = tmp_path / "init.json"
    init.write_text('{"layers": [{"weights": [[0.125, -0.25], [0.5, 0.75]], "biases": [0, 1]},'
                    ' {"weights": [[1.5, -2]], "biases": [0.1]}]}')
    target = tmp_path / "x.xlsx"
    assert main(["network", "--init", str(init), "--attempts", "5", "-o", str(target),
                 "-q"]) == 0
    run = read_network_workbook(target).run
    assert run.weights == (((0.125, -0.25), (0.5, 0.75)), ((1.5, -2.0),))
    assert run.biases == ((0.0, 1.0), (0.1,))


@pytest.mark.parametrize("args, message", [
    (["--layers", "2,0,1"], "every layer needs at least 1 neuron"),
    (["--layers", "2"], "needs at least two sizes"),
    (["--layers", "2,x,1"], "must be whole numbers"),
    (["--activation", "swish"], "'swish' is not an activation; choose from tanh, sigmoid, "
                                "relu, leaky_relu, linear, softmax"),
    (["--activation", "tanh,tanh,tanh"], "gives 3 activations for 2 layer(s)"),
    (["--layers", "3,2,1", "--data", "xor"], "the xor data set has 2 input(s)"),
    (["--data", "nowhere"], "must be one of article, xor, and, or, line"),
    (["--data", "missing.csv"], "missing.csv"),
    (["--seed", "1", "--init", "x.json"], "not allowed with argument --seed"),
    (["--init", "x.txt"], "must name a .json file"),
    (["--learning-rate", "nan"], "must be a finite number"),
    (["--loss-threshold", "inf"], "must be a finite number"),
    (["--batch", "5"], "argument --batch: 5 is more than the data's 4 samples (full trains "
                       "on all of them)"),
    (["--batch", "0"], "argument --batch: must be full or at least 1 sample, not 0"),
    (["--batch", "two"], "argument --batch: must be full or a whole number of samples, not "
                         "'two'"),
    (["--layers", "2,200,200,1"], "needs 86,841 columns, and a sheet has 16,384"),
    (["--data", "line", "--activation", "linear", "--learning-rate", "100"],
     "the training overflows at attempt"),
    (["--loss", "huber"], "argument --loss: invalid choice: 'huber' (choose from 'mse', "
                          "'cross-entropy')"),
    (["--loss", "cross-entropy"], "--loss cross-entropy needs a sigmoid or softmax output "
                                  "layer, not tanh (--activation …,sigmoid)"),
    (["--activation", "softmax,sigmoid", "--loss", "cross-entropy"],
     "softmax is for the output layer only, not hidden layer 1"),
    (["--activation", "tanh,softmax", "--loss", "cross-entropy"],
     "softmax needs at least 2 outputs, one per class; for a single output use sigmoid"),
    (["--data", "iris", "--activation", "softmax"], "softmax goes with --loss cross-entropy, "
                                                    "not mse"),
    (["--data", "line", "--activation", "sigmoid", "--loss", "cross-entropy"],
     "--loss cross-entropy needs targets between 0 and 1; sample 1's target is -1"),
    (["--activation", "tanh,sigmoid", "--loss", "cross-entropy", "--learning-rate", "400",
      "--attempts", "400"], "the training saturates at attempt 3: an output reaches exactly 0 "
                            "or 1 in doubles"),
    (["--data", "article", "--layers", "1,1", "--standardize"],
     "--standardize divides each input by its standard deviation, and input x1 is the same "
     "in every sample"),
    (["--l2", "-0.5"], "argument --l2: must be at least 0 and at most 1,000,000, not -0.5"),
    (["--l1", "nan"], "argument --l1: must be at least 0 and at most 1,000,000, not nan"),
    (["--lr-decay", "0"], "argument --lr-decay: must be above 0 and at most 1, not 0"),
    (["--lr-decay", "inf"], "argument --lr-decay: must be above 0 and at most 1, not inf"),
    (["--lr-decay", "0.5", "--lr-decay-every", "0"],
     "argument --lr-decay-every: must be between 1 and 1,048,574 attempts, not 0"),
    (["--lr-decay", "0.5", "--lr-decay-every", "ten"],
     "argument --lr-decay-every: must be a whole number, not 'ten'"),
    (["--shuffle"], "argument --shuffle: a full batch trains on all 4 samples at once, in no "
                    "order: give --batch K, fewer than the samples"),
    (["--lr-decay-every", "10"],
     "argument --lr-decay-every: needs --lr-decay, the γ the rate is multiplied by"),
])
def test_bad_input_is_one_line_exit_2_and_no_file(tmp_path, capsys, args, message):
    target = tmp_path / "never.xlsx"
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["network", *args, "-o", str(target)]))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1 and "Traceback" not in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content, message", [
    ("x1,x2,t\n0,1\n", "line 2"),
    ("x1,x2,t\n0,one,1\n", "one"),
    ("x1,x2,t\n", "no"),
    ("x1,x2,t\n0,1,nan\n", "nan"),
])
def test_bad_csv_is_one_line(tmp_path, capsys, content, message):
    data = tmp_path / "bad.csv"
    data.write_text(content)
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["network", "--data", str(data), "--layers", "2,2,1",
                               "-o", str(tmp_path / "w.xlsx")]))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not (tmp_path / "w.xlsx").exists()


def test_a_full_batch_too_long_for_excels_formulas_is_refused(tmp_path, capsys):
    """Excel takes formulas of up to 8,192 characters, and a full batch's loss and gradients
    add a term per sample: 900 samples are refused, and fit one sample per attempt."""
    data = tmp_path / "many.csv"
    data.write_text("x,t\n" + "".join(f"{i / 900},{2 * i / 900}\n" for i in range(900)))
    target = tmp_path / "w.xlsx"
    arguments = ["network", "--data", str(data), "--layers", "1,1", "--attempts", "3",
                 "-o", str(target), "-q"]
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(arguments))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "characters, and Excel takes 8,192: the loss and the gradients add a term per " \
           "sample" in error and error.count("\n") == 1
    assert not target.exists()
    assert main([*arguments, "--batch", "1"]) == 0 and target.is_file()


def test_a_batch_whose_kernel_gradients_pass_excels_formulas_names_a_batch_that_fits(
        tmp_path, capsys):
    """A kernel weight's gradient adds a term per place and per sample: 36 places of a
    3×3 kernel over 8×8 digits and 25 samples pass 8,192 characters; the refusal names 20,
    whose formulas fit, and it writes."""
    target = tmp_path / "w.xlsx"
    arguments = ["network", "--data", "digits", "--samples", "100", "--layers",
                 "8x8,conv1@3x3,maxpool2,10", "--activation", "tanh,softmax", "--loss",
                 "cross-entropy", "--attempts", "2", "-o", str(target), "-q"]
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main([*arguments, "--batch", "25"]))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    named = re.search(r"a kernel weight's one per place too: use --batch (\d+)\n$", error)
    assert named and error.count("\n") == 1
    assert named[1] == "20"   # the largest that fits: 21 to 24 leave a smaller last batch
    assert not target.exists()
    assert main([*arguments, "--batch", named[1]]) == 0 and target.is_file()
