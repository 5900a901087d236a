"""Any small multilayer perceptron, trained in plain Python floats: what every cell of a
network sheet must hold.

Layer 0 is the inputs, layer L the outputs. Each attempt runs every sample of the row
forward (net = Σ input·weight + bias, output = f(net)) and backward (δ, the loss's slope with
respect to a neuron's net, by the chain rule), averages the gradients over the row's samples
and steps every weight and bias against its gradient. With one input, one tanh neuron and the
article's sample this is the article's row, operation for operation.

With a gradient step H, each row also checks every gradient against the slope of the loss
between the parameter moved up and down by H, the loss computed again forward (`_checks`).

The arithmetic follows the sheet's formulas in order, term by term and left to right, so
that an engine computing in IEEE-754 doubles lands on the same bits. Sums are folded by hand:
Python's `sum` of floats compensates for rounding since 3.12, and no formula does.
"""

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import chain
from operator import add, mul, sub
from typing import NamedTuple

from sheetgen.maths.neuron import ending
from sheetgen.maths.optimizers import GRADIENT_DESCENT, OPTIMIZERS, Optimizer, State


def in_order(terms: Iterable[float]) -> float:
    """a + b + c, left to right, as the formula `=a+b+c` adds them."""
    return reduce(add, terms)


# The activations: a neuron's output from its net, and the output's slope, written from
# the cells the row already holds (the net z and the output y), as the formulas write it.

def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


@dataclass(frozen=True)
class Activation:
    name: str
    apply: Callable[[float], float]
    slope: Callable[[float, float], float]
    """d output / d net, from the net z and the output y."""
    rounded: bool
    """Computed by a library function (tanh, exp) that engines may round differently."""


ACTIVATIONS = {
    "tanh": Activation("tanh", math.tanh, lambda z, y: 1 - y**2, True),
    "sigmoid": Activation("sigmoid", sigmoid, lambda z, y: y * (1 - y), True),
    "relu": Activation("relu", lambda z: max(0.0, z), lambda z, y: 1.0 if z > 0 else 0.0, False),
    "linear": Activation("linear", lambda z: z, lambda z, y: 1.0, False),
}


@dataclass(frozen=True)
class Network:
    """The shape: layer sizes from the inputs to the outputs, and each later layer's activation."""

    sizes: tuple[int, ...]
    activations: tuple[str, ...]

    def neuron(self, layer: int, j: int) -> str:
        """The neuron's label: x1, x2 … for inputs, o1 … for outputs, h1 … for a single hidden
        layer and h1.1, h2.3 … (layer, neuron) where there are several."""
        if layer == 0:
            return f"x{j + 1}"
        if layer == len(self.sizes) - 1:
            return f"o{j + 1}"
        if len(self.sizes) == 3:
            return f"h{j + 1}"
        return f"h{layer}.{j + 1}"

    @property
    def parameter_count(self) -> int:
        return sum((before + 1) * after for before, after in zip(self.sizes, self.sizes[1:]))


class Sample(NamedTuple):
    inputs: tuple[float, ...]
    targets: tuple[float, ...]


Weights = tuple[tuple[tuple[float, ...], ...], ...]
"""weights[l][j][i]: into neuron j of layer l + 1 from neuron i of layer l (PyTorch's Linear)."""
Biases = tuple[tuple[float, ...], ...]
"""biases[l][j]: of neuron j of layer l + 1."""

FULL_BATCH = "full"
ONE_SAMPLE = "1"


@dataclass(frozen=True)
class Run:
    """Everything a network's training depends on."""

    network: Network
    samples: tuple[Sample, ...]
    weights: Weights
    biases: Biases
    learning_rate: float = 0.1
    attempts: int = 1000
    batch: str = FULL_BATCH
    loss_threshold: float = 1e-12
    optimizer: str = GRADIENT_DESCENT.name
    settings: Mapping[str, float] = field(default_factory=dict)
    """The optimizer's hyperparameters by name (see `optimizers.HYPERPARAMETERS`)."""
    gradient_step: float | None = None
    """H of the gradient check (see `_checks`), or None for a run without one."""

    @property
    def rule(self) -> Optimizer:
        """The optimizer, which steps the parameters between two attempts."""
        return OPTIMIZERS[self.optimizer]

    def samples_of(self, number: int) -> tuple[Sample, ...]:
        """The samples attempt `number` trains on: all of them, or one in turn."""
        if self.batch == FULL_BATCH:
            return self.samples
        return (self.samples[self.sample_of(number) - 1],)

    def sample_of(self, number: int) -> int:
        """With one sample per attempt, which one (from 1): they take turns."""
        return (number - 1) % len(self.samples) + 1


class Pass(NamedTuple):
    """One sample through the network: forward, then backward."""

    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    nets: list[list[float]]
    """nets[l][j], for layers 1 to L (index 0 is layer 1)."""
    outputs: list[list[float]]
    errors: list[float]
    deltas: list[list[float]]
    """deltas[l][j] = d loss / d net of neuron j of layer l + 1."""


class Check(NamedTuple):
    """A parameter's gradient checked by central finite differences: the row's loss with the
    parameter moved up and down by H, the slope between them, and how far that is from the
    analytic gradient, relatively."""

    loss_up: float
    loss_down: float
    estimate: float
    difference: float


class Attempt(NamedTuple):
    """One row: the passes, the parameters this attempt uses and their gradients."""

    number: int
    sample: int
    """The sample trained on with one sample per attempt; 0 for the full batch."""
    loss: float
    passes: list[Pass]
    weights: Weights
    weight_gradients: list[list[list[float]]]
    biases: Biases
    bias_gradients: list[list[float]]
    states: list[State] = []
    """The optimizer's state of each parameter after this row, in the order of the row's
    parameters (a layer's neurons, each one's weights then its bias); none for plain gradient
    descent."""
    checks: list[Check] = []
    """The gradient check of each parameter, in the same order; none without one."""


class Overflow(ArithmeticError):
    """The run leaves what a double can hold; a spreadsheet would show #NUM! from here."""

    def __init__(self, attempt: int, where: str = "the training"):
        super().__init__(f"{where} overflows at attempt {attempt:,}: a value exceeds what a "
                         "double can hold (try a smaller learning rate)")
        self.attempt, self.where = attempt, where

    def __reduce__(self):
        """Made again from its attempt, as when a helper process hands it over."""
        return Overflow, (self.attempt, self.where)


Nudge = Callable[[float], float]
"""Applied to every rounded activation's output: the reference with an engine's rounding."""


def weighted_sum(a: Sequence[float], w: Sequence[float], b: float) -> float:
    """a₁·w₁ + a₂·w₂ + … + b, left to right: the net, as `=F3*G3+I3` computes it."""
    total = a[0] * w[0]
    for i in range(1, len(a)):
        total += a[i] * w[i]
    return total + b


# The training's hot loops are plain index loops on purpose: for vectors of a few elements
# they beat zip, map, reduce and nested helpers on CPython, and they keep the indices of the
# maths: j a neuron of the layer, i one of the layer before, s a pass (a sample).

def _activations(network: Network) -> list[Activation]:
    """Each layer's activation, looked up once for a whole run rather than per neuron."""
    return [ACTIVATIONS[name] for name in network.activations]


def forward(network: Network, weights: Weights, biases: Biases, sample: Sample,
            nudge: Nudge | None = None) -> Pass:
    """One sample through the network: forward, then `backward`."""
    return _pass(_activations(network), weights, biases, sample, nudge)


def _pass(activations: list[Activation], weights: Weights, biases: Biases, sample: Sample,
          nudge: Nudge | None) -> Pass:
    """`forward`, with the layers' activations looked up once for the whole run."""
    nets, outputs = _forward(activations, weights, biases, sample.inputs, nudge)
    errors = list(map(sub, outputs[-1], sample.targets))  # y − t
    return Pass(sample.inputs, sample.targets, nets, outputs, errors,
                _backward(activations, weights, nets, outputs, errors))


def _forward(activations: list[Activation], weights: Weights, biases: Biases,
             a: Sequence[float], nudge: Nudge | None) -> tuple[list[list[float]], ...]:
    """The nets and outputs of every layer, from the inputs `a`."""
    nets, outputs = [], []
    for w, b, f in zip(weights, biases, activations):
        apply, later_inputs = f.apply, range(1, len(a))
        z, y = [], []
        for j in range(len(w)):
            w_j = w[j]
            z_j = a[0] * w_j[0]  # z_j = a₁·w_j1 + a₂·w_j2 + … + b_j (`weighted_sum`)
            for i in later_inputs:
                z_j += a[i] * w_j[i]
            z_j += b[j]
            z.append(z_j)
            y.append(apply(z_j))
        if nudge is not None and f.rounded:
            y = list(map(nudge, y))
        nets.append(z)
        outputs.append(y)
        a = y
    return nets, outputs


def backward(network: Network, weights: Weights, nets: list[list[float]],
             outputs: list[list[float]], errors: list[float]) -> list[list[float]]:
    """δ of every neuron, by the chain rule, from the output layer back.

    Output layer: δ = error · f′ (d loss/d output = error, the derivative of error²/2).
    Hidden layer: δ_i = (Σ_j w_ji · δ_j) · f′, with the weights this attempt used.
    """
    return _backward(_activations(network), weights, nets, outputs, errors)


def _backward(activations: list[Activation], weights: Weights, nets: list[list[float]],
              outputs: list[list[float]], errors: list[float]) -> list[list[float]]:
    """`backward`, with the layers' activations looked up once for the whole run."""
    slope = activations[-1].slope
    delta = list(map(mul, errors, map(slope, nets[-1], outputs[-1])))  # error · f′
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


def attempt(run: Run, number: int, weights: Weights, biases: Biases,
            nudge: Nudge | None = None) -> Attempt:
    return _attempt(run, number, weights, biases, nudge, _activations(run.network))


def _attempt(run: Run, number: int, weights: Weights, biases: Biases, nudge: Nudge | None,
             activations: list[Activation]) -> Attempt:
    passes = [_pass(activations, weights, biases, sample, nudge)
              for sample in run.samples_of(number)]
    loss = in_order([e**2 / 2 for p in passes for e in p.errors]) / len(passes)
    weight_gradients, bias_gradients = gradients(passes)
    sample = 0 if run.batch == FULL_BATCH else run.sample_of(number)
    checks = [] if run.gradient_step is None else _checks(
        run.gradient_step, passes, weights, biases, _flat(weight_gradients, bias_gradients),
        nudge, activations)
    return Attempt(number, sample, loss, passes, weights, weight_gradients, biases,
                   bias_gradients, checks=checks)


# The gradient check: each parameter moved by ±H, the row's loss computed again, forward only.

def _checks(h: float, passes: list[Pass], weights: Weights, biases: Biases,
            gradients: list[float], nudge: Nudge | None,
            activations: list[Activation]) -> list[Check]:
    """Each parameter's gradient (in the row's order) checked against
    (loss(p + H) − loss(p − H)) / 2H. The layers before the parameter's are as the row has
    them: the loss is computed again from its layer on, as the moved loss's formula does."""
    checks, g = [], iter(gradients)
    for layer, (w, b) in enumerate(zip(weights, biases)):
        for j in range(len(w)):
            for i in range(len(w[j]) + 1):   # the neuron's weights, then its bias
                p = w[j][i] if i < len(w[j]) else b[j]
                up, down = (_loss_from(layer, activations, *_moved(weights, biases, layer, j, i,
                                                                   moved), passes, nudge)
                            for moved in (p + h, p - h))
                estimate = estimate_of(up, down, h)
                checks.append(Check(up, down, estimate, difference_of(estimate, next(g))))
    return checks


def estimate_of(loss_up: float, loss_down: float, h: float) -> float:
    """The central finite difference: (loss(p + H) − loss(p − H)) / 2H."""
    return (loss_up - loss_down) / (2 * h)


def difference_of(estimate: float, gradient: float) -> float:
    """|estimate − gradient| over the larger of the two in size; 0 where both are."""
    larger = max(abs(estimate), abs(gradient))
    return 0.0 if larger == 0 else abs(estimate - gradient) / larger


def _loss_from(layer: int, activations: list[Activation], weights: Weights, biases: Biases,
               passes: list[Pass], nudge: Nudge | None) -> float:
    """The loss of the row's passes, as the row's Loss adds it, with the outputs computed again
    from `layer` on (`weights` and `biases` are that layer's and the later ones')."""
    squares = []
    for p in passes:
        a = p.outputs[layer - 1] if layer else p.inputs
        outputs = _forward(activations[layer:], weights, biases, a, nudge)[1][-1]
        squares += [(y - t)**2 / 2 for y, t in zip(outputs, p.targets)]
    return in_order(squares) / len(passes)


def _moved(weights: Weights, biases: Biases, layer: int, j: int, i: int,
           value: float) -> tuple[list, list]:
    """The weights and biases from `layer` on, with weight i into neuron j of that layer set to
    `value`, or its bias where i is past its weights."""
    weights, biases = list(weights[layer:]), list(biases[layer:])
    if i < len(weights[0][j]):
        neuron = list(weights[0][j])
        neuron[i] = value
        weights[0] = [*weights[0][:j], neuron, *weights[0][j + 1:]]
    else:
        biases[0] = [*biases[0][:j], value, *biases[0][j + 1:]]
    return weights, biases


def train(run: Run, nudge: Nudge | None = None) -> Iterator[Attempt]:
    """Yield every attempt; between two, step each weight and bias against its gradient, as
    the run's optimizer says (plain gradient descent: parameter − gradient · learning rate).

    Raises `Overflow` where a value stops being finite, as a spreadsheet would show #NUM!.
    """
    activations = _activations(run.network)
    weights, biases, rate = run.weights, run.biases, run.learning_rate
    rule = run.rule
    settings = rule.settings(run.settings)
    states = [rule.first_state] * run.network.parameter_count
    for number in range(1, run.attempts + 1):
        try:
            this = _attempt(run, number, weights, biases, nudge, activations)
            if rule.states:
                states = _states(rule, settings, this, states)
                this = this._replace(states=states)
        except OverflowError:
            raise Overflow(number) from None
        if not (math.isfinite(this.loss) and _row_finite(this)):
            raise Overflow(number)
        try:
            if rule.states:
                weights, biases = _optimizer_step(rule, settings, rate, weights, biases, this)
            else:
                weights, biases = _step(weights, biases, this, rate)
        except (OverflowError, ZeroDivisionError):
            weights = None
        yield this
        # The next parameters are the next row's: they overflow there, if there is one.
        if number < run.attempts and not (weights and _finite(weights, biases)):
            raise Overflow(number + 1)


def _step(weights: Weights, biases: Biases, this: Attempt, rate: float) -> tuple[list, list]:
    """Every parameter − its gradient · the learning rate."""
    next_weights, next_biases = [], []
    for w, g_w, b, g_b in zip(weights, this.weight_gradients, biases, this.bias_gradients):
        layer = []
        for j in range(len(w)):
            w_j, g_j = w[j], g_w[j]
            layer.append([w_j[i] - g_j[i] * rate for i in range(len(w_j))])
        next_weights.append(layer)
        next_biases.append([b[j] - g_b[j] * rate for j in range(len(b))])
    return next_weights, next_biases


def _states(rule: Optimizer, settings: Mapping[str, float], this: Attempt,
            before: list[State]) -> list[State]:
    """Each parameter's optimizer state after the row, from its state before and its gradient."""
    state = rule.state
    return [state(settings, s, g) for s, g in zip(before, _flat(this.weight_gradients,
                                                                this.bias_gradients))]


def _optimizer_step(rule: Optimizer, settings: Mapping[str, float], rate: float,
                    weights: Weights, biases: Biases, this: Attempt) -> tuple[list, list]:
    """Every parameter stepped by the optimizer from its gradient and its state."""
    step, t = rule.step, this.number
    return _unflat([step(settings, p, g, s, t, rate) for p, g, s in zip(
        _flat(weights, biases), _flat(this.weight_gradients, this.bias_gradients),
        this.states)], weights)


def _unflat(flat: list[float], shape: Weights) -> tuple[list, list]:
    """Weights and biases again from their `_flat` list, in the layers' shape of `shape`."""
    values = iter(flat)
    weights, biases = [], []
    for w in shape:
        layer_weights, layer_biases = [], []
        for w_j in w:
            layer_weights.append([next(values) for _ in w_j])
            layer_biases.append(next(values))
        weights.append(layer_weights)
        biases.append(layer_biases)
    return weights, biases


def _flat(weights: list, biases: list) -> list[float]:
    """The parameters (or their gradients) in the row's order: each neuron's weights, then its
    bias, layer by layer."""
    flat = []
    for w, b in zip(weights, biases):
        for j in range(len(w)):
            flat += w[j]
            flat.append(b[j])
    return flat


def _row_finite(this: Attempt) -> bool:
    """Whether every net, δ and gradient of the row is finite: with the loss finite, so are
    the outputs and errors, and the spreadsheet shows no #NUM!."""
    for p in this.passes:
        if not (all(map(math.isfinite, chain.from_iterable(p.nets)))
                and all(map(math.isfinite, chain.from_iterable(p.deltas)))):
            return False
    return (_finite(this.weight_gradients, this.bias_gradients)
            and all(map(math.isfinite, chain.from_iterable(this.states)))
            and all(map(math.isfinite, chain.from_iterable(this.checks))))


def _finite(weights: list, biases: list) -> bool:
    """Whether every parameter is a finite float (`map` keeps the check out of Python's loop)."""
    return (all(map(math.isfinite, chain.from_iterable(chain.from_iterable(weights))))
            and all(map(math.isfinite, chain.from_iterable(biases))))


# One row's values in the sheet's column order, and their names.

def row_values(this: Attempt) -> tuple:
    """Every value of the attempt, flat, in the order `field_names` names them."""
    values = [this.number, this.sample, this.loss] if this.sample else [this.number, this.loss]
    for p in this.passes:
        values += p.inputs
        values += p.targets
        for z, y in zip(p.nets, p.outputs):
            for j in range(len(z)):
                values += (z[j], y[j])
        values += p.errors
        for deltas in reversed(p.deltas):
            values += deltas
    if this.states or this.checks:
        states, checks = iter(this.states), iter(this.checks)
        for p, g in zip(_flat(this.weights, this.biases),
                        _flat(this.weight_gradients, this.bias_gradients)):
            values += (p, g)
            values += next(states, ())
            values += next(checks, ())
        if this.checks:
            values.append(largest_difference(this))
        return tuple(values)
    # Without either, a quicker loop: a big sheet spends much of its time here.
    for w, g_w, b, g_b in zip(this.weights, this.weight_gradients, this.biases,
                              this.bias_gradients):
        for j in range(len(w)):
            w_j, g_j = w[j], g_w[j]
            for i in range(len(w_j)):
                values += (w_j[i], g_j[i])
            values += (b[j], g_b[j])
    return tuple(values)


def pass_prefix(run: Run, s: int) -> str:
    """How the fields of sample s (from 1) begin: "s2 " in a full batch; "" for the row's one."""
    return f"s{s} " if run.batch == FULL_BATCH else ""


def pass_prefixes(run: Run) -> list[str]:
    """The prefix of each sample's fields in a row: every sample's in a full batch, else the
    row's one sample's."""
    passes = len(run.samples) if run.batch == FULL_BATCH else 1
    return [pass_prefix(run, s) for s in range(1, passes + 1)]


def field_names(run: Run) -> tuple[str, ...]:
    """The name of each value `row_values` gives, in the same order."""
    network = run.network
    sizes = network.sizes
    names = ["attempt"] + (["sample"] if run.batch != FULL_BATCH else []) + ["loss"]
    for prefix in pass_prefixes(run):
        names += [f"{prefix}{network.neuron(0, i)}" for i in range(sizes[0])]
        names += [f"{prefix}t{k + 1}" for k in range(sizes[-1])]
        for layer in range(1, len(sizes)):
            for j in range(sizes[layer]):
                names += [f"{prefix}{network.neuron(layer, j)} net",
                          f"{prefix}{network.neuron(layer, j)} out"]
        names += [f"{prefix}{network.neuron(len(sizes) - 1, k)} error"
                  for k in range(sizes[-1])]
        for layer in range(len(sizes) - 1, 0, -1):
            names += [f"{prefix}δ {network.neuron(layer, j)}" for j in range(sizes[layer])]
    for parameter in parameter_names(network):
        names += [parameter, f"∂{parameter}"]
        names += [state_field(state, parameter) for state in run.rule.states]
        if run.gradient_step is not None:
            names += check_fields(parameter)
    if run.gradient_step is not None:
        names.append(LARGEST_DIFFERENCE)
    return tuple(names)


def parameter_names(network: Network) -> list[str]:
    """Every weight and bias, in the row's order (see `_flat`): "w h1←x2", "b h1" …"""
    names = []
    for layer in range(1, len(network.sizes)):
        for j in range(network.sizes[layer]):
            to = network.neuron(layer, j)
            names += [f"w {to}←{network.neuron(layer - 1, i)}"
                      for i in range(network.sizes[layer - 1])] + [f"b {to}"]
    return names


def state_field(state: str, parameter: str) -> str:
    """The field of a parameter's optimizer state, such as "m·w h1←x2" or "v·b o1"."""
    return f"{state}·{parameter}"


CHECKS = ("loss+", "loss−", "estimate", "difference")
"""The gradient check's values of a parameter, as fields: `Check`'s, in its order."""


def check_fields(parameter: str) -> list[str]:
    """The fields of a parameter's gradient check, such as "estimate·w h1←x2": named as its
    optimizer states are, the kind of value, a middle dot, the parameter."""
    return [state_field(value, parameter) for value in CHECKS]


def difference_field(parameter: str) -> str:
    """The field of a parameter's relative difference, the last of its `check_fields`."""
    return state_field(CHECKS[-1], parameter)


LARGEST_DIFFERENCE = "largest difference"
"""The field at the end of a checked row: the largest of its relative differences."""


def largest_difference(this: Attempt) -> float:
    return max(check.difference for check in this.checks)


class Summary(NamedTuple):
    """How a run ended, as the sheet's summary cells report it."""

    final_loss: float
    first_below: int | None
    status: str
    largest_difference: float | None = None
    """With a gradient check: the largest relative difference between a gradient and its
    estimate on the attempts whose loss is at or above the threshold (None if none is)."""


class Checked:
    """The largest relative difference of a gradient check, noted attempt by attempt, over
    the attempts that have not yet converged: below the threshold a gradient is rounding
    noise, and so is its estimate; their ratio would measure nothing."""

    def __init__(self, loss_threshold: float):
        self.loss_threshold = loss_threshold
        self.largest: float | None = None

    def see(self, loss: float, largest_difference: float) -> None:
        """An attempt's loss and the largest of its relative differences."""
        if loss >= self.loss_threshold:
            self.largest = max(self.largest or 0.0, largest_difference)


def summarize(attempts: Iterable[Attempt], loss_threshold: float) -> Summary:
    checked = Checked(loss_threshold)

    def noting(attempt: Attempt) -> Attempt:
        if attempt.checks:
            checked.see(attempt.loss, largest_difference(attempt))
        return attempt

    last, first_below, status = ending(map(noting, attempts), loss_threshold)
    return Summary(last.loss, first_below, status,
                   checked.largest if last.checks else None)
