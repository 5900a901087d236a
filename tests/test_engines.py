"""Real spreadsheet engines recalculate the generated workbooks to the reference's numbers.

Every engine run forces recalculation (see sheetgen.engines.programs); the canary proves it did.
"""

import subprocess
from dataclasses import replace

import pytest
from helpers import (
    assert_sweep_rows_match,
    edit_in_libreoffice,
    generate,
    recalculated,
    set_input_cells,
    with_wrong_results,
)

from sheetgen.engines.subjects import sensitive_from
from sheetgen.engines.comparison import TOLERANCE, compare_values, summary_mismatch
from sheetgen.engines.programs import LIBREOFFICE, LibreOffice
from sheetgen.engines.reading import read_sheet_rows, read_training_sheet
from sheetgen.maths.neuron import Parameters, summarize, train
from sheetgen.sheets import sweep
from sheetgen.sheets.columns import COMPUTED

def assert_matches_reference(sheet, parameters, summary=True):
    assert sheet.parameters() == parameters
    comparison = compare_values(sheet.values.rows, train(parameters))
    assert comparison.mismatch is None
    assert comparison.compared_attempts == parameters.attempts
    if summary:
        expected = summarize(train(parameters), parameters.loss_threshold)
        assert summary_mismatch(sheet.values.panel, expected) is None


def test_canary_wrong_stored_results_come_back_corrected(engine, tmp_path):
    """Without forced recalculation this fails: the engine would keep the 12345s."""
    parameters = Parameters(attempts=50)
    spoiled = with_wrong_results(generate(tmp_path / "w.xlsx", parameters),
                                 tmp_path / "spoiled.xlsx")
    before = read_training_sheet(spoiled)
    assert before.values.rows[10]["L"] == 12345
    assert before.values.panel[27] == 12345     # the summary's status too
    after = read_training_sheet(recalculated(engine, spoiled))
    assert_matches_reference(after, parameters)


def test_sheetgens_own_libreoffice_recalculates_the_canary(libreoffice, tmp_path):
    """The tests' LibreOffice stays up for the session; sheetgen's own starts afresh for each
    file, on a throwaway profile, and must recalculate just the same."""
    parameters = Parameters(attempts=50)
    spoiled = with_wrong_results(generate(tmp_path / "w.xlsx", parameters),
                                 tmp_path / "spoiled.xlsx")
    assert type(LIBREOFFICE) is LibreOffice and LIBREOFFICE is not libreoffice
    assert_matches_reference(read_training_sheet(recalculated(LIBREOFFICE, spoiled)), parameters)


@pytest.mark.parametrize("parameters", [
    Parameters(),
    Parameters(learning_rate=0.5, attempts=300),
    Parameters(learning_rate=2, attempts=400),
    Parameters(learning_rate=-0.05, input=0.3, weight=-1.5, bias=0.25, attempts=200),
    Parameters(learning_rate=0, input=-0.07, target_factor=-3, weight=3, bias=-2, attempts=20),
], ids=["default", "rate-0.5", "rate-2", "negative-rate", "zero-rate"])
def test_engine_recalculates_to_the_reference(engine, tmp_path, parameters):
    source = with_wrong_results(generate(tmp_path / "w.xlsx", parameters), tmp_path / "c.xlsx")
    assert_matches_reference(read_training_sheet(recalculated(engine, source)), parameters)


@pytest.mark.parametrize("rate, first_below, status", [
    (0.1, 126, "converged"), (0.5, 21, "converged"), (1, 6, "converged"),
    (2, 277, "converged"), (5, "never", "diverging"), (50, "never", "diverging")])
def test_summary_cells_in_the_engine(engine, tmp_path, rate, first_below, status):
    parameters = Parameters(learning_rate=rate)
    source = with_wrong_results(generate(tmp_path / "w.xlsx", parameters), tmp_path / "c.xlsx")
    sheet = read_training_sheet(recalculated(engine, source))
    assert sheet.values.panel[21] == first_below
    if sensitive_from(parameters) is None:
        assert sheet.values.panel[27] == status
        assert_matches_reference(sheet, parameters)
    else:   # a chaotic run ends where its engine takes it: never converged, but how is its own
        assert sheet.values.panel[27] in ("diverging", "not converged")


@pytest.mark.parametrize("changes", [
    {"learning_rate": 0.5},
    {"input": 0.05, "target_factor": 4},
    {"weight": -0.8, "bias": 1.5, "learning_rate": 1},
    {"loss_threshold": 1e-6, "input": -0.02},
], ids=["rate", "input-and-factor", "weight-bias-rate", "threshold-and-input"])
def test_whole_sheet_follows_inputs_changed_after_generation(engine, tmp_path, changes):
    """Inputs edited in the file: every row, the summary and the sweep follow them."""
    generated = Parameters(attempts=300)
    edited = set_input_cells(generate(tmp_path / "w.xlsx", generated), tmp_path / "e.xlsx",
                             changes)
    path = recalculated(engine, edited)
    expected = replace(generated, **changes)
    assert_matches_reference(read_training_sheet(path), expected)
    assert_sweep_matches(path, expected)


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_user_edit_of_the_learning_rate(tmp_path):
    """A person opens the workbook in LibreOffice, types 0.5 into A2 and saves."""
    source = generate(tmp_path / "w.xlsx")
    edited = edit_in_libreoffice(source, tmp_path / "edited.xlsx", {"A2": 0.5}, tmp_path)
    saved = read_training_sheet(edited)
    # What LibreOffice itself saved (15 significant digits) follows the new rate.
    assert_matches_reference(saved, Parameters(learning_rate=0.5))
    assert saved.values.panel[21] == 21


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_user_edit_of_every_input(tmp_path):
    source = generate(tmp_path / "w.xlsx", Parameters(attempts=200))
    typed = {"A2": 0.7, "A5": 0.03, "A8": 5, "A11": -0.25, "A14": 0.9, "A17": 1e-9}
    edited = edit_in_libreoffice(source, tmp_path / "edited.xlsx", typed, tmp_path)
    expected = Parameters(learning_rate=0.7, input=0.03, target_factor=5, weight=-0.25,
                          bias=0.9, loss_threshold=1e-9, attempts=200)
    assert_matches_reference(read_training_sheet(edited), expected)
    assert_sweep_matches(edited, expected)


def assert_sweep_matches(path, parameters):
    assert_sweep_rows_match(
        read_sheet_rows(path, sweep.SWEEP_SHEET_NAME, sweep.COLUMNS, data_only=True), parameters)


def test_sweep_blocks_in_the_engine(engine, tmp_path):
    parameters = Parameters(attempts=400)
    source = with_wrong_results(generate(tmp_path / "w.xlsx", parameters), tmp_path / "c.xlsx",
                                sheets=("Training", "Sweep"))
    assert_sweep_matches(recalculated(engine, source), parameters)


def test_recalculating_moves_no_stored_value_by_more_than_the_tolerance(engine, tmp_path):
    parameters = Parameters(learning_rate=0.3, attempts=500)
    source = generate(tmp_path / "w.xlsx", parameters)
    stored = read_training_sheet(source)
    sheet = read_training_sheet(recalculated(engine, source))
    for before, after in zip(stored.values.rows, sheet.values.rows, strict=True):
        for col in COMPUTED:
            assert abs(after[col.letter] - before[col.letter]) <= TOLERANCE


def test_gnumeric_opens_the_workbook_without_a_warning(gnumeric, tmp_path):
    """Loaded and saved in Gnumeric's own format, so that only the reading can complain."""
    finished = subprocess.run([gnumeric.path(), str(generate(tmp_path / "w.xlsx")),
                               str(tmp_path / "w.gnumeric")], capture_output=True, text=True)
    assert finished.returncode == 0
    assert finished.stderr == ""


def test_chaotic_rate_agrees_until_the_sensitive_attempt(engine, tmp_path):
    parameters = Parameters(learning_rate=5, attempts=200)
    sensitive = sensitive_from(parameters)
    assert sensitive is not None
    sheet = read_training_sheet(recalculated(engine, generate(tmp_path / "w.xlsx", parameters)))
    comparison = compare_values(sheet.values.rows, train(parameters), until=sensitive)
    assert comparison.mismatch is None
    assert comparison.compared_attempts == sensitive - 1
