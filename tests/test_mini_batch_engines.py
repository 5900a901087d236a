"""LibreOffice, Gnumeric and `formulas` recompute mini-batch workbooks, XOR in threes (each
epoch's second batch a single sample, its other places counting for nothing) with L2 and a
decaying rate, the softmax in twos with the gradient check and its confusion matrix, XOR in
twos with Adam and its Optimizers sheet, to within 1e-12 of the reference, from files whose
every stored result is spoiled (the canary)."""

from dataclasses import replace

import pytest
from formulas_engine import assert_network_computed
from helpers import assert_network_checked, network_canary, write
from runs import OPTIMIZER_RUNS, softmax_run, xor_run


RUNS = {
    "XOR in threes, L2, a decaying rate": replace(xor_run(attempts=40), batch=3, l2=0.01,
                                                  lr_decay=0.8, lr_decay_every=10),
    "softmax in twos, the gradient check": replace(softmax_run(), batch=2, attempts=30,
                                                   gradient_step=1e-5),
    "XOR in twos, Adam": replace(OPTIMIZER_RUNS["xor-adam"], batch=2, attempts=40),
}

pytestmark = pytest.mark.engines


@pytest.mark.parametrize("name", RUNS)
def test_engine_recomputes_a_mini_batch_workbook(engine, tmp_path, name):
    run = RUNS[name]
    spoiled = network_canary(write(tmp_path / "w.xlsx", run), tmp_path, run)
    assert_network_checked(spoiled, engine.name, run.attempts, run.optimizer != "gd")


@pytest.mark.parametrize("name", RUNS)
def test_formulas_recomputes_a_mini_batch_workbook(tmp_path, name):
    run = replace(RUNS[name], attempts=4)
    assert_network_computed(write(tmp_path / "w.xlsx", run), run)