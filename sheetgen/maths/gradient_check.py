"""The gradient check: each weight and bias moved up and down by H, the row's loss computed
again, forward only, and the slope between the two losses set beside the gradient
backpropagation found.

A moved loss is computed from the moved parameter's layer on; the layers before it are as
the row has them, as the moved loss's formula reads them from the row's cells. Where the run
penalises its weights, the moved loss includes the penalty: computed again with a moved weight,
the row's own with a moved bias, which no penalty sees.
"""

from collections.abc import Sequence
from typing import NamedTuple

from sheetgen.maths.activations import Activation
from sheetgen.maths.parameter_table import Key
from sheetgen.maths.stack import Layer
from sheetgen.maths.losses import Loss
from sheetgen.maths import penalties
from sheetgen.maths.passes import Nudge, Pass, forward, sample_loss
from sheetgen.maths.penalties import Penalty
from sheetgen.maths.shape import Biases, Parameter, Weights, weights_of


class Check(NamedTuple):
    """A parameter's gradient checked by central finite differences: the row's loss with the
    parameter moved up and down by H, the slope between them, and how far that is from the
    analytic gradient, relatively."""

    loss_up: float
    loss_down: float
    estimate: float
    difference: float


def checks(h: float, layers: Sequence[Layer], activations: Sequence[Activation], loss: Loss,
           passes: list[Pass], weights: Weights, biases: Biases, parameters: list[Parameter],
           gradients: list[float], nudge: Nudge | None,
           chosen: Sequence[tuple[Penalty, float]] = ()) -> list[Check]:
    """Each parameter's gradient (`parameters` and `gradients` in the row's order) checked
    against (loss(p + H) − loss(p − H)) / 2H; the loss includes the `chosen` penalties."""
    found = []
    weight_values = weights_of(weights)
    weight_number = iter(range(len(weight_values)))
    for (number, j, i), gradient in zip(parameters, gradients):
        layer, key = layers[number - 1], (j, i)
        p = layer.value(key, weights[number - 1], biases[number - 1])
        index = None if i is None else next(weight_number)
        up, down = (_loss_from(number, layers, activations, loss,
                               *_moved(layer, weights, biases, number, key, moved), passes,
                               nudge)
                    for moved in (p + h, p - h))
        if chosen:
            up += _penalty(chosen, weight_values, index, p + h)
            down += _penalty(chosen, weight_values, index, p - h)
        estimate = estimate_of(up, down, h)
        found.append(Check(up, down, estimate, difference_of(estimate, gradient)))
    return found


def estimate_of(loss_up: float, loss_down: float, h: float) -> float:
    """The central finite difference: (loss(p + H) − loss(p − H)) / 2H."""
    return (loss_up - loss_down) / (2 * h)


def difference_of(estimate: float, gradient: float) -> float:
    """|estimate − gradient| over the larger of the two in size; 0 where both are."""
    larger = max(abs(estimate), abs(gradient))
    return 0.0 if larger == 0 else abs(estimate - gradient) / larger


def _loss_from(layer: int, layers: Sequence[Layer], activations: Sequence[Activation],
               loss: Loss, weights: list, biases: list, passes: list[Pass],
               nudge: Nudge | None) -> float:
    """The loss of the row's passes, as the row's Loss adds it, with the outputs computed again
    from `layer` on (`weights` and `biases` are that layer's and the later ones')."""
    terms = []
    for p in passes:
        a = p.outputs[layer - 2] if layer > 1 else p.inputs
        outputs = forward(layers[layer - 1:], activations[layer - 1:], weights, biases, a,
                          nudge)[1][-1]
        terms.append(sample_loss(loss, outputs, p.targets))
    return loss.of_row(terms, len(passes))


def _penalty(chosen: Sequence[tuple[Penalty, float]], weights: list[float], index: int | None,
             moved: float) -> float:
    """The penalties with weight `index` moved to `moved` (none moved for a bias)."""
    if index is not None:
        weights = [*weights[:index], moved, *weights[index + 1:]]
    return penalties.total(chosen, weights)


def _moved(layer: Layer, weights: Weights, biases: Biases, number: int, key: Key,
           value: float) -> tuple[list, list]:
    """The weights and biases from layer `number` on, with its parameter `key` set to
    `value` (by its record)."""
    w, b = layer.with_value(key, value, weights[number - 1], biases[number - 1])
    return [w, *weights[number:]], [b, *biases[number:]]
