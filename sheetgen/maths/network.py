"""Any small multilayer perceptron's training, as a `Run`: everything it depends on, the
network, its samples and test samples, their batches and orders, its start, its loss, its
optimizer and penalties. The training itself, attempt by attempt, is `training`'s."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sheetgen.maths import classification, scaling
from sheetgen.maths.activations import ACTIVATIONS, Activation
from sheetgen.maths.features import featured
from sheetgen.maths.losses import LOSSES, SQUARED_ERROR, Loss
from sheetgen.maths.optimizers import GRADIENT_DESCENT, OPTIMIZERS, Optimizer
from sheetgen.maths.penalties import PENALTIES, Penalty
from sheetgen.maths.shape import Biases, Network, Sample, Weights


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


def featured_samples(network: Network, samples: tuple[Sample, ...]) -> tuple[Sample, ...]:
    """The samples with the network's inputs: each point's features where it takes features
    of the plane, else the samples as they are."""
    if not network.features:
        return samples
    return tuple(Sample(featured(network.features, sample.inputs), sample.targets)
                 for sample in samples)
