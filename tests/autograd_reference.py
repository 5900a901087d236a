"""An independent reference for the tests: the losses written again in numpy, for autograd
to differentiate."""

import autograd.numpy as anp
import pytest
from autograd import grad


def numpy_loss(parameters, activations, samples):
    """The mean over the samples of −Σ t·ln y (+ (1 − t)·ln(1 − y) for sigmoid outputs)."""
    weights, biases = parameters
    total = 0.0
    for inputs, targets in samples:
        a, t = anp.array(inputs, dtype=float), anp.array(targets, dtype=float)
        for w, b, name in zip(weights, biases, activations):
            z = anp.dot(w, a) + b
            if name == "softmax":
                powers = anp.exp(z - anp.max(z))
                a = powers / anp.sum(powers)
            else:
                a = anp.tanh(z) if name == "tanh" else 1 / (1 + anp.exp(-z))
        if activations[-1] == "softmax":
            total = total - anp.sum(t * anp.log(a))
        else:
            total = total - anp.sum(t * anp.log(a) + (1 - t) * anp.log(1 - a))
    return total / len(samples)


def numpy_penalised(parameters, activations, samples, l2, l1, loss):
    """The data loss (half the squared error, or the cross-entropy, over the samples) plus
    l2/2·Σw² + l1·Σ|w| over the weights alone, in numpy for autograd."""
    weights, _ = parameters
    if loss == "cross-entropy":
        data = numpy_loss(parameters, activations, samples)
    else:
        data = 0.0
        for inputs, targets in samples:
            a = anp.array(inputs, dtype=float)
            for w, b in zip(*parameters):
                a = anp.tanh(anp.dot(w, a) + b)
            data = data + anp.sum((a - anp.array(targets)) ** 2) / 2
        data = data / len(samples)
    return (data + l2 / 2 * sum(anp.sum(w ** 2) for w in weights)
            + l1 * sum(anp.sum(anp.abs(w)) for w in weights))


def flat(nested):
    if isinstance(nested, (list, tuple)):
        return [x for item in nested for x in flat(item)]
    return [nested]


def assert_penalised_gradients_equal_autograds(this, run, samples) -> None:
    """An attempt's loss within 1e-14 and every gradient within 1e-12 relative of autograd's
    for `numpy_penalised` over `samples`, at the attempt's weights and biases."""
    parameters = ([anp.array(w, dtype=float) for w in this.weights],
                  [anp.array(b, dtype=float) for b in this.biases])
    arguments = (run.network.activations, samples, run.l2 or 0.0, run.l1 or 0.0, run.loss)
    assert this.loss == pytest.approx(numpy_penalised(parameters, *arguments), rel=1e-14)
    theirs = grad(numpy_penalised)(parameters, *arguments)
    ours = flat(this.weight_gradients) + flat(this.bias_gradients)
    theirs = flat([g.tolist() for g in theirs[0]]) + flat([g.tolist() for g in theirs[1]])
    for a, b in zip(ours, theirs, strict=True):
        assert abs(a - b) <= 1e-12 * max(abs(a), abs(b)) + 1e-16, (a, b)
