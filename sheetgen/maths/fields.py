"""What each value of a network's row is: its kind, and the sample, layer, neuron and source it
belongs to. The sheet gives every field a column, in the order `row_parts` writes once for
the fields (`fields`) and their values (`RowOrder`); its header comes from the field
(`header`), never the other way round.

The order: the attempt (and the sample it trains on, one sample at a time, and the learning
rate, where it decays), the loss (and the penalty on the weights, where there is one, the
accuracy, where the loss classifies, and the test loss and accuracy, where samples are held
out); each sample's forward pass (inputs, targets, each neuron's net and output, the errors,
and the sample's verdict where the loss classifies) and backward pass (each neuron's δ, from
the outputs back); then every weight and bias, each with its gradient, the optimizer's state
and the gradient check's values; last, each held-out test sample's forward pass.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import Enum

from sheetgen.maths.classification import picks_one_class
from sheetgen.maths.losses import SQUARED_ERROR, Loss
from sheetgen.maths.network import Run
from sheetgen.maths.training import Attempt, flat
from sheetgen.maths.shape import Network, Parameter


class Kind(Enum):
    ATTEMPT = "attempt"
    EPOCH = "epoch"
    BATCH = "batch"
    """Which batch of its epoch a mini-batch attempt trains on."""
    SIZE = "size"
    """How many samples a mini-batch attempt trains on, where the epoch's last batch is
    smaller."""
    SAMPLE = "sample"
    COUNTS = "counts"
    """1 where a place of a mini-batch holds a sample of the batch, 0 past the epoch's last."""
    RATE = "rate"
    """The learning rate the row's update steps with, where it decays."""
    LOSS = "loss"
    EPOCH_LOSS = "epoch loss"
    """The mean loss of the attempt's epoch, with mini-batches."""
    PENALTY = "penalty"
    """The penalties on the weights, which the row's loss includes."""
    INPUT = "input"
    TARGET = "target"
    NET = "net"
    OUT = "out"
    ERROR = "error"
    SAMPLE_LOSS = "sample's loss"
    """A sample's own loss, where the loss gives it a column."""
    CLASS = "class"
    """A sample's class, from its targets, where the outputs pick one."""
    PREDICTED = "predicted"
    """The class the outputs pick."""
    RIGHT = "right"
    """1 where the sample is classified right, else 0."""
    ACCURACY = "accuracy"
    """The share of the row's samples classified right."""
    STREAK = "right in a row"
    """One sample at a time: how many attempts in a row, up to this one, were right."""
    TEST_LOSS = "test loss"
    """The mean loss over the held-out test samples, with the row's weights."""
    TEST_ACCURACY = "test accuracy"
    """The share of the test samples classified right."""
    DELTA = "δ"
    PARAMETER = "parameter"
    """A weight, or a bias (no source)."""
    GRADIENT = "gradient"
    STATE = "state"
    """One of the optimizer's numbers kept per parameter; `Field.part` names it (m, v, s)."""
    CHECK = "check"
    """One of the gradient check's values of a parameter; `Field.part` is one of `CHECKS`."""
    LARGEST_DIFFERENCE = "largest difference"
    """The largest of a checked row's relative differences."""


CHECKS = ("loss+", "loss−", "estimate", "difference")
"""The gradient check's values of a parameter, in `Check`'s order."""
LOSS_UP, LOSS_DOWN, ESTIMATE, DIFFERENCE = CHECKS


@dataclass(frozen=True)
class Field:
    kind: Kind
    sample: int = 0
    """The sample whose pass it is in, from 1, in a full batch; 0 for the row's one sample, and
    for what belongs to the row rather than to a pass."""
    layer: int = 0
    neuron: int = 0
    """The neuron j of `layer` (an input, a target or an output for those kinds)."""
    source: int | None = None
    """A weight's neuron i of the layer before; None for a bias and every other kind."""
    part: str = ""
    """Which of a parameter's states or checks it is."""
    held_out: bool = False
    """Whether it is in a held-out test sample's pass (`sample` then numbers the test
    samples from 1)."""

    @property
    def parameter(self) -> Parameter:
        return Parameter(self.layer, self.neuron, self.source)

    def of(self, kind: Kind, part: str = "") -> "Field":
        """The same parameter's field of another kind: its gradient, a state, a check."""
        return replace(self, kind=kind, part=part)


ATTEMPT, SAMPLE, LOSS = Field(Kind.ATTEMPT), Field(Kind.SAMPLE), Field(Kind.LOSS)
RATE, PENALTY = Field(Kind.RATE), Field(Kind.PENALTY)
EPOCH, BATCH, SIZE = Field(Kind.EPOCH), Field(Kind.BATCH), Field(Kind.SIZE)
EPOCH_LOSS = Field(Kind.EPOCH_LOSS)
ACCURACY, STREAK = Field(Kind.ACCURACY), Field(Kind.STREAK)
TEST_LOSS, TEST_ACCURACY = Field(Kind.TEST_LOSS), Field(Kind.TEST_ACCURACY)
LARGEST_DIFFERENCE = Field(Kind.LARGEST_DIFFERENCE)


def parameter_field(parameter: Parameter, kind: Kind = Kind.PARAMETER, part: str = "") -> Field:
    layer, neuron, source = parameter
    return Field(kind, layer=layer, neuron=neuron, source=source, part=part)


def pass_numbers(run: Run) -> list[int]:
    """The `Field.sample` of each pass in a row: every sample's in a full batch, each place's
    of a mini-batch, else 0, the row's one sample."""
    if run.mini_batch:
        return list(range(1, run.batch_size + 1))
    return list(range(1, len(run.samples) + 1)) if run.full_batch else [0]


def place_fields(run: Run, place: int) -> list[Field]:
    """A mini-batch place's sample, and whether it counts where the epoch's last batch is
    smaller; none elsewhere."""
    if not run.mini_batch:
        return []
    return [Field(Kind.SAMPLE, place)] + ([Field(Kind.COUNTS, place)] if run.uneven else [])


def sample_fields(network: Network, sample: int, held_out: bool = False) -> list[Field]:
    """A sample's inputs, then its targets, as a pass holds them."""
    return ([Field(Kind.INPUT, sample, 0, i, held_out=held_out)
             for i in range(network.sizes[0])]
            + [Field(Kind.TARGET, sample, network.last, k, held_out=held_out)
               for k in range(network.sizes[-1])])


def verdict_fields(network: Network, sample: int, held_out: bool = False) -> list[Field]:
    """A sample's verdict: its class and the class picked, where the outputs pick one, and
    whether it is right."""
    kinds = ((Kind.CLASS, Kind.PREDICTED) if picks_one_class(network) else ()) + (Kind.RIGHT,)
    return [Field(kind, sample, network.last, held_out=held_out) for kind in kinds]


def forward_fields(network: Network, sample: int, loss: Loss = SQUARED_ERROR,
                   held_out: bool = False) -> list[Field]:
    """One sample forward: its inputs and targets, each neuron's net and output, the errors,
    its own loss where the loss gives it one (`Loss.negated`, as `passes` computes it) and
    its verdict where the loss classifies."""
    sizes, last = network.sizes, network.last
    fields = sample_fields(network, sample, held_out)
    for layer in range(1, last + 1):
        for j in range(sizes[layer]):
            fields += [Field(Kind.NET, sample, layer, j, held_out=held_out),
                       Field(Kind.OUT, sample, layer, j, held_out=held_out)]
    fields += [Field(Kind.ERROR, sample, last, k, held_out=held_out) for k in range(sizes[-1])]
    if loss.negated:
        fields.append(Field(Kind.SAMPLE_LOSS, sample, last, held_out=held_out))
    if loss.classifies:
        fields += verdict_fields(network, sample, held_out)
    return fields


def pass_fields(network: Network, sample: int, loss: Loss = SQUARED_ERROR) -> list[Field]:
    """One sample's pass: forward, then backward from the outputs."""
    return forward_fields(network, sample, loss) + [
        Field(Kind.DELTA, sample, layer, j)
        for layer in range(network.last, 0, -1) for j in range(network.sizes[layer])]


def test_numbers(run: Run) -> range:
    """The `Field.sample` of each held-out test sample's pass, from 1; none without them."""
    return range(1, len(run.tests) + 1)


def parameter_fields(run: Run, parameter: Parameter) -> list[Field]:
    """A weight or bias, its gradient, the optimizer's state, the gradient check's values."""
    field = parameter_field(parameter)
    return ([field, field.of(Kind.GRADIENT)]
            + [field.of(Kind.STATE, state) for state in run.rule.states]
            + ([field.of(Kind.CHECK, part) for part in CHECKS]
               if run.gradient_step is not None else []))


@dataclass(frozen=True)
class Part:
    """A stretch of a row: its fields, and how an attempt gives their values, in that order."""

    fields: tuple[Field, ...]
    values: Callable[[Attempt], Iterable]


def row_parts(run: Run) -> list[Part]:
    """The row, part by part: the one place its order is written. Each part's fields and
    values are made together; `fields` and `RowOrder` read them."""
    classifies, mini, net = run.criterion.classifies, run.mini_batch, run.network
    parts = [Part((ATTEMPT,), lambda a: (a.number,))]
    if mini:
        parts.append(Part((EPOCH, BATCH), lambda a: (a.epoch, a.batch)))
        if run.uneven:
            parts.append(Part((SIZE,), lambda a: (a.size,)))
    elif not run.full_batch:
        parts.append(Part((SAMPLE,), lambda a: (a.sample,)))
    wanted = ((run.lr_decay is not None, RATE, lambda a: (a.rate,)),
              (True, LOSS, lambda a: (a.loss,)),
              (mini, EPOCH_LOSS, lambda a: (a.epoch_loss,)),
              (bool(run.penalties), PENALTY, lambda a: (a.penalty,)),
              (classifies, ACCURACY, lambda a: (a.accuracy,)),
              (classifies and not run.full_batch, STREAK, lambda a: (a.streak,)),
              (bool(run.tests), TEST_LOSS, lambda a: (a.test_loss,)),
              (bool(run.tests) and classifies, TEST_ACCURACY, lambda a: (a.test_accuracy,)))
    parts += [Part((field,), value) for present, field, value in wanted if present]
    for place, sample in enumerate(pass_numbers(run)):
        if mini and run.uneven:
            parts.append(Part(tuple(place_fields(run, sample)), lambda a, place=place: (
                a.slots[place], 1 if place < a.size else 0)))
        elif mini:
            parts.append(Part(tuple(place_fields(run, sample)),
                              lambda a, place=place: (a.slots[place],)))
        parts.append(Part(tuple(pass_fields(net, sample, run.criterion)),
                          lambda a, place=place: _pass_values(a.passes[place], a.verdicts,
                                                              place)))
    parts.append(Part(tuple(field for parameter in net.parameters()
                            for field in parameter_fields(run, parameter)),
                      _parameter_values))
    if run.gradient_step is not None:
        parts.append(Part((LARGEST_DIFFERENCE,), lambda a: (largest_difference(a),)))
    parts += [Part(tuple(forward_fields(net, test, run.criterion, held_out=True)),
                   lambda a, place=test - 1: _pass_values(a.tests[place], a.test_verdicts,
                                                          place))
              for test in test_numbers(run)]
    return parts


def fields(run: Run) -> tuple[Field, ...]:
    """The field of each value of a row, in order (see `row_parts`)."""
    return tuple(field for part in row_parts(run) for field in part.fields)


class RowOrder:
    """A run's rows as flat tuples, each value where `fields` names it (see `row_parts`)."""

    def __init__(self, run: Run):
        parts = row_parts(run)
        self.parts = tuple(part.values for part in parts)
        self.width = sum(len(part.fields) for part in parts)

    def __call__(self, this: Attempt) -> tuple:
        values = []
        for part in self.parts:
            values += part(this)
        # A part whose values did not match its fields would shift every later column.
        assert len(values) == self.width, f"{len(values)} values for {self.width} fields"
        return tuple(values)


def _pass_values(p, verdicts: list, place: int) -> list:
    """A pass's values, as `forward_fields` and then the δs of `pass_fields` name them (a
    test sample's pass has no δ), with its verdict where the loss classifies."""
    values = [*p.inputs, *p.targets]
    for z, y in zip(p.nets, p.outputs):
        for j in range(len(z)):
            values += (z[j], y[j])
    values += p.errors
    if p.loss is not None:
        values.append(p.loss)
    if verdicts:
        values += [value for value in verdicts[place] if value is not None]
    for deltas in reversed(p.deltas):
        values += deltas
    return values


def _parameter_values(this: Attempt) -> list:
    """Every weight and bias with its gradient, its states and its check, as
    `parameter_fields` name them."""
    values = []
    states, checks = iter(this.states), iter(this.checks)
    for p, g in zip(flat(this.weights, this.biases),
                    flat(this.weight_gradients, this.bias_gradients)):
        values += (p, g)
        values += next(states, ())
        values += next(checks, ())
    return values


def largest_difference(this: Attempt) -> float:
    return max(check.difference for check in this.checks)


def parameter_header(network: Network, parameter: Parameter) -> str:
    """'w x1→h1' for the weight from x1 into h1, 'b h1' for h1's bias, as its layer's
    record heads it."""
    return network.parameter_words("parameter_header", parameter)


CHECK_HEADERS = dict(zip(CHECKS, ("loss +H {}", "loss −H {}", "≈∂{}", "rel. diff. {}")))


def header(network: Network, field: Field) -> str:
    """The field's column header, as the sheet shows it."""
    kind, label = field.kind, network.neuron(field.layer, field.neuron)
    if kind in (Kind.ATTEMPT, Kind.EPOCH, Kind.BATCH, Kind.SIZE, Kind.RATE, Kind.LOSS,
                Kind.EPOCH_LOSS, Kind.PENALTY, Kind.ACCURACY, Kind.TEST_LOSS,
                Kind.TEST_ACCURACY) or (
            kind is Kind.SAMPLE and not field.sample):
        return kind.value.capitalize()
    if kind in (Kind.SAMPLE, Kind.COUNTS):
        return kind.value
    if kind is Kind.SAMPLE_LOSS:
        return "loss"
    if kind in (Kind.CLASS, Kind.PREDICTED, Kind.RIGHT, Kind.STREAK):
        return kind.value
    if kind is Kind.LARGEST_DIFFERENCE:
        return "largest rel. diff."
    if kind is Kind.INPUT:
        return label if network.features else network.typed_input(field.neuron)
    if kind is Kind.TARGET:
        return f"t {label}" if network.outputs else f"t{field.neuron + 1}"
    if kind in (Kind.NET, Kind.OUT, Kind.ERROR):
        return f"{label} {kind.value}"
    if kind is Kind.DELTA:
        return f"δ {label}"
    parameter = parameter_header(network, field.parameter)
    if kind is Kind.PARAMETER:
        return parameter
    if kind is Kind.GRADIENT:
        return f"∂{parameter}"
    if kind is Kind.STATE:
        return f"{field.part} {parameter}"
    return CHECK_HEADERS[field.part].format(parameter)
