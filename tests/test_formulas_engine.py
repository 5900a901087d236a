"""The third engine: the `formulas` package computes small workbooks of every kind with
Excel's function semantics, from their formulas alone, and every computed cell and the summary
come out within 1e-12 of the reference (most of them exactly).

It never reads the results stored in the file, so no canary is needed: a cell it did not
compute would be missing, and `compare_values` would find None where a number belongs.
"""

from dataclasses import replace

import pytest
from formulas_engine import calculate, column_a, only_sheet, rows
from helpers import assert_sweep_rows_match, generate, write
from runs import ARTICLE, OPTIMIZER_RUNS, xor_run

from sheetgen.engines.subjects import compare_network_values, own_summary
from sheetgen.engines.comparison import compare_values, summary_mismatch
from sheetgen.maths.summary import summarize_run
from sheetgen.maths.neuron import Parameters, summarize, train
from sheetgen.sheets import sweep
from sheetgen.sheets.columns import COLUMNS
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, describe
from sheetgen.sheets.optimizers_sheet import OPTIMIZERS_SHEET_NAME, describe_optimizers

pytestmark = pytest.mark.engines


def test_the_articles_training_sheet(tmp_path):
    """The issue's figure: at attempt 200 the output is 0.10000000064044175, and the loss is
    below 1e-12 from attempt 126. The Sweep sheet is left out of this workbook: `formulas`
    takes most of a minute over its 4,800 formulas at 200 attempts; the next test computes
    it."""
    parameters = Parameters(attempts=200)
    cells = calculate(only_sheet(generate(tmp_path / "w.xlsx", parameters), "Training"))
    training = rows(cells, "Training", COLUMNS, parameters.attempts)
    comparison = compare_values(training, train(parameters))
    assert comparison.mismatch is None and comparison.compared_attempts == 200
    assert training[-1]["L"] == 0.10000000064044175
    summary = column_a(cells, "Training")
    assert summary_mismatch(summary, summarize(train(parameters), 1e-12)) is None
    assert (summary[21], summary[27]) == (126, "converged")


def test_the_articles_workbook_with_its_sweep(tmp_path):
    """The whole workbook, at a dozen attempts: every row of a sheet after the second is
    built alike."""
    parameters = Parameters(attempts=12)
    cells = calculate(generate(tmp_path / "w.xlsx", parameters))
    comparison = compare_values(rows(cells, "Training", COLUMNS, 12), train(parameters))
    assert comparison.mismatch is None and comparison.compared_attempts == 12
    assert_sweep_rows_match(rows(cells, sweep.SWEEP_SHEET_NAME, sweep.COLUMNS, 12), parameters)


NETWORKS = {
    "xor-full-batch": xor_run(attempts=12),
    "xor-one-sample-per-attempt": xor_run(batch=1, attempts=12),
    "two-hidden-layers-sigmoid-relu": xor_run(("sigmoid", "relu", "tanh"), sizes=(2, 3, 2, 1),
                                              attempts=10),
    **{name: replace(OPTIMIZER_RUNS[name], attempts=3)
       for name in ("article-momentum", "xor-batch-1-rmsprop", "xor-adam")},
    "article-gradient-check": replace(ARTICLE, learning_rate=1.0, attempts=30),
    "three-layers-gradient-check-one-sample": replace(
        xor_run(("sigmoid", "relu", "linear"), sizes=(2, 3, 2, 1), attempts=5, batch=1),
        gradient_step=1e-5),
}
"""Three to a dozen attempts: `formulas` takes seconds over each row of a wide sheet, and every
row after the second is built alike (five one-sample attempts go through all four samples and
back to the first; the optimizers' three, through the first, the second and a later row)."""


@pytest.mark.parametrize("name", NETWORKS)
def test_network_workbooks_and_their_optimizers_sheets(tmp_path, name):
    run = NETWORKS[name]
    cells = calculate(write(tmp_path / "w.xlsx", run))
    sheet = describe(run)
    comparison = compare_network_values(rows(cells, "Training", sheet.columns, run.attempts),
                                        sheet)
    assert comparison.mismatch is None and comparison.compared_attempts == run.attempts
    training = rows(cells, "Training", sheet.columns, run.attempts)
    expected = own_summary(sheet, training,
                           summarize_run(run))
    assert summary_mismatch(column_a(cells, CHARTS_SHEET_NAME), expected, sheet.summary) is None
    if run.optimizer == "gd":
        return
    optimizers = describe_optimizers(run)
    block_rows = rows(cells, OPTIMIZERS_SHEET_NAME, optimizers.columns, optimizers.attempts)
    for block in optimizers.blocks:
        comparison = compare_network_values(block_rows, block.sheet)
        assert comparison.mismatch is None, (block.optimizer.name, comparison.mismatch)
        assert comparison.compared_attempts == optimizers.attempts
