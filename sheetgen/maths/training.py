"""A network trained in plain Python floats, attempt by attempt: what every row of its sheet
must hold.

Each attempt runs the samples of its batch forward and backward (`passes`), averages their
gradients and steps every weight and bias against its gradient as the run's optimizer says.
With one input, one tanh neuron and the article's sample this is the article's row,
operation for operation. With a gradient step H, each row also checks every gradient against
the slope of the loss between the parameter moved up and down by H (`gradient_check`).
"""

import math
from collections.abc import Iterator, Mapping
from functools import reduce
from itertools import chain
from operator import add
from typing import NamedTuple

from sheetgen.maths import classification, gradient_check, penalties
from sheetgen.maths.activations import Activation
from sheetgen.maths.classification import Verdict
from sheetgen.maths.gradient_check import Check
from sheetgen.maths.optimizers import Optimizer, State
from sheetgen.maths.passes import Nudge, Pass, evaluated, gradients, row_loss, through
from sheetgen.maths.network import Run
from sheetgen.maths.penalties import Penalty
from sheetgen.maths.shape import Biases, Weights, weights_of


class Attempt(NamedTuple):
    """One row: the passes, the parameters this attempt uses and their gradients."""

    number: int
    sample: int
    """The sample trained on with one sample per attempt; 0 for the full batch."""
    loss: float
    passes: list[Pass]
    """One per place of the batch: in the epoch's last, smaller batch, its later places hold
    samples that count for nothing."""
    weights: Weights
    weight_gradients: list[list[list[float]]]
    biases: Biases
    bias_gradients: list[list[float]]
    states: list[State] = []
    """The optimizer's state of each parameter after this row, in the order of the row's
    parameters (`Network.parameters`); none for plain gradient descent."""
    checks: list[Check] = []
    """The gradient check of each parameter, in the same order; none without one."""
    verdicts: list[Verdict] = []
    """Each pass's classification, where the loss classifies; none elsewhere."""
    streak: int | None = None
    """How many attempts in a row, up to this one, classified their sample right, one sample
    at a time where the loss classifies; None elsewhere."""
    penalty: float | None = None
    """The penalties on the weights, which the loss includes; None for a run without any."""
    rate: float | None = None
    """The learning rate the step after this row takes, where it decays; None elsewhere."""
    size: int = 0
    """How many of the passes count: the batch's samples (all of them but in an epoch's last,
    smaller batch)."""
    epoch: int = 0
    batch: int = 0
    """With mini-batches, the epoch and the batch within it, from 1; 0 elsewhere."""
    slots: tuple[int, ...] = ()
    """With mini-batches, the sample (from 1) of each pass; empty elsewhere."""
    masked: bool = False
    """With mini-batches whose epoch ends in a smaller batch: the row says how many samples
    count, and which places."""
    epoch_loss: float | None = None
    """With mini-batches, the mean of the losses of the attempts of this one's epoch (as
    far as the run goes); None elsewhere."""
    tests: list[Pass] = []
    """Each test sample forward with this row's weights, where the run holds some out."""
    test_loss: float | None = None
    """The mean loss over the test samples (without the penalty, which is the weights' and
    not the data's); None without test samples."""
    test_verdicts: list[Verdict] = []
    """Each test sample's classification, where the loss classifies."""

    @property
    def test_accuracy(self) -> float | None:
        """The share of the test samples classified right; None where nothing classifies."""
        return classification.accuracy(self.test_verdicts) if self.test_verdicts else None

    @property
    def counted(self) -> list[Pass]:
        """The passes of the samples the attempt trains on."""
        return self.passes[:self.size] if self.size else self.passes

    @property
    def accuracy(self) -> float | None:
        """The share of the row's samples classified right; None where nothing classifies."""
        return classification.accuracy(self.counted_verdicts) if self.verdicts else None

    @property
    def counted_verdicts(self) -> list[Verdict]:
        """The verdicts of the samples the attempt trains on."""
        return self.verdicts[:self.size] if self.size else self.verdicts


class Overflow(ArithmeticError):
    """The run leaves what a double can hold; a spreadsheet would show #NUM! from here."""

    def __init__(self, attempt: int, where: str = "the training"):
        super().__init__(f"{where} {self.happens} at attempt {attempt:,}: {self.because}")
        self.attempt, self.where = attempt, where

    happens = "overflows"
    because = "a value exceeds what a double can hold (try a smaller learning rate)"

    def __reduce__(self):
        """Made again from its attempt, as when a helper process hands it over."""
        return type(self), (self.attempt, self.where)


class Saturation(Overflow):
    """An output reaches exactly 0 or 1, whose logarithm the cross-entropy would need: a
    spreadsheet would show #NUM! from here."""

    happens = "saturates"
    because = ("an output reaches exactly 0 or 1 in doubles, and the cross-entropy's "
               "logarithm of 0 has no value (try a smaller learning rate or fewer attempts)")


def attempt(run: Run, number: int, weights: Weights, biases: Biases,
            nudge: Nudge | None = None, activations: list[Activation] | None = None) -> Attempt:
    """One row: the batch's passes, the loss, the gradients, and the check of each."""
    activations = activations or run.activations
    loss = run.criterion
    place = _place(run, number) if run.mini_batch else {}
    layers = run.network.layers
    passes = [through(layers, activations, loss, weights, biases, sample, nudge)
              for sample in run.samples_of(number)]
    size = run.size_of(number)
    counted = passes[:size]
    weight_gradients, bias_gradients = gradients(layers, counted)
    data_loss, penalty, chosen = row_loss(loss, counted), None, run.penalties
    if chosen:
        penalty = penalties.total(chosen, weights_of(weights))
        weight_gradients = _penalised(chosen, weight_gradients, weights)
    sample = 0 if run.full_batch or run.mini_batch else run.sample_of(number)
    checks = [] if run.gradient_step is None else gradient_check.checks(
        run.gradient_step, layers, activations, loss, counted, weights, biases,
        run.network.parameters(), flat(weight_gradients, bias_gradients), nudge, chosen)
    this = Attempt(number, sample, data_loss if penalty is None else data_loss + penalty,
                   passes, weights, weight_gradients, biases, bias_gradients, checks=checks,
                   verdicts=_verdicts(run, passes), penalty=penalty, size=size, **place)
    if not run.tests:
        return this
    tried = [evaluated(layers, activations, loss, weights, biases, test, nudge)
             for test in run.trained_tests]
    return this._replace(tests=tried, test_loss=row_loss(loss, tried),
                         test_verdicts=_verdicts(run, tried))


def _verdicts(run: Run, passes: list[Pass]) -> list[Verdict]:
    """Each pass's classification, where the loss classifies; none elsewhere."""
    if not run.criterion.classifies:
        return []
    return [classification.verdict(run.network, p.outputs[-1], p.targets) for p in passes]


def train(run: Run, nudge: Nudge | None = None) -> Iterator[Attempt]:
    """Yield every attempt; between two, step each weight and bias against its gradient, as
    the run's optimizer says (plain gradient descent: parameter − gradient · learning rate).
    With mini-batches, an epoch's attempts are yielded once the epoch is done, each with the
    mean of their losses.

    Raises `Overflow` where a value stops being finite, as a spreadsheet would show #NUM!.
    """
    attempts = _trained(run, nudge)
    return _with_epoch_losses(attempts, run.epoch) if run.mini_batch else attempts


def _with_epoch_losses(attempts: Iterator[Attempt], epoch: int) -> Iterator[Attempt]:
    """The attempts, each with the mean loss of its epoch's, as AVERAGE adds them."""
    group = []
    for this in attempts:
        group.append(this)
        if this.batch == epoch:
            yield from _closed(group)
            group = []
    yield from _closed(group)


def _closed(group: list[Attempt]) -> Iterator[Attempt]:
    if group:
        mean = reduce(add, [this.loss for this in group]) / len(group)
        yield from (this._replace(epoch_loss=mean) for this in group)


def _trained(run: Run, nudge: Nudge | None) -> Iterator[Attempt]:
    activations = run.activations
    weights, biases, rate = run.weights, run.biases, run.learning_rate
    decays = run.lr_decay is not None
    rule = run.rule
    settings = rule.settings(run.settings)
    states = [rule.first_state] * run.network.parameter_count
    streak = 0 if run.criterion.classifies and not run.full_batch else None
    for number in range(1, run.attempts + 1):
        try:
            this = attempt(run, number, weights, biases, nudge, activations)
            if rule.states:
                states = _states(rule, settings, this, states)
                this = this._replace(states=states)
            if streak is not None:
                streak = streak + 1 if this.accuracy == 1 else 0
                this = this._replace(streak=streak)
            if decays:
                rate = run.rate_at(number)
                this = this._replace(rate=rate)
        except OverflowError:
            raise Overflow(number) from None
        except ValueError:   # math.log(0), the cross-entropy of a saturated output
            raise Saturation(number) from None
        if not (math.isfinite(this.loss) and _row_finite(this)
                and (this.test_loss is None or math.isfinite(this.test_loss))):
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


def _place(run: Run, number: int) -> dict:
    """A mini-batch attempt's epoch, batch and samples, as its row shows them."""
    epoch, batch = run.epoch_of(number)
    return {"epoch": epoch, "batch": batch, "slots": run.slots_of(number),
            "masked": run.uneven}


def _penalised(chosen: list[tuple[Penalty, float]], weight_gradients: list,
               weights: Weights) -> list[list[list[float]]]:
    """Each weight's gradient with the penalties' slopes added."""
    return [[[penalties.penalised_gradient(chosen, g, w) for g, w in zip(g_j, w_j)]
             for g_j, w_j in zip(g_layer, w_layer)]
            for g_layer, w_layer in zip(weight_gradients, weights)]


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
    return [state(settings, s, g) for s, g in zip(before, flat(this.weight_gradients,
                                                                this.bias_gradients))]


def _optimizer_step(rule: Optimizer, settings: Mapping[str, float], rate: float,
                    weights: Weights, biases: Biases, this: Attempt) -> tuple[list, list]:
    """Every parameter stepped by the optimizer from its gradient and its state."""
    step, t = rule.step, this.number
    return unflat([step(settings, p, g, s, t, rate) for p, g, s in zip(
        flat(weights, biases), flat(this.weight_gradients, this.bias_gradients),
        this.states)], weights)


def unflat(parameters: list[float], shape: Weights) -> tuple[list, list]:
    """Weights and biases again from their `flat` list, in the layers' shape of `shape`."""
    values = iter(parameters)
    weights, biases = [], []
    for w in shape:
        layer_weights, layer_biases = [], []
        for w_j in w:
            layer_weights.append([next(values) for _ in w_j])
            layer_biases.append(next(values))
        weights.append(layer_weights)
        biases.append(layer_biases)
    return weights, biases


def flat(weights: list, biases: list) -> list[float]:
    """The parameters (or their gradients) in the row's order: each neuron's weights, then its
    bias, layer by layer."""
    values = []
    for w, b in zip(weights, biases):
        for j in range(len(w)):
            values += w[j]
            values.append(b[j])
    return values


def _row_finite(this: Attempt) -> bool:
    """Whether every net, δ and gradient of the row is finite, the test samples' nets too:
    with the losses finite, so are the outputs and errors, and the spreadsheet shows no
    #NUM!."""
    for p in chain(this.passes, this.tests):
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
