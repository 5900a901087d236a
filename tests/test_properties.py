"""Property tests over valid parameters: the reference, the stored results, a real engine."""

import math
import tempfile
from pathlib import Path

from helpers import generate, recalculated
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sheetgen.engines.subjects import sensitive_from
from sheetgen.engines.comparison import compare_values, summary_mismatch
from sheetgen.engines.reading import read_training_sheet
from sheetgen.maths.neuron import Parameters, summarize, train
from sheetgen.sheets import panel
from sheetgen.sheets.columns import COLUMNS, MAX_ATTEMPTS


def within(field: str, low: float | None = None, high: float | None = None):
    """Finite floats within the input cell's own bounds (or narrower ones)."""
    entry = next(e for e in panel.INPUTS if e.field == field)
    return st.floats(min_value=entry.low if low is None else low,
                     max_value=entry.high if high is None else high,
                     allow_nan=False, allow_infinity=False)


def parameters(attempts: int, **narrower):
    fields = ("learning_rate", "input", "target_factor", "weight", "bias", "loss_threshold")
    return st.builds(Parameters, attempts=st.integers(1, attempts),
                     **{name: within(name, *narrower.get(name, (None, None)))
                        for name in fields})


@given(parameters(attempts=400))
@settings(max_examples=300, deadline=None)
def test_reference_never_raises_and_never_overflows(chosen):
    for attempt in train(chosen):
        assert all(math.isfinite(value) for value in attempt)
    summarize(train(chosen), chosen.loss_threshold)


def test_the_largest_inputs_allowed_cannot_overflow():
    """The bounds on the inputs are what keep every cell finite, even over a million rows."""
    extreme = Parameters(learning_rate=1e6, input=1e6, target_factor=1e6, weight=-1e6,
                         bias=1e6, attempts=MAX_ATTEMPTS)
    *_, last = train(extreme)
    assert all(math.isfinite(value) for value in last)


@given(parameters(attempts=60))
@example(Parameters(learning_rate=1.4436531382012342e-296, input=0.0, target_factor=0.0,
                    weight=0.0, bias=0.0, loss_threshold=0.0, attempts=1))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_stored_values_equal_the_reference(chosen):
    with tempfile.TemporaryDirectory() as scratch:
        sheet = read_training_sheet(generate(Path(scratch) / "w.xlsx", chosen))
    assert sheet.parameters() == chosen
    for cells, attempt in zip(sheet.values.rows, train(chosen), strict=True):
        assert cells == {col.letter: getattr(attempt, col.field) for col in COLUMNS}


CLASSROOM = {"learning_rate": (-1, 10), "input": (-2, 2), "target_factor": (-20, 20),
             "weight": (-5, 5), "bias": (-5, 5)}
"""Ranges a class experiments in. Far outside them LibreOffice's habit of rounding a
difference of nearly equal numbers to zero can, times a huge rate, move later rows."""


@given(parameters(attempts=150, **CLASSROOM))
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
def test_libreoffice_agrees_until_the_run_turns_chaotic(libreoffice, chosen):
    with tempfile.TemporaryDirectory() as scratch:
        source = generate(Path(scratch) / "w.xlsx", chosen)
        sheet = read_training_sheet(recalculated(libreoffice, source))
    onset = sensitive_from(chosen)
    comparison = compare_values(sheet.values.rows, train(chosen), until=onset)
    assert comparison.mismatch is None
    if onset is None:
        assert comparison.compared_attempts == chosen.attempts
        expected = summarize(train(chosen), chosen.loss_threshold)
        assert summary_mismatch(sheet.values.panel, expected) is None
