"""The third engine: the `formulas` package computes small workbooks of every kind with
Excel's function semantics, from their formulas alone, and every computed cell and the summary
come out within 1e-12 of the reference (most of them exactly): a digits workbook too, its
Training sheet's softmax and mini-batches, its Pictures sheet and its Data sheet's pictures.

It never reads the results stored in the file, so no canary is needed: a cell it did not
compute would be missing, and `compare_values` would find None where a number belongs.
"""

import operator
from dataclasses import replace

import pytest
from formulas_engine import (
    assert_network_cells,
    calculate,
    column_a,
    mismatches,
    only_sheet,
    rows,
)
from helpers import assert_sweep_rows_match, generate, write
from runs import ARTICLE, OPTIMIZER_RUNS, xor_run

from sheetgen import api
from sheetgen.engines.subjects import compare_network_values, own_summary
from sheetgen.engines.comparison import compare_values, summary_mismatch
from sheetgen.maths.training import train as train_network
from sheetgen.maths.summary import summarize_run
from sheetgen.maths.neuron import Parameters, summarize, train
from sheetgen.sheets import sweep
from sheetgen.sheets.columns import COLUMNS
from sheetgen.sheets.data_gallery import describe_gallery
from sheetgen.sheets.network_data import DATA_SHEET_NAME, sample_labels
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, describe
from sheetgen.sheets.optimizers_sheet import OPTIMIZERS_SHEET_NAME, describe_optimizers
from sheetgen.sheets.pictures import PICTURES_SHEET_NAME, describe_pictures
from sheetgen.sheets.pictures_cells import pictures_values
from sheetgen.sheets.shown import SHOW_CELL

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


DIGITS = dict(data="digits", samples=5, test_fraction=0.4, layers=(64, 10),
              activation="softmax", loss="cross-entropy", batch=2, attempts=2)
"""Three training images in mini-batches of two (the second batch is the third image and the
first again) and two held out, for two attempts: some 6,000 formulas, most of them sums over
the 64 pixels, which `formulas` takes 15 to 30 s to compile and compute. The workbook is
computed once for the tests of group "formulas-digits", which `--dist loadgroup` runs on one
worker."""


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    path = tmp_path_factory.mktemp("digits") / "d.xlsx"
    api.network(path, **DIGITS)
    return api.network_run(**DIGITS), calculate(path)


@pytest.mark.xdist_group("formulas-digits")
def test_a_digits_workbooks_training_and_charts_sheets(digits):
    """Softmax and cross-entropy over 64 pixels that INDEX reads from the Data sheet, a
    mini-batch at a time: every cell of both attempts' rows within 1e-12 of the reference,
    the summary, and the confusion matrix's COUNTIFS exactly."""
    run, cells = digits
    assert describe(run).confusion is not None
    assert_network_cells(cells, run)


@pytest.mark.xdist_group("formulas-digits")
def test_a_digits_workbooks_pictures_sheet(digits):
    """At SHOW_ATTEMPT, the last attempt: every formula of the Pictures sheet — each class's
    weights, the held-out images' pixels, the network's answer to each, how sure it is and
    whether it is right, the confusion matrix's counts, the accuracies — as the check's
    reference has it."""
    run, cells = digits
    assert cells[PICTURES_SHEET_NAME.upper(), SHOW_CELL] == run.attempts
    shown = list(train_network(run))[run.attempts - 1]
    expected = pictures_values(describe_pictures(run, run.attempts), describe(run),
                               shown.weights, shown.biases)
    assert len(expected) > 1500
    assert mismatches(cells, PICTURES_SHEET_NAME, expected) == []


@pytest.mark.xdist_group("formulas-digits")
def test_a_digits_workbooks_data_sheet(digits):
    """Every pixel and title of the samples' pictures, and each sample's label, which INDEX
    and MATCH take from its one-hot targets."""
    run, cells = digits
    gallery = describe_gallery(run).values()
    assert len(gallery) == 5 * 65
    assert mismatches(cells, DATA_SHEET_NAME, gallery) == []
    labels = sample_labels(run)
    assert len(labels) == 5
    assert mismatches(cells, DATA_SHEET_NAME, labels, operator.eq) == []
