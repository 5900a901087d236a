"""LibreOffice, Gnumeric and `formulas` recompute workbooks with held-out test samples — the
softmax's cross-entropy standardised, in shuffled threes, in shuffled twos with the gradient
check, XOR's squared error with L2 and Adam and its Optimizers sheet — to within 1e-12 of the
reference, from files whose every stored result is spoiled (the canary); after a test sample
is typed into the file; and in a real LibreOffice session, where a person types one."""

from dataclasses import replace

import pytest
from formulas_engine import assert_network_computed
from helpers import (
    assert_canaried_workbook_checked,
    assert_matches_reference,
    assert_network_checked,
    edit_in_libreoffice,
    network_canary,
    rewrite_sheet,
    typed_numbers,
    write,
)
from runs import held_out_softmax, held_out_xor, shuffled_softmax, TESTS_OF_THREE

from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths.shape import Sample
from sheetgen.sheets.network_data import typed_cells

RUNS = {
    "softmax, standardised": held_out_softmax(),
    "softmax in shuffled threes": replace(shuffled_softmax(3, 25), tests=TESTS_OF_THREE),
    "softmax in shuffled twos, the gradient check": replace(
        shuffled_softmax(2, 25), tests=TESTS_OF_THREE, gradient_step=1e-5),
    "XOR, L2 and Adam": held_out_xor(l2=0.01, optimizer="adam", learning_rate=0.05,
                                     settings={"BETA1": 0.85, "BETA2": 0.995,
                                               "EPSILON": 1e-6}),
}

pytestmark = pytest.mark.engines


@pytest.mark.parametrize("name", RUNS)
def test_engine_recomputes_a_workbook_with_a_test_set(engine, tmp_path, name):
    assert_canaried_workbook_checked(RUNS[name], engine.name, tmp_path)


@pytest.mark.parametrize("name", [name for name, run in RUNS.items() if run.optimizer == "gd"])
def test_formulas_recomputes_a_workbook_with_a_test_set(tmp_path, name):
    """Without the gradient check, whose inline losses take `formulas` minutes to parse, or
    Adam's Optimizers sheet, four more copies of the row (the engines above prove both, and
    `test_formulas_engine` an Optimizers sheet)."""
    run = replace(RUNS[name], attempts=3, gradient_step=None)
    assert_network_computed(write(tmp_path / "w.xlsx", run), run)


def test_engine_follows_a_test_sample_typed_into_the_file(engine, tmp_path):
    """Test sample 2's x1 typed as 0.35: the check's reference reads it from the file, and
    passes only where the engine's test columns follow it; the training's do not move."""
    run = RUNS["softmax, standardised"]
    cell = typed_cells(run, held_out=True)[1][0]
    edited = rewrite_sheet(write(tmp_path / "w.xlsx", run), tmp_path / "typed.xlsx",
                           typed_numbers({cell: 0.35}), sheets=("Data",))
    found = read_network_workbook(edited).run
    assert found.tests[1] == Sample((0.35, TESTS_OF_THREE[1].inputs[1]),
                                    TESTS_OF_THREE[1].targets)
    assert found == replace(run, tests=found.tests)
    assert_network_checked(network_canary(edited, tmp_path, found), engine.name, run.attempts,
                           False)


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_user_types_a_test_sample(tmp_path):
    """A person opens the XOR workbook in LibreOffice, types a new target for test sample 1
    and saves: every row's test loss follows, as LibreOffice saved it."""
    run = held_out_xor()
    cell = typed_cells(run, held_out=True)[0][2]
    edited = edit_in_libreoffice(write(tmp_path / "w.xlsx", run), tmp_path / "edited.xlsx",
                                 {f"Data!{cell}": 0.25}, tmp_path)
    expected = replace(run, tests=(Sample(run.tests[0].inputs, (0.25,)), *run.tests[1:]))
    assert_matches_reference(read_network_workbook(edited), expected)
