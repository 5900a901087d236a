"""One sample through a network, forward and backward, and a row's gradients: the engine of
the reference, in plain Python floats.

Forward, each layer's nets come from its record (for a dense layer, Σ input·weight + bias:
see `dense`) and its outputs from its activation, f(net); backward, δ is the loss's slope with
respect to a neuron's net, by the chain rule, from the output layer (where the loss says it)
back, each layer's record carrying it to the layer before, the activation's slope applied
here. Each parameter's gradient, averaged over the row's samples, comes from its layer's
record (a weight's is δ of the neuron it feeds times the output coming in along it).

The arithmetic follows the sheet's formulas in order, term by term and left to right, so
that an engine computing in IEEE-754 doubles lands on the same bits. Sums are folded by hand:
Python's `sum` of floats compensates for rounding since 3.12, and no formula does. The
layers' hot loops are plain index loops on purpose: for vectors of a few elements they beat
zip, map, reduce and nested helpers on CPython.
"""

from collections.abc import Callable, Sequence
from operator import sub
from typing import NamedTuple

from sheetgen.maths.activations import Activation
from sheetgen.maths.losses import Loss
from sheetgen.maths.shape import Biases, Sample, Weights
from sheetgen.maths.stack import Layer


Nudge = Callable[[float], float]
"""Applied to every rounded activation's output: the reference with an engine's rounding."""


class Pass(NamedTuple):
    """One sample through the network: forward, then backward."""

    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    nets: list[list[float]]
    """nets[l][j], for layers 1 to L (index 0 is layer 1)."""
    outputs: list[list[float]]
    errors: list[float]
    """y − t of each output."""
    deltas: list[list[float]]
    """deltas[l][j] = d loss / d net of neuron j of layer l + 1."""
    loss: float | None = None
    """The sample's own loss, where the loss gives it a column (`Loss.of_row`)."""


def forward(layers: Sequence[Layer], activations: Sequence[Activation], weights: Weights,
            biases: Biases, a: Sequence[float], nudge: Nudge | None = None
            ) -> tuple[list[list[float]], ...]:
    """The nets and outputs of every layer from the inputs `a`: each layer's nets from its
    record, its outputs from its activation (the sequences may start at any layer, `a`
    being the layer before's outputs)."""
    nets, outputs = [], []
    for layer, w, b, f in zip(layers, weights, biases, activations):
        z = layer.nets(a, w, b)
        y = f.outputs(z)
        if nudge is not None and f.rounded:
            y = list(map(nudge, y))
        nets.append(z)
        outputs.append(y)
        a = y
    return nets, outputs


def backward(layers: Sequence[Layer], activations: Sequence[Activation], loss: Loss,
             weights: Weights, nets: list[list[float]], outputs: list[list[float]],
             errors: list[float]) -> list[list[float]]:
    """δ of every neuron, by the chain rule, from the output layer back.

    Output layer: as the loss says (for the squared error, error · f′).
    Hidden layer: what the later layer carries back (Σ_j w_ji · δ_j, with the weights this
    attempt used) times f′.
    """
    delta = loss.output_deltas(activations[-1], nets[-1], outputs[-1], errors)
    deltas = [delta]
    for layer in range(len(nets) - 2, -1, -1):
        back = layers[layer + 1].back(weights[layer + 1], delta, outputs[layer],
                                      nets[layer + 1])
        slope, z, y = activations[layer].slope, nets[layer], outputs[layer]
        delta = []
        for i in range(len(z)):
            delta.append(back[i] * slope(z[i], y[i]))
        deltas.append(delta)
    deltas.reverse()
    return deltas


def through(layers: Sequence[Layer], activations: Sequence[Activation], loss: Loss,
            weights: Weights, biases: Biases, sample: Sample, nudge: Nudge | None = None
            ) -> Pass:
    """One sample through the network: `forward`, the errors y − t, then `backward`."""
    nets, outputs, errors, own = _forward_errors(layers, activations, loss, weights, biases,
                                                 sample, nudge)
    return Pass(sample.inputs, sample.targets, nets, outputs, errors,
                backward(layers, activations, loss, weights, nets, outputs, errors), own)


def evaluated(layers: Sequence[Layer], activations: Sequence[Activation], loss: Loss,
              weights: Weights, biases: Biases, sample: Sample, nudge: Nudge | None = None
              ) -> Pass:
    """One sample forward only, as a held-out test sample goes: the nets and outputs, the
    errors y − t and its own loss (where the loss gives it a column), no δ."""
    nets, outputs, errors, own = _forward_errors(layers, activations, loss, weights, biases,
                                                 sample, nudge)
    return Pass(sample.inputs, sample.targets, nets, outputs, errors, [], own)


def _forward_errors(layers: Sequence[Layer], activations: Sequence[Activation], loss: Loss,
                    weights: Weights, biases: Biases, sample: Sample, nudge: Nudge | None
                    ) -> tuple[list[list[float]], list[list[float]], list[float], float | None]:
    """A sample's nets and outputs, its errors y − t, and its own loss where the loss gives
    it a column."""
    nets, outputs = forward(layers, activations, weights, biases, sample.inputs, nudge)
    errors = list(map(sub, outputs[-1], sample.targets))
    own = loss.of_sample(loss.terms(outputs[-1], sample.targets, errors)) if loss.negated \
        else None
    return nets, outputs, errors, own


def sample_loss(loss: Loss, outputs: Sequence[float], targets: Sequence[float]) -> list[float]:
    """The loss's terms of one sample, one per output, in the order the Loss cell adds them."""
    return loss.terms(outputs, targets, list(map(sub, outputs, targets)))


def row_loss(loss: Loss, passes: list[Pass]) -> float:
    """The row's loss: every sample's terms, added in order, over the number of samples."""
    if loss.negated:   # each pass holds its own loss already (`through`)
        return loss.of_samples([p.loss for p in passes], len(passes))
    terms = loss.terms
    return loss.of_row([terms(p.outputs[-1], p.targets, p.errors) for p in passes],
                       len(passes))


def gradients(layers: Sequence[Layer], passes: list[Pass]
              ) -> tuple[list[list[list[float]]], list[list[float]]]:
    """Each layer's weight and bias gradients, from its record: the mean over the passes of
    d loss/d w and d loss/d b."""
    weight_gradients, bias_gradients = [], []
    for number, layer in enumerate(layers):
        a = [p.outputs[number - 1] if number else p.inputs for p in passes]  # a[s][i]
        d = [p.deltas[number] for p in passes]                                 # d[s][j]
        w_gradients, b_gradients = layer.gradients(a, d)
        weight_gradients.append(w_gradients)
        bias_gradients.append(b_gradients)
    return weight_gradients, bias_gradients
