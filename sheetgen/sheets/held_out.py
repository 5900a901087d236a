"""What the Charts sheet's summary adds for a run with held-out test samples: the lowest test
loss and the attempt that reaches it, and, where the loss classifies, the last attempt's test
accuracy."""

from collections.abc import Mapping

from sheetgen.maths.fields import TEST_ACCURACY, TEST_LOSS, Field
from sheetgen.maths.network import Run
from sheetgen.sheets import panel
from sheetgen.sheets.columns import SHEET_NAME

OVERFITTING_NOTE = ("Well before the last attempt, while the training loss still falls, "
                    "the network is learning its training samples by heart: it over-fits.")


def test_results(run: Run, letters: Mapping[Field, str], first_row: int
                 ) -> tuple[panel.Result, ...]:
    """The test set's summary cells, one below the other from `first_row`; none without
    one."""
    if not run.tests:
        return ()
    losses = f"{SHEET_NAME}!{letters[TEST_LOSS]}{{first}}:{letters[TEST_LOSS]}{{last}}"
    results = [
        panel.Result("Lowest test loss", first_row, f"=MIN({losses})", "lowest_test_loss",
                     "0.000E+00"),
        panel.Result("Lowest test loss at attempt", first_row + 2,
                     f"=MATCH(MIN({losses}),{losses},0)", "lowest_test_at", "0",
                     note=OVERFITTING_NOTE)]
    if run.criterion.classifies:
        results.append(panel.Result("Final test accuracy", panel.row_after(tuple(results)),
                                    f"={SHEET_NAME}!{letters[TEST_ACCURACY]}{{last}}",
                                    "final_test_accuracy", "0.00%"))
    return tuple(results)
