"""The Sweep sheet: the same neuron trained side by side at several learning rates.

Each block is a compact copy of the Training sheet's maths in four columns — weight, bias,
output, loss — with the gradients folded into the weight and bias updates, and its own
learning-rate cell above it. The formulas evaluate in the same order as the reference, so the
blocks reproduce it exactly, and they read the training input, target factor and initial
weight and bias from the Training sheet's named cells.
"""

from dataclasses import replace

from openpyxl.utils import get_column_letter

from sheetgen.maths.losses import SQUARED_ERROR
from sheetgen.maths.neuron import Parameters
from sheetgen.sheets.columns import SMALL_FORMAT, STATE_FORMAT, TANH, Column, constant

SWEEP_SHEET_NAME = "Sweep"
RATES = (0.01, 0.1, 0.5, 1, 2, 5)
MOST_ATTEMPTS = 1000
"""The Sweep sheet stops here even when the Training sheet goes on: six curves of a thousand
attempts show every behaviour the rates have, and keep a 100,000-row workbook light."""
BLOCK_WIDTH = 5
"""Four columns and a spacer."""

TARGET = "TRAINING_INPUT*TARGET_FACTOR"
BIAS_GRADIENT = SQUARED_ERROR.delta_formula(
    f"({{output}}{{prev}}-{TARGET})",
    TANH.slope_of("TRAINING_INPUT*{weight}{prev}+{bias}{prev}", "{output}{prev}"))[1:]
"""The row before's error times the slope of tanh, folded into the weight's and bias's
updates."""


def block_letters(block: int) -> dict[str, str]:
    start = 2 + block * BLOCK_WIDTH
    names = ("weight", "bias", "output", "loss")
    return {name: get_column_letter(start + i) for i, name in enumerate(names)}


def rate_cell(block: int) -> str:
    """The block's learning-rate cell, as an absolute reference: above its loss column."""
    return f"${block_letters(block)['loss']}$1"


def block_columns(block: int) -> tuple[Column, ...]:
    letters = block_letters(block)
    rate = rate_cell(block)
    weight, bias, output = letters["weight"], letters["bias"], letters["output"]
    bias_gradient = BIAS_GRADIENT.format(prev="{prev}", output=output)
    forward = TANH.output_formula([f"TRAINING_INPUT*{weight}{{row}}+{bias}{{row}}"], 0)
    loss = "=" + SQUARED_ERROR.term_formula(f"{output}{{row}}", TARGET)
    return (
        Column(weight, "Weight", "weight", "=INITIAL_WEIGHT",
               f"={weight}{{prev}}-{bias_gradient}*TRAINING_INPUT*{rate}", STATE_FORMAT, 12,
               "The weight, updated by this block's learning rate.", run=block),
        Column(bias, "Bias", "bias", "=INITIAL_BIAS",
               f"={bias}{{prev}}-{bias_gradient}*{rate}", STATE_FORMAT, 12,
               "The bias, updated by this block's learning rate.", run=block),
        Column(output, "Output", "output", forward, forward, STATE_FORMAT, 12,
               "tanh of input × weight + bias.", run=block),
        Column(letters["loss"], "Loss", "loss", loss, loss, SMALL_FORMAT, 12,
               "Half the squared error.", run=block),
    )


ATTEMPT = constant("A", "Attempt", "number", "0", 9, "Which attempt this row is.")
COLUMNS = (ATTEMPT,) + tuple(col for block in range(len(RATES)) for col in block_columns(block))
SPACERS = tuple(get_column_letter(1 + (block + 1) * BLOCK_WIDTH) for block in range(len(RATES)))


def sweep_runs(parameters: Parameters) -> list[Parameters]:
    """The run behind each block: the workbook's parameters at each block's rate."""
    attempts = min(parameters.attempts, MOST_ATTEMPTS)
    return [replace(parameters, learning_rate=rate, attempts=attempts) for rate in RATES]
