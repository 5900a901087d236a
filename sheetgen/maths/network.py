"""Any small multilayer perceptron, trained in plain Python floats: what every cell of a
network sheet must hold.

A `Run` is everything a training depends on. Each attempt runs the samples of its batch
forward and backward (`passes`), averages their gradients and steps every weight and bias
against its gradient as the run's optimizer says. With one input, one tanh neuron and the
article's sample this is the article's row, operation for operation.

With a gradient step H, each row also checks every gradient against the slope of the loss
between the parameter moved up and down by H (`gradient_check`).
"""

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, reduce
from itertools import chain
from operator import add
from typing import NamedTuple

from sheetgen.maths import classification, gradient_check, penalties, scaling
from sheetgen.maths.activations import ACTIVATIONS, Activation
from sheetgen.maths.classification import Verdict
from sheetgen.maths.features import featured
from sheetgen.maths.gradient_check import Check
from sheetgen.maths.losses import LOSSES, SQUARED_ERROR, Loss
from sheetgen.maths.optimizers import GRADIENT_DESCENT, OPTIMIZERS, Optimizer, State
from sheetgen.maths.passes import Nudge, Pass, evaluated, gradients, row_loss, through
from sheetgen.maths.penalties import PENALTIES, Penalty
from sheetgen.maths.shape import Biases, Network, Sample, Weights, weights_of


@dataclass(frozen=True)
class Run:
    """Everything a network's training depends on."""

    network: Network
    samples: tuple[Sample, ...]
    weights: Weights
    biases: Biases
    learning_rate: float = 0.1
    attempts: int = 1000
    batch: int | None = None
    """How many samples each attempt trains on, from 1 to all of them (the full batch, also
    written None, so that a run given other samples keeps its full batch). An epoch is the
    samples in order, cut into batches of this many, the last one smaller where they do not
    divide evenly; each attempt trains on the next batch of that cycle."""
    loss_threshold: float = 1e-12
    optimizer: str = GRADIENT_DESCENT.name
    settings: Mapping[str, float] = field(default_factory=dict)
    """The optimizer's hyperparameters by name (see `optimizers.HYPERPARAMETERS`)."""
    gradient_step: float | None = None
    """H of the gradient check (see `gradient_check`), or None for a run without one."""
    loss: str = SQUARED_ERROR.name
    standardize: bool = False
    """Whether the network sees each input standardised (see `scaling`), the samples holding
    the values as typed."""
    tests: tuple[Sample, ...] = ()
    """The held-out test samples, never trained on: each row runs them forward with its
    weights for the test loss (and accuracy), standardised, where the run standardises, with
    the training samples' means and deviations."""
    classes: tuple[str, ...] = ()
    """The names of the classes where the targets are class labels, in the order of the
    one-hot targets (with two classes and one output, the target is 0 for the first and 1
    for the second); empty where the targets are numbers."""
    l2: float | None = None
    l1: float | None = None
    """λ of each penalty on the weights (see `penalties`), or None for a run without it: with
    0 the sheet still holds the penalty, so that typing a λ into its cell turns it on."""
    lr_decay: float | None = None
    """γ: the learning rate is multiplied by it every `lr_decay_every` attempts; None for a
    run whose rate stays as it is."""
    lr_decay_every: float = 100
    orders: tuple[tuple[int, ...], ...] = ()
    """Where the samples are shuffled: the order (samples from 1) each epoch visits them in,
    the first epoch's first, used again in turn once every one has been; empty for the
    samples in their own order."""

    def __post_init__(self):
        if not 1 <= self.batch_size <= len(self.samples):
            raise ValueError(f"a batch takes 1 to {len(self.samples)} samples, not "
                             f"{self.batch}")
        sizes = self.network.sizes
        if self.network.features and len(self.network.features) != sizes[0]:
            raise ValueError(f"{len(self.network.features)} features need {sizes[0]} inputs")
        width = (self.network.typed_inputs, sizes[-1])
        if any((len(s.inputs), len(s.targets)) != width for s in self.samples + self.tests):
            raise ValueError(f"every sample needs {width[0]} input(s) and {width[1]} "
                             "target(s)")
        problem = classification.refusal(self.network, self.loss, self.samples + self.tests)
        if problem:
            raise ValueError(problem)
        outputs = self.network.sizes[-1]
        if self.classes and len(self.classes) not in (outputs, 2 if outputs == 1 else outputs):
            raise ValueError(f"{len(self.classes)} classes need {len(self.classes)} outputs, "
                             f"not {outputs}")
        problem = scaling.refusal(self.network, self.featured_samples) if self.standardize \
            else None
        if problem:
            raise ValueError(problem)
        if self.orders and self.full_batch:
            raise ValueError("a full batch trains on every sample at once: no order to shuffle")
        n = len(self.samples)
        if any(len(order) != n or not all(1 <= s <= n for s in order) for order in self.orders):
            raise ValueError(f"an order lists each of the {n} samples' numbers, 1 to {n}")

    @cached_property
    def featured_samples(self) -> tuple[Sample, ...]:
        """The samples with the network's inputs: the features of each point where the
        network takes features of the plane, else as typed."""
        return featured_samples(self.network, self.samples)

    @cached_property
    def input_scaling(self) -> scaling.Scaling | None:
        """Each input's mean and standard deviation where the run standardises them."""
        return scaling.scaling_of(self.featured_samples) if self.standardize else None

    @cached_property
    def trained_samples(self) -> tuple[Sample, ...]:
        """The samples as the network sees them: their features (where it takes features),
        standardised where the run standardises them."""
        return self.seen(self.featured_samples)

    @cached_property
    def trained_tests(self) -> tuple[Sample, ...]:
        """The test samples as the network sees them: featured and standardised as the
        training ones."""
        return self.seen(featured_samples(self.network, self.tests))

    def seen(self, featured: tuple[Sample, ...]) -> tuple[Sample, ...]:
        """Samples with the network's inputs, as it sees them: standardised with the training
        samples' means and deviations where the run standardises."""
        if self.input_scaling is None:
            return featured
        return scaling.standardized(featured, self.input_scaling)

    @property
    def rule(self) -> Optimizer:
        """The optimizer, which steps the parameters between two attempts."""
        return OPTIMIZERS[self.optimizer]

    @property
    def criterion(self) -> Loss:
        """The loss, which says how far the outputs are from the targets: the record for the
        output layer's activation."""
        return LOSSES[self.loss].for_output(ACTIVATIONS[self.network.activations[-1]])

    @property
    def activations(self) -> list[Activation]:
        """Each layer's activation, looked up once for a whole run rather than per neuron."""
        return [ACTIVATIONS[name] for name in self.network.activations]

    @property
    def penalties(self) -> list[tuple[Penalty, float]]:
        """Each penalty the run has, with its λ, in the order the sheet adds them."""
        strengths = {"l2": self.l2, "l1": self.l1}
        return [(penalty, strengths[name]) for name, penalty in PENALTIES.items()
                if strengths[name] is not None]

    def rate_at(self, number: int) -> float:
        """The learning rate attempt `number` steps with: the rate, times γ once for every
        `lr_decay_every` attempts before it, where the rate decays."""
        if self.lr_decay is None:
            return self.learning_rate
        return self.learning_rate * self.lr_decay ** math.floor((number - 1) /
                                                                self.lr_decay_every)

    @property
    def batch_size(self) -> int:
        """How many samples each attempt trains on."""
        return len(self.samples) if self.batch is None else self.batch

    @property
    def full_batch(self) -> bool:
        """Whether every attempt trains on every sample (with one sample, both are so)."""
        return self.batch_size == len(self.samples)

    @property
    def epoch(self) -> int:
        """How many attempts go through every sample once: its batches, 1 for the full
        batch, one per sample one at a time."""
        return -(-len(self.samples) // self.batch_size)

    @property
    def mini_batch(self) -> bool:
        """Whether each attempt trains on several samples but not all of them."""
        return 1 < self.batch_size < len(self.samples)

    @property
    def uneven(self) -> bool:
        """Whether the epoch's last batch is smaller than the others: its row's later places
        then hold samples that count for nothing (see `slots_of`)."""
        return len(self.samples) % self.batch_size != 0

    def epoch_of(self, number: int) -> tuple[int, int]:
        """(the epoch, the batch within it), from 1, of attempt `number`."""
        return (number - 1) // self.epoch + 1, (number - 1) % self.epoch + 1

    def slots_of(self, number: int) -> tuple[int, ...]:
        """The samples (from 1) in attempt `number`'s places, one per place of its batch: the
        batch's in order, and in the places past the epoch's last sample, the first samples
        again, which count for nothing (`size_of` says how many count)."""
        epoch, batch = self.epoch_of(number)
        start = (batch - 1) * self.batch_size
        positions = [(start + place) % len(self.samples) + 1 for place in range(self.batch_size)]
        if not self.orders:
            return tuple(positions)
        order = self.orders[(epoch - 1) % len(self.orders)]
        return tuple(order[position - 1] for position in positions)

    def size_of(self, number: int) -> int:
        """How many samples attempt `number` trains on: the batch size, or fewer in the
        epoch's last batch."""
        start = (self.epoch_of(number)[1] - 1) * self.batch_size
        return min(self.batch_size, len(self.samples) - start)

    def samples_of(self, number: int) -> tuple[Sample, ...]:
        """The samples in attempt `number`'s places (see `slots_of`): every one, in order, for
        the full batch."""
        if self.full_batch:
            return self.trained_samples
        return tuple(self.trained_samples[s - 1] for s in self.slots_of(number))

    def sample_of(self, number: int) -> int:
        """Which sample (from 1) has its turn at attempt `number`, one at a time."""
        return self.slots_of(number)[0]


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
    passes = [through(activations, loss, weights, biases, sample, nudge)
              for sample in run.samples_of(number)]
    size = run.size_of(number)
    counted = passes[:size]
    weight_gradients, bias_gradients = gradients(counted)
    data_loss, penalty, chosen = row_loss(loss, counted), None, run.penalties
    if chosen:
        penalty = penalties.total(chosen, weights_of(weights))
        weight_gradients = _penalised(chosen, weight_gradients, weights)
    sample = 0 if run.full_batch or run.mini_batch else run.sample_of(number)
    checks = [] if run.gradient_step is None else gradient_check.checks(
        run.gradient_step, activations, loss, counted, weights, biases,
        run.network.parameters(), flat(weight_gradients, bias_gradients), nudge, chosen)
    this = Attempt(number, sample, data_loss if penalty is None else data_loss + penalty,
                   passes, weights, weight_gradients, biases, bias_gradients, checks=checks,
                   verdicts=_verdicts(run, passes), penalty=penalty, size=size, **place)
    if not run.tests:
        return this
    tried = [evaluated(activations, loss, weights, biases, test, nudge)
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


def featured_samples(network: Network, samples: tuple[Sample, ...]) -> tuple[Sample, ...]:
    """The samples with the network's inputs: each point's features where it takes features
    of the plane, else the samples as they are."""
    if not network.features:
        return samples
    return tuple(Sample(featured(network.features, sample.inputs), sample.targets)
                 for sample in samples)
