"""LibreOffice, Gnumeric and `formulas` recompute mini-batch workbooks, XOR in threes (each
epoch's second batch a single sample, its other places counting for nothing) with L2 and a
decaying rate, shuffled, the softmax in twos with the gradient check and its confusion matrix,
XOR in twos with Adam and its Optimizers sheet, to within 1e-12 of the reference, from files
whose every stored result is spoiled (the canary), and after an order is typed into the
file."""

from dataclasses import replace

import pytest
from formulas_engine import assert_network_computed
from helpers import (
    assert_canaried_workbook_checked,
    assert_network_checked,
    network_canary,
    rewrite_sheet,
    typed_numbers,
    write,
)
from runs import OPTIMIZER_RUNS, shuffled_softmax, softmax_run

from sheetgen import api
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.sheets.network_data import order_cells


RUNS = {
    "XOR in threes, shuffled, L2, a decaying rate": replace(
        api.network_run(preset="xor", batch=3, shuffle=True, attempts=40), l2=0.01,
        lr_decay=0.8, lr_decay_every=10),
    "softmax in twos, the gradient check": replace(softmax_run(), batch=2, attempts=30,
                                                   gradient_step=1e-5),
    "XOR in twos, Adam": replace(OPTIMIZER_RUNS["xor-adam"], batch=2, attempts=40),
    "softmax in shuffled twos, ending mid-epoch": shuffled_softmax(2, 31),
}

pytestmark = pytest.mark.engines


def test_engine_follows_an_order_typed_into_the_file(engine, tmp_path):
    """The first epoch's order typed as 4, 3, 2, 1: the check's reference reads it from the
    file, and passes only where every row of the engine's follows it."""
    run = RUNS["XOR in threes, shuffled, L2, a decaying rate"]
    edited = rewrite_sheet(write(tmp_path / "w.xlsx", run), tmp_path / "typed.xlsx",
                           typed_numbers(dict(zip(order_cells(run)[0], (4, 3, 2, 1)))),
                           sheets=("Data",))
    assert read_network_workbook(edited).run.orders[0] == (4, 3, 2, 1) != run.orders[0]
    assert_network_checked(network_canary(edited, tmp_path, run), engine.name, run.attempts,
                           False)


@pytest.mark.parametrize("name", RUNS)
def test_engine_recomputes_a_mini_batch_workbook(engine, tmp_path, name):
    assert_canaried_workbook_checked(RUNS[name], engine.name, tmp_path)


@pytest.mark.parametrize("name", RUNS)
def test_formulas_recomputes_a_mini_batch_workbook(tmp_path, name):
    """Without the gradient check, whose inline losses take `formulas` minutes to parse (the
    engines above prove them)."""
    run = replace(RUNS[name], attempts=3, gradient_step=None)
    assert_network_computed(write(tmp_path / "w.xlsx", run), run)