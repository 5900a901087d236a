"""The article's neuron, trained in plain Python floats: what every cell of the sheet must hold.

One tanh neuron with one input learns to multiply by ten. Each attempt is a forward pass
(net, output, error, loss), a backward pass (the two gradients), and a step of gradient
descent that gives the next attempt its weight and bias. The arithmetic is done in the same
order as the sheet's formulas, so a spreadsheet engine that evaluates them in IEEE-754
doubles lands on the same numbers.
"""

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Parameters:
    """Everything a training run depends on; the defaults are the article's sheet."""

    learning_rate: float = 0.1
    input: float = 0.01
    target_factor: float = 10.0
    weight: float = 0.5
    bias: float = 0.5
    attempts: int = 1000
    loss_threshold: float = 1e-12

    @property
    def target(self) -> float:
        """The training output: the article teaches the neuron to multiply by ten."""
        return self.input * self.target_factor


class Attempt(NamedTuple):
    """One row of the sheet: the state before an update and the gradients that drive it."""

    number: int
    input: float
    target: float
    weight: float
    weight_gradient: float
    bias: float
    bias_gradient: float
    net: float
    output: float
    error: float
    loss: float


def attempt(number: int, input: float, target: float, weight: float, bias: float,
            tanh: Callable[[float], float] = math.tanh) -> Attempt:
    """Run the neuron forward and backward once."""
    # forward
    net = input * weight + bias
    output = tanh(net)
    error = output - target
    loss = error**2 / 2
    # backward, by the chain rule:
    #   dloss/doutput = error            (derivative of error²/2)
    #   doutput/dnet  = 1 - output²      (derivative of tanh)
    #   dnet/dbias    = 1
    #   dnet/dweight  = input
    bias_gradient = error * (1 - output**2)
    weight_gradient = bias_gradient * input
    return Attempt(number, input, target, weight, weight_gradient, bias, bias_gradient,
                   net, output, error, loss)


def train(parameters: Parameters,
          tanh: Callable[[float], float] = math.tanh) -> Iterator[Attempt]:
    """Yield every attempt; between two attempts, step weight and bias against their gradients.

    `tanh` can be swapped for one that is off in the last place, to see how far a run
    depends on the engine's own tanh.
    """
    input, target, rate = parameters.input, parameters.target, parameters.learning_rate
    weight, bias = parameters.weight, parameters.bias
    for number in range(1, parameters.attempts + 1):
        this = attempt(number, input, target, weight, bias, tanh)
        yield this
        weight = this.weight - this.weight_gradient * rate
        bias = this.bias - this.bias_gradient * rate


class Summary(NamedTuple):
    """How a run ended, as the sheet's summary cells report it."""

    final_output: float
    final_loss: float
    first_below: int | None
    """The first attempt whose loss is below the threshold, or None if none is."""
    status: str


class Ending:
    """How a run ends, noted attempt by attempt, for any run whose attempts have a `number`
    and a `loss`: the first attempt below the threshold, the last, and the status."""

    def __init__(self, loss_threshold: float):
        self.loss_threshold = loss_threshold
        self.first = self.last = None
        self.first_below: int | None = None

    def see(self, attempt) -> None:
        self.first = self.first or attempt
        self.last = attempt
        if self.first_below is None and attempt.loss < self.loss_threshold:
            self.first_below = attempt.number

    @property
    def status(self) -> str:
        if self.last.loss < self.loss_threshold:
            return "converged"
        if self.last.loss > self.first.loss:
            return "diverging"
        return "not converged"


def ending(attempts: Iterable, loss_threshold: float) -> tuple:
    """(the last attempt, the first whose loss is below the threshold or None, the status)."""
    noted = Ending(loss_threshold)
    for attempt in attempts:
        noted.see(attempt)
    return noted.last, noted.first_below, noted.status


def summarize(attempts: Iterable[Attempt], loss_threshold: float) -> Summary:
    last, first_below, status = ending(attempts, loss_threshold)
    return Summary(last.output, last.loss, first_below, status)
