"""LibreOffice, Gnumeric and `formulas` recompute penalised and decaying workbooks, L2 with
Adam (and its Optimizers sheet), L1 with a decaying rate, the softmax with L2 and the gradient
check (these two one sample at a time), to within 1e-12 of the reference, from files whose every
stored result is spoiled (the canary), and after λ and γ are typed into the file.

`sheetgen check` compares: it reads the run, λ and γ included, from the file's own cells.
"""

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
from runs import OPTIMIZER_RUNS, softmax_run, xor_run

from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.sheets.network_sheet import describe

RUNS = {
    "L2 with Adam": replace(OPTIMIZER_RUNS["xor-adam"], attempts=40, l2=0.01),
    "L1 with a decaying rate, one sample at a time": replace(
        xor_run(batch=1, attempts=40), l1=0.005, lr_decay=0.7, lr_decay_every=8),
    "softmax with L2 and the gradient check, one sample at a time": replace(
        softmax_run(batch=1), attempts=20, l2=0.02, gradient_step=1e-5),
}


pytestmark = pytest.mark.engines


@pytest.mark.parametrize("name", RUNS)
def test_engine_recomputes_a_regularised_workbook(engine, tmp_path, name):
    assert_canaried_workbook_checked(RUNS[name], engine.name, tmp_path)


def test_engine_follows_lambda_and_gamma_typed_into_the_file(engine, tmp_path):
    """The check's reference is built from the file's own cells: it passes only where every
    row of the engine's follows the typed λ and γ."""
    run = replace(RUNS["L1 with a decaying rate, one sample at a time"], l2=0.0)
    cells = {entry.name: entry.cell for entry in describe(run).panel.inputs}
    typed = typed_numbers({cells[name]: value for name, value in (
        ("L2_RATE", 0.03), ("L1_RATE", 0.0), ("LR_DECAY", 0.9))})
    edited = rewrite_sheet(write(tmp_path / "w.xlsx", run), tmp_path / "typed.xlsx", typed)
    read = read_network_workbook(edited).run
    assert (read.l2, read.l1, read.lr_decay) == (0.03, 0.0, 0.9)
    assert_network_checked(network_canary(edited, tmp_path, run), engine.name, run.attempts, False)


@pytest.mark.parametrize("name", RUNS)
def test_formulas_recomputes_a_regularised_workbook(tmp_path, name):
    """Without the gradient check, whose inline losses take `formulas` minutes to parse (the
    engines above prove them, the penalty in their moved losses included)."""
    run = replace(RUNS[name], attempts=3, gradient_step=None)
    assert_network_computed(write(tmp_path / "w.xlsx", run), run)