"""How a network's run ended, as the Charts sheet's summary cells report it: worked out once,
attempt by attempt (`Summarizing`), whether from the reference's attempts (`summarize`), from
the rows as the writer computes them, or from an engine's cells."""

from collections.abc import Iterable
from typing import NamedTuple

from sheetgen.maths.fields import largest_difference
from sheetgen.maths.network import Attempt
from sheetgen.maths.neuron import Ending


class Summary(NamedTuple):
    final_loss: float
    first_below: int | None
    status: str
    largest_difference: float | None = None
    """With a gradient check: the largest relative difference between a gradient and its
    estimate on the attempts whose loss is at or above the threshold (None if none is)."""


class Seen(NamedTuple):
    """An attempt as `Ending` needs to know it."""

    number: int
    loss: float


class Summarizing:
    """A run's summary, noted attempt by attempt. A gradient check's largest difference is
    taken over the attempts that have not yet converged: below the threshold a gradient is
    rounding noise, and so is its estimate; their ratio would measure nothing."""

    def __init__(self, loss_threshold: float):
        self.loss_threshold = loss_threshold
        self.ending = Ending(loss_threshold)
        self.largest: float | None = None

    def see(self, number: int, loss: float, largest_difference: float | None = None) -> None:
        """An attempt's number and loss, and the largest of its relative differences where
        it has a gradient check."""
        self.ending.see(Seen(number, loss))
        if largest_difference is not None and loss >= self.loss_threshold:
            self.largest = max(self.largest or 0.0, largest_difference)

    def summary(self) -> Summary:
        ending = self.ending
        return Summary(ending.last.loss, ending.first_below, ending.status, self.largest)


def summarize(attempts: Iterable[Attempt], loss_threshold: float) -> Summary:
    summarizing = Summarizing(loss_threshold)
    for attempt in attempts:
        summarizing.see(attempt.number, attempt.loss,
                        largest_difference(attempt) if attempt.checks else None)
    return summarizing.summary()
