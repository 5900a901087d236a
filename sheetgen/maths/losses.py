"""The losses: how far a sample's outputs are from its targets, as one number, and where
backpropagation starts from it, the output layer's δ.

Each is one record, read alike by the reference (`terms`, `output_deltas`, `of_row`), the
sheet (`term_formula`, `delta_formula`) and the Notes (the words). A row's loss is the sum of
its samples' terms, one per output, divided by the number of samples, and negated for the
cross-entropy, whose terms are log-likelihoods. A loss sees a whole output layer at once
(`terms`, `output_deltas`): the cross-entropy of a softmax layer is a record of its own
(`for_output` picks it).

The cross-entropy takes the natural logarithm (`LN` in a cell; Excel's `LOG` is base 10) of
each output and, for sigmoid outputs, of one minus it. Where a sigmoid output reaches exactly 1
in doubles (a net above about 37) or a softmax output exactly 0, that logarithm is −∞ and a
cell would show #NUM!: the reference stops there (`math.log` refuses 0), and the run is refused
with the attempt, as an overflow is.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add, mul

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
    sample_words: str
    """A sample's loss, for its column where it has one."""
    delta_meaning: str
    """An output's δ, for its column, from its activation's {slope} in words."""
    rule_words: str
    """How the loss is computed from the error, for the Notes."""
    delta_words: str
    """How an output's δ follows from its error, for the Notes."""
    negated: bool = False
    """Whether a sample's loss is minus the sum of its terms (log-likelihoods); such a loss
    gives each sample's loss a column of its own (`of_row`)."""
    classifies: bool = False
    """Whether the outputs are read as classes: each sample's verdict and the row's accuracy
    are shown (`classification`)."""
    layerwise: "Loss | None" = None
    """The record that takes its place where the output layer's activation needs the whole
    layer (softmax); None where it is the same."""

    def for_output(self, activation: Activation) -> "Loss":
        """The record for an output layer of this activation."""
        return self if activation.elementwise or self.layerwise is None else self.layerwise

    def of_sample(self, terms: Sequence[float]) -> float:
        """One sample's loss from its terms, added in order (negated for the cross-entropy)."""
        total = reduce(add, terms)
        return -total if self.negated else total

    def of_row(self, terms_by_sample: Sequence[Sequence[float]], count: int) -> float:
        """The row's loss from each sample's terms, over `count` samples. The cross-entropy
        adds its samples' own losses, each of which has a column (so that a row of many
        samples stays within Excel's formula length); the squared error adds every term in
        one sum, as the article's sheet does."""
        if self.negated:
            return self.of_samples([self.of_sample(terms) for terms in terms_by_sample], count)
        return reduce(add, [term for terms in terms_by_sample for term in terms]) / count

    @staticmethod
    def of_samples(losses: Sequence[float], count: int) -> float:
        """The row's loss from its samples' own losses, added in order, over `count`."""
        return reduce(add, losses) / count

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
    "Half the squared error, summed over the outputs", "", "its error times {slope}",
    "error = out − target for each output; loss = error² / 2, summed over the outputs (and "
    "averaged over the row's samples).",
    "δ = error × the slope of its activation: how the loss changes with the neuron's net "
    "(the article's bias gradient, =P*(1-L^2)).")

def _errors(activation: Activation, nets: Sequence[float], outputs: Sequence[float],
            errors: Sequence[float]) -> list[float]:
    """δ = y − t: the slope of the log cancels against the activation's."""
    return list(errors)


def _output_is_its_error(error: str, slope: str | None) -> str:
    return f"={error}"


_CROSS_ENTROPY_DELTA = ("its output minus its target, the error: the slope of the "
                        "cross-entropy cancels against the activation's")
_CROSS_ENTROPY_DELTA_WORDS = (
    "δ = out − target, the error itself: the cross-entropy's slope, −t/y (+ (1−t)/(1−y) for a "
    "sigmoid), times the activation's slope, y(1−y) for a sigmoid or softmax's for its layer, "
    "comes to exactly y − t, so no slope factor appears and the δ never vanishes as a "
    "saturated output's slope would make it.")

CATEGORICAL_CROSS_ENTROPY = Loss(
    "cross-entropy",
    lambda outputs, targets, errors: [t * math.log(y) for y, t in zip(outputs, targets)],
    "{t}*LN({y})", _errors, _output_is_its_error,
    "The mean of the samples' cross-entropies",
    "−Σ t·ln(out) over the outputs, minus the logarithm of the probability it gives the "
    "sample's class", _CROSS_ENTROPY_DELTA,
    "loss = −Σ t_k·ln(p_k) over the outputs: minus the logarithm of the probability the "
    "network gives the right class (averaged over the row's samples). LN, the natural "
    "logarithm; Excel's LOG is base 10.",
    _CROSS_ENTROPY_DELTA_WORDS, negated=True, classifies=True)

BINARY_CROSS_ENTROPY = Loss(
    "cross-entropy",
    lambda outputs, targets, errors: [t * math.log(y) + (1 - t) * math.log(1 - y)
                                      for y, t in zip(outputs, targets)],
    "({t}*LN({y})+(1-{t})*LN(1-{y}))", _errors, _output_is_its_error,
    "The mean of the samples' binary cross-entropies",
    "−(t·ln(out) + (1−t)·ln(1−out)), summed over the outputs: minus the logarithm of the "
    "probability the outputs give the targets", _CROSS_ENTROPY_DELTA,
    "loss = −(t·ln(out) + (1 − t)·ln(1 − out)) for each output, summed over the outputs "
    "(and averaged over the row's samples): minus the logarithm of the probability the "
    "output gives the target. LN, the natural logarithm; Excel's LOG is base 10.",
    _CROSS_ENTROPY_DELTA_WORDS, negated=True, classifies=True,
    layerwise=CATEGORICAL_CROSS_ENTROPY)

LOSSES = {loss.name: loss for loss in (SQUARED_ERROR, BINARY_CROSS_ENTROPY)}
"""By the name the options give: the cross-entropy's record is the binary one, which gives
way to the categorical one on a softmax layer (`Loss.for_output`)."""
