"""The losses: how far a sample's outputs are from its targets, as one number, and where
backpropagation starts from it, the output layer's δ.

Each is one record, read alike by the reference (`terms`, `output_deltas`), the sheet
(`term_formula`, `delta_formula`) and the Notes (the words). A row's loss is the sum of its
samples' terms, one per output, divided by the number of samples. A loss sees a whole output
layer at once (`terms`, `output_deltas`), as softmax's cross-entropy will need.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import mul

from sheetgen.maths.activations import Activation


@dataclass(frozen=True)
class Loss:
    name: str
    terms: Callable[[Sequence[float], Sequence[float], Sequence[float]], list[float]]
    """Each output's share of a sample's loss, from the outputs y, targets t and errors
    y − t of the output layer, in the order the Loss cell adds them."""
    term_template: str
    """One output's term as a formula, from the cells or expressions {y}, {t} and {error}."""
    output_deltas: Callable[[Activation, Sequence[float], Sequence[float], Sequence[float]],
                            list[float]]
    """δ of each output neuron, d loss / d net, from the layer's activation, nets, outputs
    and errors."""
    delta_formula: Callable[[str, str | None], str]
    """`output_deltas` as an output's formula, from its error's cell and its activation's
    slope factor (None where the slope is 1)."""
    words: str
    """What the loss is, for the Loss column: '… summed over the outputs'."""
    delta_meaning: str
    """An output's δ, for its column, from its activation's {slope} in words."""
    rule_words: str
    """How the loss is computed from the error, for the Notes."""
    delta_words: str
    """How an output's δ follows from its error, for the Notes."""

    def term_formula(self, y: str, t: str, error: str | None = None) -> str:
        """One output's term in a formula; `error` is the error's cell, or (y−t) inline."""
        return self.term_template.format(y=y, t=t, error=error or f"({y}-{t})")


def _squared_error_deltas(activation: Activation, nets: Sequence[float],
                          outputs: Sequence[float], errors: Sequence[float]) -> list[float]:
    """d (error²/2) / d net = error · f′: the error, times the activation's slope."""
    return list(map(mul, errors, map(activation.slope, nets, outputs)))


SQUARED_ERROR = Loss(
    "mse", lambda outputs, targets, errors: [e**2 / 2 for e in errors], "{error}^2/2",
    _squared_error_deltas,
    lambda error, slope: f"={error}" if slope is None else f"={error}*{slope}",
    "Half the squared error, summed over the outputs", "its error times {slope}",
    "error = out − target for each output; loss = error² / 2, summed over the outputs (and "
    "averaged over the row's samples).",
    "δ = error × the slope of its activation: how the loss changes with the neuron's net "
    "(the article's bias gradient, =P*(1-L^2)).")

LOSSES = {loss.name: loss for loss in (SQUARED_ERROR,)}
