"""The network reference (`sheetgen.maths.network`) against independent calculations: autograd,
finite differences, the article's neuron, hand calculations from NETWORKS.md, and properties."""

import math
from dataclasses import replace
from itertools import pairwise

import autograd.numpy as anp
import pytest
from autograd import grad
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetgen.maths import neuron
from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.fields import ATTEMPT, LOSS, SAMPLE, Field, Kind, RowOrder, fields
from sheetgen.maths.losses import SQUARED_ERROR
from sheetgen.maths.network import Run
from sheetgen.maths.training import Overflow, attempt, train
from sheetgen.maths.passes import backward, gradients, through
from sheetgen.maths.shape import Network, Sample

ONE_SAMPLE = 1

XOR = tuple(Sample((a, b), (float(a != b),)) for a in (0.0, 1.0) for b in (0.0, 1.0))
XOR_WEIGHTS = (((0.5, -0.4), (0.3, 0.8)), ((0.7, -0.6),))
XOR_BIASES = ((0.1, -0.2), (0.05,))


def xor_run(activations=("tanh", "tanh"), **changes) -> Run:
    return Run(Network((2, 2, 1), activations), XOR, XOR_WEIGHTS, XOR_BIASES, **changes)


def first(run: Run):
    return next(train(run))


def nth(run: Run, number: int):
    for this in train(run):
        if this.number == number:
            return this
    raise AssertionError(f"the run has no attempt {number}")


def folded(terms):
    """a + b + c, left to right, independently of the module's helper."""
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def with_samples(run: Run, samples) -> Run:
    return Run(run.network, tuple(samples), run.weights, run.biases, run.learning_rate,
               run.attempts)


# An independent loss in numpy, differentiated by autograd.

NUMPY_ACTIVATIONS = {
    "tanh": anp.tanh,
    "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
    "relu": lambda z: anp.maximum(z, 0.0),
    "leaky_relu": lambda z: anp.maximum(0.01 * z, z),
    "linear": lambda z: z,
}


def numpy_loss(parameters, activations, samples):
    """The mean over the samples of Σ_k (y_k − t_k)²/2, with y = f(W·a + b) layer by layer."""
    weights, biases = parameters
    total = 0.0
    for inputs, targets in samples:
        a = anp.array(inputs, dtype=float)
        for w, b, name in zip(weights, biases, activations):
            a = NUMPY_ACTIVATIONS[name](anp.dot(w, a) + b)
        total = total + anp.sum((a - anp.array(targets, dtype=float)) ** 2) / 2
    return total / len(samples)


def autograd_gradients(run: Run, this):
    """d loss/d w and d loss/d b at the parameters `this` attempt used, on its samples."""
    parameters = ([anp.array(w, dtype=float) for w in this.weights],
                  [anp.array(b, dtype=float) for b in this.biases])
    weight_gradients, bias_gradients = grad(numpy_loss)(
        parameters, run.network.activations, run.samples_of(this.number))
    return ([g.tolist() for g in weight_gradients], [g.tolist() for g in bias_gradients])


def flat(nested):
    if isinstance(nested, (list, tuple)):
        return [x for item in nested for x in flat(item)]
    return [nested]


def assert_close(ours, theirs, relative, absolute):
    ours, theirs = flat(ours), flat(theirs)
    assert len(ours) == len(theirs)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert abs(a - b) <= relative * max(abs(a), abs(b)) + absolute, (k, a, b)


GRADIENT_RUNS = {
    "2-2-1 tanh XOR": xor_run(("tanh", "tanh")),
    "2-2-1 sigmoid XOR": xor_run(("sigmoid", "sigmoid"), learning_rate=2.0),
    "2-2-1 tanh XOR, one sample": xor_run(("tanh", "tanh"), batch=ONE_SAMPLE),
    "2-2-1 sigmoid XOR, one sample": xor_run(("sigmoid", "sigmoid"), batch=ONE_SAMPLE),
    # The biases keep every ReLU net away from 0 on all four samples, where the slope jumps.
    "2-3-1 relu + linear": Run(
        Network((2, 3, 1), ("relu", "linear")), XOR,
        (((0.5, -0.4), (-0.3, 0.8), (0.6, 0.7)), ((0.7, -0.6, 0.45),)),
        ((0.15, 0.25, -0.35), (0.05,)), learning_rate=0.05),
    "2-3-1 leaky relu + tanh": Run(
        Network((2, 3, 1), ("leaky_relu", "tanh")), XOR,
        (((0.5, -0.4), (-0.3, 0.8), (-0.6, -0.7)), ((0.7, -0.6, 0.45),)),
        ((0.15, -0.25, -0.35), (0.05,)), learning_rate=0.05),
    "2-3-1 relu + linear, one sample": Run(
        Network((2, 3, 1), ("relu", "linear")), XOR,
        (((0.5, -0.4), (-0.3, 0.8), (0.6, 0.7)), ((0.7, -0.6, 0.45),)),
        ((0.15, 0.25, -0.35), (0.05,)), learning_rate=0.05, batch=ONE_SAMPLE),
    "1-1 linear on a line": Run(
        Network((1, 1), ("linear",)),
        tuple(Sample((x,), (3 * x - 1,)) for x in (-1.0, 0.5, 2.0)),
        (((0.2,),),), ((0.3,),), learning_rate=0.05),
    "3-4-3-2 mixed": Run(
        Network((3, 4, 3, 2), ("tanh", "sigmoid", "linear")),
        (Sample((0.1, -0.7, 0.4), (0.3, -0.2)), Sample((-0.5, 0.2, 0.9), (-0.6, 0.8)),
         Sample((0.8, 0.6, -0.3), (0.1, 0.0))),
        (((0.2, -0.5, 0.1), (0.7, 0.3, -0.4), (-0.6, 0.05, 0.9), (0.15, -0.25, 0.35)),
         ((0.3, -0.2, 0.6, -0.1), (-0.45, 0.5, 0.2, 0.05), (0.12, 0.33, -0.6, 0.4)),
         ((0.5, -0.7, 0.25), (-0.3, 0.6, 0.8))),
        ((0.1, -0.1, 0.2, 0.05), (0.0, 0.3, -0.2), (0.1, -0.05)), learning_rate=0.3),
    "3-4-3-2 mixed, one sample": Run(
        Network((3, 4, 3, 2), ("relu", "tanh", "sigmoid")),
        (Sample((0.1, -0.7, 0.4), (0.3, 0.2)), Sample((-0.5, 0.2, 0.9), (0.6, 0.8)),
         Sample((0.8, 0.6, -0.3), (0.1, 0.4))),
        (((0.2, -0.5, 0.1), (0.7, 0.3, -0.4), (-0.6, 0.05, 0.9), (0.15, -0.25, 0.35)),
         ((0.3, -0.2, 0.6, -0.1), (-0.45, 0.5, 0.2, 0.05), (0.12, 0.33, -0.6, 0.4)),
         ((0.5, -0.7, 0.25), (-0.3, 0.6, 0.8))),
        ((0.61, 0.52, 0.43, 0.34), (0.0, 0.3, -0.2), (0.1, -0.05)), learning_rate=0.3,
        batch=ONE_SAMPLE),
}


def no_relu_kinks(run: Run, this):
    for layer, name in enumerate(run.network.activations):
        if name in ("relu", "leaky_relu"):
            assert all(abs(z) > 1e-3 for p in this.passes for z in p.nets[layer])


@pytest.mark.parametrize("name", GRADIENT_RUNS)
@pytest.mark.parametrize("number", [1, 2, 7])
def test_gradients_equal_autograds(name, number):
    run = GRADIENT_RUNS[name]
    this = nth(run, number)
    no_relu_kinks(run, this)
    weight_gradients, bias_gradients = autograd_gradients(run, this)
    # numpy sums products in its own order; the float error of a few terms is ~1e-16, and the
    # floor covers gradients that are about 0 (an input of 0.0 zeroes a sample's term).
    assert_close(this.weight_gradients, weight_gradients, 1e-12, 1e-15)
    assert_close(this.bias_gradients, bias_gradients, 1e-12, 1e-15)


@pytest.mark.parametrize("name", GRADIENT_RUNS)
def test_autograd_sees_a_nonzero_gradient(name):
    # Guards the comparison above against two sides that are both ~0.
    this = first(GRADIENT_RUNS[name])
    assert max(abs(g) for g in flat(this.weight_gradients)) > 1e-3


def loss_at(run: Run, number: int, weights, biases) -> float:
    return attempt(run, number, weights, biases).loss


def nudged(nested, index, h):
    """A copy of the nested parameters with the index-th (flat) one moved by h."""
    counter = iter(range(10**9))

    def walk(item):
        if isinstance(item, (list, tuple)):
            return [walk(x) for x in item]
        return item + h if next(counter) == index else item
    return walk(nested)


@pytest.mark.parametrize("name", GRADIENT_RUNS)
def test_central_finite_differences_agree_with_the_gradients(name):
    run = GRADIENT_RUNS[name]
    this = nth(run, 3)
    h = 1e-6  # truncation error ~h² ≈ 1e-12, rounding error ~1e-16/h ≈ 1e-10

    def loss(weights_moved: bool, index: int, step: float) -> float:
        if weights_moved:
            return loss_at(run, 3, nudged(this.weights, index, step), this.biases)
        return loss_at(run, 3, this.weights, nudged(this.biases, index, step))

    for moved, analytic in ((True, this.weight_gradients), (False, this.bias_gradients)):
        for index, gradient in enumerate(flat(analytic)):
            estimate = (loss(moved, index, h) - loss(moved, index, -h)) / (2 * h)
            assert abs(estimate - gradient) <= 1e-6 * abs(gradient) + 1e-9, (
                index, estimate, gradient)


# The article.

def test_the_article_run_attempt_by_attempt():
    parameters = neuron.Parameters()
    run = Run(Network((1, 1), ("tanh",)), (Sample((parameters.input,), (parameters.target,)),),
              (((parameters.weight,),),), ((parameters.bias,),),
              learning_rate=parameters.learning_rate, attempts=parameters.attempts)
    theirs = list(neuron.train(parameters))
    ours = list(train(run))
    assert len(ours) == len(theirs) == 1000
    for a, b in zip(ours, theirs):
        p = a.passes[0]
        assert (a.number, p.nets[0][0], p.outputs[0][0], p.errors[0], a.loss,
                a.weight_gradients[0][0][0], a.bias_gradients[0][0], a.weights[0][0][0],
                a.biases[0][0]) == (
            b.number, b.net, b.output, b.error, b.loss, b.weight_gradient, b.bias_gradient,
            b.weight, b.bias)


# Batches.

def test_one_sample_per_attempt_takes_turns():
    run = xor_run(batch=ONE_SAMPLE, attempts=9, learning_rate=0.5)
    attempts = list(train(run))
    assert [a.sample for a in attempts] == [1, 2, 3, 4, 1, 2, 3, 4, 1]
    for this, after in zip(attempts, attempts[1:] + [None]):
        sample = run.samples[(this.number - 1) % 4]
        assert len(this.passes) == 1
        assert this.passes[0].inputs == sample.inputs
        alone = attempt(with_samples(run, [sample]), 1, this.weights, this.biases)
        assert this.loss == alone.loss
        assert this.weight_gradients == alone.weight_gradients
        assert this.bias_gradients == alone.bias_gradients
        assert this.loss == this.passes[0].errors[0] ** 2 / 2
        if after is not None:  # the update uses that sample's gradients alone
            assert flat(after.weights) == [w - g * run.learning_rate for w, g in zip(
                flat(this.weights), flat(alone.weight_gradients))]
            assert flat(after.biases) == [b - g * run.learning_rate for b, g in zip(
                flat(this.biases), flat(alone.bias_gradients))]


@pytest.mark.parametrize("name", ["2-2-1 tanh XOR", "2-3-1 relu + linear", "3-4-3-2 mixed"])
def test_full_batch_is_the_mean_of_the_samples(name):
    run = GRADIENT_RUNS[name]
    this = nth(run, 4)
    assert this.sample == 0
    alone = [attempt(with_samples(run, [s]), 1, this.weights, this.biases) for s in run.samples]
    n = len(run.samples)
    mean_loss = folded([a.loss for a in alone]) / n
    if run.network.sizes[-1] == 1:  # one output: the same sum, term for term
        assert this.loss == mean_loss
    else:  # the row sums every output of every sample in one run of terms
        assert this.loss == pytest.approx(mean_loss, rel=1e-15)
    # Σ over the samples of δ·a, then ÷ n: each sample alone gives its own δ·a (÷ 1).
    assert flat(this.weight_gradients) == [
        folded(list(g)) / n for g in zip(*(flat(a.weight_gradients) for a in alone))]
    assert flat(this.bias_gradients) == [
        folded(list(g)) / n for g in zip(*(flat(a.bias_gradients) for a in alone))]
    # ... and one update per attempt, with the mean.
    after = nth(run, 5)
    assert flat(after.weights) == [w - g * run.learning_rate for w, g in zip(
        flat(this.weights), flat(this.weight_gradients))]


def test_a_2_2_1_attempt_by_hand():
    # NETWORKS.md, written out: tanh hidden layer, sigmoid output, two samples, full batch.
    x = ((0.3, -0.8), (0.9, 0.4))
    t = (0.25, 0.7)
    (w11, w12), (w21, w22) = (0.4, -0.6), (0.7, 0.2)
    (v1, v2), = ((0.5, -0.9),)
    b1, b2, c = 0.1, -0.3, 0.2
    run = Run(Network((2, 2, 1), ("tanh", "sigmoid")),
              (Sample(x[0], (t[0],)), Sample(x[1], (t[1],))),
              (((w11, w12), (w21, w22)), ((v1, v2),)), ((b1, b2), (c,)))
    this = first(run)
    grads = []
    for s, p in enumerate(this.passes):
        z1 = x[s][0] * w11 + x[s][1] * w12 + b1
        z2 = x[s][0] * w21 + x[s][1] * w22 + b2
        h1, h2 = math.tanh(z1), math.tanh(z2)
        z3 = h1 * v1 + h2 * v2 + c
        y = 1 / (1 + math.exp(-z3))
        error = y - t[s]
        d3 = error * (y * (1 - y))
        d1 = (v1 * d3) * (1 - h1**2)
        d2 = (v2 * d3) * (1 - h2**2)
        assert p.nets == [[z1, z2], [z3]]
        assert p.outputs == [[h1, h2], [y]]
        assert p.errors == [error]
        assert p.deltas == [[d1, d2], [d3]]
        grads.append(([d1 * x[s][0], d1 * x[s][1], d2 * x[s][0], d2 * x[s][1], d3 * h1, d3 * h2],
                      [d1, d2, d3], error**2 / 2))
    (g0, gb0, loss0), (g1, gb1, loss1) = grads
    assert this.loss == (loss0 + loss1) / 2
    assert flat(this.weight_gradients) == [(a + b) / 2 for a, b in zip(g0, g1)]
    assert flat(this.bias_gradients) == [(a + b) / 2 for a, b in zip(gb0, gb1)]
    assert this.weights == run.weights and this.biases == run.biases
    second = nth(run, 2)
    assert flat(second.weights) == [w - g * 0.1 for w, g in zip(flat(run.weights),
                                                                flat(this.weight_gradients))]
    assert flat(second.biases) == [b - g * 0.1 for b, g in zip(flat(run.biases),
                                                               flat(this.bias_gradients))]


# The row's values and their names.

@pytest.mark.parametrize("name", GRADIENT_RUNS)
def test_every_value_has_a_unique_name(name):
    run = GRADIENT_RUNS[name]
    names = fields(run)
    assert len(set(names)) == len(names)
    short = Run(run.network, run.samples, run.weights, run.biases, run.learning_rate, 5,
                run.batch)
    for this in train(short):
        assert len(RowOrder(short)(this)) == len(names)
    sizes = run.network.sizes
    passes = len(run.samples) if run.full_batch else 1
    per_pass = sizes[0] + 2 * sizes[-1] + 3 * sum(sizes[1:])  # x, t, net, out, error, δ
    assert len(names) == (2 if run.full_batch else 3) + passes * per_pass + 2 * (
        run.network.parameter_count)


def test_named_values_of_a_full_batch_row():
    run = xor_run()
    this = nth(run, 3)
    row = dict(zip(fields(run), RowOrder(run)(this)))
    assert row[ATTEMPT] == 3
    assert SAMPLE not in row
    assert row[LOSS] == this.loss
    assert row[Field(Kind.INPUT, 2, 0, 1)] == 1.0 and row[Field(Kind.TARGET, 2, 2, 0)] == 1.0
    assert row[Field(Kind.OUT, 2, 1, 0)] == this.passes[1].outputs[0][0]
    assert row[Field(Kind.NET, 3, 1, 1)] == this.passes[2].nets[0][1]
    assert row[Field(Kind.ERROR, 4, 2, 0)] == this.passes[3].errors[0]
    assert row[Field(Kind.DELTA, 1, 1, 1)] == this.passes[0].deltas[0][1]
    weight = Field(Kind.PARAMETER, layer=1, neuron=0, source=1)   # into h1 from x2
    assert row[weight] == this.weights[0][0][1]
    assert row[weight.of(Kind.GRADIENT)] == this.weight_gradients[0][0][1]
    assert row[Field(Kind.PARAMETER, layer=2, neuron=0, source=1)] == this.weights[1][0][1]
    bias = Field(Kind.PARAMETER, layer=2, neuron=0)
    assert row[bias] == this.biases[1][0]
    assert row[bias.of(Kind.GRADIENT)] == this.bias_gradients[1][0]


def test_named_values_of_a_one_sample_row():
    run = GRADIENT_RUNS["3-4-3-2 mixed, one sample"]
    this = nth(run, 5)
    row = dict(zip(fields(run), RowOrder(run)(this)))
    assert row[ATTEMPT] == 5 and row[SAMPLE] == 2
    assert row[Field(Kind.INPUT, 0, 0, 2)] == 0.9 and row[Field(Kind.TARGET, 0, 3, 1)] == 0.8
    assert row[Field(Kind.OUT, 0, 1, 2)] == this.passes[0].outputs[0][2]
    assert row[Field(Kind.NET, 0, 2, 0)] == this.passes[0].nets[1][0]
    assert row[Field(Kind.DELTA, 0, 3, 1)] == this.passes[0].deltas[2][1]
    assert row[Field(Kind.ERROR, 0, 3, 0)] == this.passes[0].errors[0]
    weight = Field(Kind.PARAMETER, layer=2, neuron=2, source=3)   # into h2.3 from h1.4
    assert row[weight] == this.weights[1][2][3]
    assert row[Field(Kind.GRADIENT, layer=1, neuron=1)] == this.bias_gradients[0][1]


# Overflow.

def test_a_huge_learning_rate_overflows():
    run = Run(Network((1, 1), ("linear",)), (Sample((1.0,), (1.0,)),), (((0.5,),),), ((0.0,),),
              learning_rate=1e10, attempts=1000)
    with pytest.raises(Overflow) as caught:
        for this in train(run):
            assert all(math.isfinite(v) for v in RowOrder(run)(this))
    assert type(caught.value) is Overflow and not isinstance(caught.value, OverflowError)
    assert 1 < caught.value.attempt < 1000
    assert f"attempt {caught.value.attempt:,}" in str(caught.value)
    assert this.number == caught.value.attempt - 1


def test_sigmoid_overflowing_exp_is_an_overflow():
    # The first step throws the weight to about -4,500: exp(-net) is exp(450,000).
    run = Run(Network((1, 1), ("sigmoid",)), (Sample((100.0,), (0.0,)),), (((0.1,),),),
              ((0.0,),), learning_rate=1e6, attempts=10)
    attempts = []
    with pytest.raises(Overflow, match="attempt 2:") as caught:
        attempts.extend(train(run))
    assert type(caught.value) is Overflow and caught.value.attempt == 2
    assert [a.number for a in attempts] == [1]


def test_a_step_beyond_a_double_overflows_in_the_next_row():
    # No Python OverflowError here: gradient · rate is inf, and so is the next weight. The
    # first row is whole; the second, which would hold that weight, is where #NUM! starts.
    run = Run(Network((1, 1), ("tanh",)), (Sample((100.0,), (0.5,)),), (((0.001,),),),
              ((0.0,),), learning_rate=1e307, attempts=3)
    attempts = train(run)
    first = next(attempts)
    assert all(math.isfinite(v) for v in RowOrder(run)(first))
    with pytest.raises(Overflow, match="attempt 2:"):
        next(attempts)
    # With one attempt there is no next row, and nothing overflows.
    assert len(list(train(replace(run, attempts=1)))) == 1


def test_a_hidden_net_beyond_a_double_is_an_overflow_though_tanh_is_finite():
    # tanh(inf) is 1 and the loss stays finite, but the net cell would show #NUM!.
    run = Run(Network((1, 1, 1), ("tanh", "tanh")), (Sample((1e300,), (0.5,)),),
              (((1e10,),), ((0.5,),)), ((0.0,), (0.0,)), attempts=3)
    with pytest.raises(Overflow, match="attempt 1:"):
        next(train(run))


def test_a_net_beyond_a_double_is_an_overflow():
    # inf − t and inf**2 are inf without an OverflowError; the loss shows it.
    run = Run(Network((1, 1), ("linear",)), (Sample((1e300,), (1.0,)),), (((1e10,),),),
              ((0.0,),), attempts=3)
    with pytest.raises(Overflow, match="attempt 1:"):
        next(train(run))


# The pieces, the nudge and the ReLU's kink.

def test_forward_backward_and_gradients_make_the_attempt():
    run = GRADIENT_RUNS["3-4-3-2 mixed"]
    this = nth(run, 2)
    layers = run.network.layers
    activations = [ACTIVATIONS[name] for name in run.network.activations]
    passes = [through(layers, activations, SQUARED_ERROR, this.weights, this.biases, s)
              for s in run.samples]
    assert passes == this.passes
    for p in passes:
        assert backward(layers, activations, SQUARED_ERROR, this.weights, p.nets, p.outputs,
                        p.errors) == p.deltas
    assert gradients(layers, passes) == (this.weight_gradients, this.bias_gradients)
    assert attempt(run, 2, this.weights, this.biases) == this


def test_the_nudge_moves_every_rounded_output_and_only_those():
    run = GRADIENT_RUNS["3-4-3-2 mixed, one sample"]  # relu, tanh, sigmoid
    seen = []

    def nudge(y):
        seen.append(y)
        return y + 2**-40

    this = next(train(run, nudge))
    plain = first(run)
    p, q = this.passes[0], plain.passes[0]
    assert p.outputs[0] == q.outputs[0]  # relu: exact, no nudge
    assert p.outputs[1] == [y + 2**-40 for y in (math.tanh(z) for z in p.nets[1])]
    assert p.outputs[2] == [y + 2**-40 for y in (1 / (1 + math.exp(-z)) for z in p.nets[2])]
    assert len(seen) == 3 + 2
    assert p.errors == [y - t for y, t in zip(p.outputs[2], p.targets)]


def test_relu_has_no_slope_at_zero():
    # The sheet writes f′ as IF(z>0, 1, 0): at z = 0 exactly nothing flows back.
    run = Run(Network((1, 1), ("relu",)), (Sample((1.0,), (1.0,)),), (((0.5,),),),
              ((-0.5,),))
    this = first(run)
    assert this.passes[0].nets == [[0.0]] and this.passes[0].outputs == [[0.0]]
    assert this.passes[0].deltas == [[0.0]]
    assert this.weight_gradients == [[[0.0]]] and this.bias_gradients == [[0.0]]


# Learning.

def test_xor_learns():
    run = xor_run(learning_rate=0.5, attempts=2000)
    below = next(a.number for a in train(run) if a.loss < 1e-3)
    assert below == 415
    *_, last = train(run)
    assert last.loss < 1e-4
    assert [round(p.outputs[-1][0]) for p in last.passes] == [0, 1, 1, 0]


# Properties.

values = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
ELEMENTWISE = [name for name, activation in ACTIVATIONS.items() if activation.elementwise]
"""The activations any layer may have with the squared error (softmax goes with the
cross-entropy)."""


@st.composite
def runs(draw):
    sizes = tuple(draw(st.lists(st.integers(1, 3), min_size=2, max_size=4)))
    activations = tuple(draw(st.sampled_from(ELEMENTWISE)) for _ in sizes[1:])
    samples = tuple(Sample(tuple(draw(values) for _ in range(sizes[0])),
                           tuple(draw(values) for _ in range(sizes[-1])))
                    for _ in range(draw(st.integers(1, 3))))
    weights = tuple(tuple(tuple(draw(values) for _ in range(before)) for _ in range(after))
                    for before, after in pairwise(sizes))
    biases = tuple(tuple(draw(values) for _ in range(after)) for after in sizes[1:])
    rate = draw(st.sampled_from([0.01, 0.1, 1.0, 10.0, 1e3, 1e6]))
    return Run(Network(sizes, activations), samples, weights, biases, rate,
               draw(st.integers(1, 6)), draw(st.sampled_from([None, ONE_SAMPLE])))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_training_gives_finite_rows_or_an_overflow(run):
    names = fields(run)
    try:
        for this in train(run):
            row = RowOrder(run)(this)
            assert len(row) == len(names)
            assert all(math.isfinite(v) for v in row)
    except Overflow as overflow:
        assert 1 <= overflow.attempt <= run.attempts
