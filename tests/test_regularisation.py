"""Regularisation and the decaying rate without an engine: the penalised loss and gradients
against autograd and against the textbook rules written out, the gradient check with the
penalty in its loss, the formulas and named cells a workbook holds, the options and their
refusals."""

import subprocess
import sys
from dataclasses import replace

import pytest
from autograd_reference import assert_penalised_gradients_equal_autograds
from helpers import write
from openpyxl import load_workbook
from runs import softmax_run, xor_run

from sheetgen import InputError, api
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths.fields import PENALTY, RATE
from sheetgen.maths.training import attempt, train
from sheetgen.maths.shape import weights_of
from sheetgen.sheets.network_sheet import describe

L2_AND_L1 = replace(xor_run(attempts=20), l2=0.02, l1=0.005)
SOFTMAX_L2 = replace(softmax_run(), l2=0.05)
DECAYING = replace(xor_run(attempts=20), l1=0.01, lr_decay=0.5, lr_decay_every=3)


@pytest.mark.parametrize("run", [L2_AND_L1, SOFTMAX_L2], ids=["xor, L2 and L1", "softmax, L2"])
@pytest.mark.parametrize("number", [1, 2, 9])
def test_penalised_loss_and_gradients_equal_autograds(run, number):
    this = next(a for a in train(run) if a.number == number)
    assert_penalised_gradients_equal_autograds(this, run, run.samples_of(number))


def test_the_textbook_rules_l2_is_weight_decay_and_l1_a_constant_pull():
    """Against the same attempt unpenalised: ∂w gains λ2·w + λ1·sign(w), ∂b nothing, the
    loss λ2/2·Σw² + λ1·Σ|w|; and the update is w − rate·∂w."""
    run, plain = L2_AND_L1, replace(L2_AND_L1, l2=None, l1=None)
    rows = list(train(run))
    this = rows[4]
    bare = attempt(plain, this.number, this.weights, this.biases)
    weights = weights_of(this.weights)
    assert this.penalty == 0.02 / 2 * sum(w * w for w in weights) + 0.005 * sum(map(abs, weights))
    assert this.loss == pytest.approx(bare.loss + this.penalty, rel=1e-15)
    for g, g_bare, w in zip(weights_of(this.weight_gradients), weights_of(bare.weight_gradients),
                            weights, strict=True):
        assert g == pytest.approx(g_bare + 0.02 * w + 0.005 * (1 if w > 0 else -1), rel=1e-14)
    assert this.bias_gradients == bare.bias_gradients
    following = rows[5]
    for w_next, w, g in zip(weights_of(following.weights), weights,
                            weights_of(this.weight_gradients)):
        assert w_next == w - g * run.learning_rate


def test_a_zero_strength_changes_no_bit_and_keeps_the_columns():
    plain, zero = xor_run(attempts=30), replace(xor_run(attempts=30), l2=0.0, l1=0.0)
    assert [a.loss for a in train(zero)] == [a.loss for a in train(plain)]
    assert all(a.penalty == 0.0 for a in train(zero))
    fields = [{col.field for col in describe(run).columns} for run in (zero, plain)]
    assert PENALTY in fields[0] and PENALTY not in fields[1]


def test_the_rate_decays_by_gamma_every_n_attempts_and_the_steps_take_it():
    run = DECAYING
    rows = list(train(run))
    assert [a.rate for a in rows[:8]] == [0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125]
    assert run.rate_at(20) == 0.5 * 0.5 ** 6
    for this, following in zip(rows, rows[1:]):
        assert following.biases[1][0] == this.biases[1][0] - this.bias_gradients[1][0] * this.rate
    assert all(a.rate is None for a in train(xor_run(attempts=3)))


@pytest.mark.parametrize("run", [L2_AND_L1, SOFTMAX_L2])
def test_the_gradient_check_includes_the_penalty(run):
    """Central differences of the penalised loss find the penalised gradient: L1's kink at 0
    is far from every weight here."""
    this = next(train(replace(run, gradient_step=1e-6, attempts=3)))
    assert min(abs(w) for w in weights_of(this.weights)) > 1e-3
    assert max(check.difference for check in this.checks) < 1e-6


def test_the_formulas_of_the_penalty_the_loss_the_gradients_and_the_rate():
    sheet = describe(replace(L2_AND_L1, lr_decay=0.9, lr_decay_every=10, gradient_step=1e-6))
    columns = {col.header: col for col in sheet.columns}
    weights = [columns[h].letter for h in ("w x1→h1", "w x2→h1", "w x1→h2", "w x2→h2",
                                           "w h1→o1", "w h2→o1")]
    squares = "+".join(f"{w}4^2" for w in weights)
    sizes = "+".join(f"ABS({w}4)" for w in weights)
    assert columns["Penalty"].formula(4) == f"=L2_RATE/2*({squares})+L1_RATE*({sizes})"
    assert columns["Loss"].formula(4).endswith(f"/4+{sheet.letter(PENALTY)}4")
    w = columns["w x2→h1"].letter
    assert columns["∂w x2→h1"].formula(4).endswith(f")/4+L2_RATE*{w}4+L1_RATE*SIGN({w}4)")
    assert "L2_RATE" not in columns["∂b h1"].formula(4)
    attempt_letter = sheet.letter(sheet.columns[0].field)
    assert columns["Rate"].formula(4) == (f"=LEARNING_RATE*LR_DECAY^INT(({attempt_letter}4-1)"
                                          "/LR_DECAY_EVERY)")
    assert columns["b h1"].formula(4) == (f"={columns['b h1'].letter}3-"
                                          f"{columns['∂b h1'].letter}3*{sheet.letter(RATE)}3")
    moved, up = columns["loss +H w x2→h1"].formula(4), f"({w}4+GRADIENT_STEP)"
    assert moved.endswith(f"+(L2_RATE/2*({squares.replace(f'{w}4^2', f'{up}^2')})"
                          f"+L1_RATE*({sizes.replace(f'ABS({w}4)', f'ABS({up})')}))")
    assert columns["loss −H b h1"].formula(4).endswith(f"+{sheet.letter(PENALTY)}4")


def test_the_named_validated_cells_and_the_file_read_back(tmp_path):
    run = replace(DECAYING, l2=0.125)
    path = write(tmp_path / "w.xlsx", run)
    workbook = load_workbook(path)
    cells = {name: str(workbook.defined_names[name].attr_text)
             for name in ("L2_RATE", "L1_RATE", "LR_DECAY", "LR_DECAY_EVERY")}
    training = workbook["Training"]
    values = {name: training[text.split("!")[1].replace("$", "")].value
              for name, text in cells.items()}
    assert values == {"L2_RATE": 0.125, "L1_RATE": 0.01, "LR_DECAY": 0.5, "LR_DECAY_EVERY": 3}
    validated = {str(v.sqref): (v.formula1, v.formula2)
                 for v in training.data_validations.dataValidation if v.formula1 is not None}
    decay_cell = cells["LR_DECAY"].split("!")[1].replace("$", "")
    assert validated[decay_cell] == ("1e-300", "1.0")
    read = read_network_workbook(path).run
    assert (read.l2, read.l1, read.lr_decay, read.lr_decay_every) == (0.125, 0.01, 0.5, 3)


def test_the_options_the_api_and_the_file_names(tmp_path):
    summary = api.network(tmp_path / "a.xlsx", preset="xor", l2="0.01", lr_decay=0.9,
                          lr_decay_every=500, attempts=40)
    assert "×0.9 every 500 attempts · L2 λ 0.01 · 40 attempts" in summary.trained
    command = subprocess.run([sys.executable, "-m", "sheetgen", "network", "--preset", "xor",
                              "--l2", "0.01", "--lr-decay", "0.9", "--lr-decay-every", "500",
                              "--attempts", "40", "-o", str(tmp_path / "b.xlsx"), "-q"],
                             capture_output=True, text=True)
    assert command.returncode == 0, command.stderr
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    plan = api._network_plan({"preset": "xor", "l1": 0, "lr_decay": 1, "optimizer": "adam"})
    assert plan.name == "xor_training_l1_lr_decay_adam"


@pytest.mark.parametrize("options, message", [
    ({"l2": -0.1}, "argument --l2: must be at least 0 and at most 1,000,000, not -0.1"),
    ({"l1": float("inf")}, "argument --l1: must be at least 0 and at most 1,000,000, not inf"),
    ({"lr_decay": 0}, "argument --lr-decay: must be above 0 and at most 1, not 0"),
    ({"lr_decay": 1.01}, "argument --lr-decay: must be above 0 and at most 1, not 1.01"),
    ({"lr_decay": float("nan")}, "argument --lr-decay: must be above 0 and at most 1, not nan"),
    ({"lr_decay": 0.5, "lr_decay_every": 0},
     "argument --lr-decay-every: must be between 1 and 1,048,574 attempts, not 0"),
    ({"lr_decay_every": 10},
     "argument --lr-decay-every: needs --lr-decay, the γ the rate is multiplied by"),
])
def test_bad_values_are_refused_in_one_line(tmp_path, options, message):
    with pytest.raises(InputError) as refused:
        api.network(tmp_path / "never.xlsx", **options)
    assert str(refused.value) == message
    assert not (tmp_path / "never.xlsx").exists()
