"""One sample through a network, forward and backward, and a row's gradients: the engine of
the reference, in plain Python floats.

Forward, each neuron's net is Σ input·weight + bias and its output f(net); backward, δ is the
loss's slope with respect to a neuron's net, by the chain rule, from the output layer (where
the loss says it) back. A weight's gradient is δ of the neuron it feeds times the output
coming in along it, a bias's is δ, each averaged over the row's samples.

The arithmetic follows the sheet's formulas in order, term by term and left to right, so
that an engine computing in IEEE-754 doubles lands on the same bits. Sums are folded by hand:
Python's `sum` of floats compensates for rounding since 3.12, and no formula does. The hot
loops are plain index loops on purpose: for vectors of a few elements they beat zip, map,
reduce and nested helpers on CPython, and they keep the indices of the maths: j a neuron of
the layer, i one of the layer before, s a pass (a sample).
"""

from collections.abc import Callable, Sequence
from operator import sub
from typing import NamedTuple

from sheetgen.maths.activations import Activation
from sheetgen.maths.losses import Loss
from sheetgen.maths.shape import Biases, Sample, Weights


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


def forward(activations: Sequence[Activation], weights: Weights, biases: Biases,
            a: Sequence[float], nudge: Nudge | None = None) -> tuple[list[list[float]], ...]:
    """The nets and outputs of every layer from the inputs `a` (the layers of `activations`,
    `weights` and `biases` may start at any layer, `a` being the layer before's outputs)."""
    nets, outputs = [], []
    for w, b, f in zip(weights, biases, activations):
        later_inputs = range(1, len(a))
        z = []
        for j in range(len(w)):
            w_j = w[j]
            z_j = a[0] * w_j[0]  # z_j = a₁·w_j1 + a₂·w_j2 + … + b_j, as `=F3*G3+I3`
            for i in later_inputs:
                z_j += a[i] * w_j[i]
            z_j += b[j]
            z.append(z_j)
        y = f.outputs(z)
        if nudge is not None and f.rounded:
            y = list(map(nudge, y))
        nets.append(z)
        outputs.append(y)
        a = y
    return nets, outputs


def backward(activations: Sequence[Activation], loss: Loss, weights: Weights,
             nets: list[list[float]], outputs: list[list[float]],
             errors: list[float]) -> list[list[float]]:
    """δ of every neuron, by the chain rule, from the output layer back.

    Output layer: as the loss says (for the squared error, error · f′).
    Hidden layer: δ_i = (Σ_j w_ji · δ_j) · f′, with the weights this attempt used.
    """
    delta = loss.output_deltas(activations[-1], nets[-1], outputs[-1], errors)
    deltas = [delta]
    for layer in range(len(nets) - 2, -1, -1):
        w, slope = weights[layer + 1], activations[layer].slope  # w: into the later layer
        z, y = nets[layer], outputs[layer]
        later, delta, later_neurons = delta, [], range(1, len(delta))
        for i in range(len(z)):
            back = w[0][i] * later[0]  # Σ_j w_ji · δ_j
            for j in later_neurons:
                back += w[j][i] * later[j]
            delta.append(back * slope(z[i], y[i]))
        deltas.append(delta)
    deltas.reverse()
    return deltas


def through(activations: Sequence[Activation], loss: Loss, weights: Weights, biases: Biases,
            sample: Sample, nudge: Nudge | None = None) -> Pass:
    """One sample through the network: `forward`, the errors y − t, then `backward`."""
    nets, outputs, errors, own = _forward_errors(activations, loss, weights, biases, sample,
                                                 nudge)
    return Pass(sample.inputs, sample.targets, nets, outputs, errors,
                backward(activations, loss, weights, nets, outputs, errors), own)


def evaluated(activations: Sequence[Activation], loss: Loss, weights: Weights, biases: Biases,
              sample: Sample, nudge: Nudge | None = None) -> Pass:
    """One sample forward only, as a held-out test sample goes: the nets and outputs, the
    errors y − t and its own loss (where the loss gives it a column), no δ."""
    nets, outputs, errors, own = _forward_errors(activations, loss, weights, biases, sample,
                                                 nudge)
    return Pass(sample.inputs, sample.targets, nets, outputs, errors, [], own)


def _forward_errors(activations: Sequence[Activation], loss: Loss, weights: Weights,
                    biases: Biases, sample: Sample, nudge: Nudge | None
                    ) -> tuple[list[list[float]], list[list[float]], list[float], float | None]:
    """A sample's nets and outputs, its errors y − t, and its own loss where the loss gives
    it a column."""
    nets, outputs = forward(activations, weights, biases, sample.inputs, nudge)
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


def gradients(passes: list[Pass]) -> tuple[list[list[list[float]]], list[list[float]]]:
    """The mean over the passes of d loss/d w = δ_j · a_i and d loss/d b = δ_j: the sum
    over the passes, in their order, divided by their number."""
    n = len(passes)
    later_passes = range(1, n)
    weight_gradients, bias_gradients = [], []
    for layer in range(len(passes[0].deltas)):
        a = [p.outputs[layer - 1] if layer else p.inputs for p in passes]  # a[s][i]
        d = [p.deltas[layer] for p in passes]                                # d[s][j]
        a_0, d_0, inputs = a[0], d[0], range(len(a[0]))
        w_gradients, b_gradients = [], []
        for j in range(len(d_0)):
            row = []
            for i in inputs:
                g = d_0[j] * a_0[i]
                for s in later_passes:
                    g += d[s][j] * a[s][i]
                row.append(g / n)
            w_gradients.append(row)
            g = d_0[j]
            for s in later_passes:
                g += d[s][j]
            b_gradients.append(g / n)
        weight_gradients.append(w_gradients)
        bias_gradients.append(b_gradients)
    return weight_gradients, bias_gradients
