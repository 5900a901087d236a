"""What classifying adds to a run: each sample's verdict (its class, the class the network
picks, whether it is right), the row's accuracy, and which outputs, losses and targets go
together.

A softmax layer picks one class among its outputs: the first largest output's (as numpy's
argmax breaks ties). Other outputs each say yes (at or above the threshold, halfway between a
class's absence and its presence as targets: 0.5, or 0 for tanh's −1 and 1) or no; a single one
picks the second of two classes for yes, the first for no. A sample is right where the class
picked is its own, or, with several sigmoid outputs (each its own yes or no), where every
output is on its target's side of 0.5. Classes are numbered from 1, in the order of `Run.classes`.
"""

from collections.abc import Sequence
from typing import NamedTuple

from sheetgen.maths.activations import ACTIVATIONS, Activation
from sheetgen.maths.losses import LOSSES
from sheetgen.maths.shape import Network, Sample


def threshold(network: Network) -> float:
    """An output at or above this says yes: halfway between the targets of no and yes."""
    return (ACTIVATIONS[network.activations[-1]].low + 1) / 2


class Verdict(NamedTuple):
    """One sample's classification in a row."""

    true_class: int | None
    """Its class, from 1; None for several sigmoid outputs, which have no single class."""
    predicted: int | None
    right: float
    """1.0 where it is classified right, else 0.0: a number the row's accuracy averages."""


def output_names(classes: Sequence[str], outputs: int) -> tuple[str, ...]:
    """The output neurons' names: one per class, or for a single output the second class's,
    which it says yes to; none for numeric targets."""
    if not classes:
        return ()
    return tuple(classes) if outputs == len(classes) else (classes[-1],)


def picks_one_class(network: Network) -> bool:
    """Whether the outputs pick one class: a softmax layer, or a single sigmoid output."""
    return network.sizes[-1] == 1 or not ACTIVATIONS[network.activations[-1]].elementwise


def first_largest(values: Sequence[float]) -> int:
    """The position, from 1, of the first of the largest values."""
    return values.index(max(values)) + 1


def class_of(values: Sequence[float], middle: float) -> int:
    """The class that outputs or targets say: the first largest, or for a single one the
    second class at or above the threshold `middle`, the first below."""
    if len(values) == 1:
        return 2 if values[0] >= middle else 1
    return first_largest(values)


def verdict(network: Network, outputs: Sequence[float], targets: Sequence[float]) -> Verdict:
    middle = threshold(network)
    if picks_one_class(network):
        true, predicted = class_of(targets, middle), class_of(outputs, middle)
        return Verdict(true, predicted, 1.0 if true == predicted else 0.0)
    right = all((y >= middle) == (t >= middle) for y, t in zip(outputs, targets))
    return Verdict(None, None, 1.0 if right else 0.0)


def accuracy(verdicts: Sequence[Verdict]) -> float:
    """The share of the row's samples classified right, added in order as the cell adds it."""
    total = verdicts[0].right
    for later in verdicts[1:]:
        total += later.right
    return total / len(verdicts)


def refusal(network: Network, loss: str, samples: Sequence[Sample]) -> str | None:
    """Why the outputs, the loss and the targets do not go together, in one line; None where
    they do."""
    activations = [ACTIVATIONS[name] for name in network.activations]
    output = activations[-1]
    for layer, activation in enumerate(activations[:-1], start=1):
        if not activation.elementwise:
            return (f"{activation.name} is for the output layer only, not hidden layer "
                    f"{layer}")
    if not output.elementwise:
        if network.sizes[-1] < 2:
            return (f"{output.name} needs at least 2 outputs, one per class; for a single "
                    "output use sigmoid")
        if not LOSSES[loss].classifies:
            return f"{output.name} goes with --loss cross-entropy, not {loss}"
    if LOSSES[loss].classifies:
        return _cross_entropy_refusal(loss, output, samples)
    return None


def _cross_entropy_refusal(loss: str, output: Activation,
                           samples: Sequence[Sample]) -> str | None:
    if not output.probabilities:
        fitting = [a.name for a in ACTIVATIONS.values() if a.probabilities]
        return (f"--loss {loss} needs a {' or '.join(fitting)} output layer, not "
                f"{output.name} (--activation …,{fitting[0]})")
    for number, sample in enumerate(samples, start=1):
        outside = [t for t in sample.targets if not 0 <= t <= 1]
        if outside:
            return (f"--loss {loss} needs targets between 0 and 1; sample {number}'s target "
                    f"is {outside[0]:g}")
        if not output.elementwise and sorted(sample.targets) != [0.0] * (
                len(sample.targets) - 1) + [1.0]:
            shown = ", ".join(f"{t:g}" for t in sample.targets)
            return (f"{output.name} needs one class per sample, its targets one 1 and the "
                    f"rest 0; sample {number}'s are {shown}")
    return None
