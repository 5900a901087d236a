"""Real spreadsheet engines recalculate the generated workbooks to the reference's numbers.

Every engine run forces recalculation (see sheetgen.engines); the canary proves it did.
"""

import pytest

from helpers import (edit_in_libreoffice, generate, require_engine, with_cell_text,
                     with_wrong_results)
from sheetgen.check import TOLERANCE, compare_values, sensitive_from
from sheetgen.columns import COMPUTED
from sheetgen.reading import read_training_sheet
from sheetgen.reference import Parameters, train

ENGINE_NAMES = ["libreoffice", "gnumeric"]


@pytest.fixture(params=ENGINE_NAMES)
def engine(request):
    return require_engine(request.param)


def recalculate(engine, source, tmp_path):
    destination = tmp_path / f"{source.stem}-{engine.name}.xlsx"
    warnings = engine.recalculate(source, destination)
    return read_training_sheet(destination), warnings


def assert_matches_reference(sheet, parameters):
    assert sheet.learning_rate == parameters.learning_rate
    assert len(sheet.values) == parameters.attempts
    comparison = compare_values(sheet.values, train(parameters))
    assert comparison.mismatch is None
    assert comparison.compared_attempts == parameters.attempts


def test_canary_wrong_stored_results_come_back_corrected(engine, tmp_path):
    """Without forced recalculation this fails: the engine would keep the 12345s."""
    parameters = Parameters(attempts=50)
    spoiled = with_wrong_results(generate(tmp_path / "w.xlsx", parameters),
                                 tmp_path / "spoiled.xlsx")
    before = read_training_sheet(spoiled)
    assert before.values[10]["L"] == 12345
    after, _ = recalculate(engine, spoiled, tmp_path)
    assert_matches_reference(after, parameters)


@pytest.mark.parametrize("parameters", [
    Parameters(),
    Parameters(learning_rate=0.5, attempts=300),
    Parameters(learning_rate=2, attempts=400),
    Parameters(learning_rate=-0.05, input=0.3, weight=-1.5, bias=0.25, attempts=200),
    Parameters(learning_rate=0, input=-0.07, weight=3, bias=-2, attempts=20),
], ids=["default", "rate-0.5", "rate-2", "negative-rate", "zero-rate"])
def test_engine_recalculates_to_the_reference(engine, tmp_path, parameters):
    source = with_wrong_results(generate(tmp_path / "w.xlsx", parameters), tmp_path / "c.xlsx")
    sheet, warnings = recalculate(engine, source, tmp_path)
    assert_matches_reference(sheet, parameters)
    assert warnings == ""


def test_sheet_follows_a_learning_rate_changed_after_generation(engine, tmp_path):
    """A2 edited in the file: every row must follow the new rate, not the generated one."""
    source = generate(tmp_path / "w.xlsx", Parameters(learning_rate=0.1, attempts=300))
    edited = with_cell_text(source, tmp_path / "edited.xlsx", "A2", "<v>0.1</v>", "<v>0.5</v>")
    sheet, _ = recalculate(engine, edited, tmp_path)
    assert_matches_reference(sheet, Parameters(learning_rate=0.5, attempts=300))
    assert next(i for i, row in enumerate(sheet.values, 1) if row["Q"] < 1e-12) == 21


def test_libreoffice_user_edit_of_the_learning_rate(tmp_path):
    """A person opens the workbook in LibreOffice, types 0.5 into A2 and saves."""
    source = generate(tmp_path / "w.xlsx")
    edited = edit_in_libreoffice(source, tmp_path / "edited.xlsx", "A2", 0.5, tmp_path)
    saved = read_training_sheet(edited)
    assert saved.learning_rate == 0.5
    # What LibreOffice itself saved (15 significant digits) follows the new rate.
    assert compare_values(saved.values, train(Parameters(learning_rate=0.5))).mismatch is None


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_recalculating_moves_no_stored_value_by_more_than_the_tolerance(name, tmp_path):
    engine = require_engine(name)
    parameters = Parameters(learning_rate=0.3, attempts=500)
    source = generate(tmp_path / "w.xlsx", parameters)
    stored = read_training_sheet(source)
    sheet, _ = recalculate(engine, source, tmp_path)
    for before, after in zip(stored.values, sheet.values, strict=True):
        for col in COMPUTED:
            assert abs(after[col.letter] - before[col.letter]) <= TOLERANCE


def test_chaotic_rate_agrees_until_the_sensitive_attempt(engine, tmp_path):
    parameters = Parameters(learning_rate=5, attempts=200)
    sensitive = sensitive_from(parameters)
    assert sensitive is not None
    sheet, _ = recalculate(engine, generate(tmp_path / "w.xlsx", parameters), tmp_path)
    comparison = compare_values(sheet.values, train(parameters), until=sensitive)
    assert comparison.mismatch is None
    assert comparison.compared_attempts == sensitive - 1


def test_rust_preset_trained_output_in_the_engine(engine, tmp_path):
    parameters = Parameters(learning_rate=0.01, attempts=100_001)
    source = with_wrong_results(generate(tmp_path / "rust.xlsx", parameters),
                                tmp_path / "rust-canary.xlsx")
    sheet, _ = recalculate(engine, source, tmp_path)
    assert sheet.values[-1]["O"] == 100_001
    assert abs(sheet.values[-1]["L"] - 0.1000000000000007) <= 1e-15
    assert_matches_reference(sheet, parameters)
