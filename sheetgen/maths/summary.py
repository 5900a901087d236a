"""How a network's run ended, as the Charts sheet's summary cells report it: worked out once,
attempt by attempt (`Summarizing`), whether from the reference's attempts (`summarize`), from
the rows as the writer computes them, or from an engine's cells."""

from collections import Counter, deque
from collections.abc import Iterable
from functools import reduce
from operator import add, mul
from typing import NamedTuple

from sheetgen.maths.fields import largest_difference
from sheetgen.maths.network import Run
from sheetgen.maths.training import Attempt, train
from sheetgen.maths.neuron import Ending


class Summary(NamedTuple):
    final_loss: float
    first_below: int | None
    status: str
    largest_difference: float | None = None
    """With a gradient check: the largest relative difference between a gradient and its
    estimate on the attempts whose loss is at or above the threshold (None if none is)."""
    final_accuracy: float | None = None
    """Where the loss classifies: the share of the samples classified right at the end, each
    at the last attempt that saw it."""
    all_right_from: int | None = None
    """The first attempt by which every sample was classified right, each at the last
    attempt that saw it (None if none was)."""
    confusion: dict[tuple[int, int], int] | None = None
    """Where the outputs pick one class: how many samples of each true class (from 1) got
    each class picked, each at the last attempt that saw it; only the pairs that occur."""
    lowest_test_loss: float | None = None
    lowest_test_at: int | None = None
    """Where samples are held out: the lowest test loss, and the first attempt with it (past
    it, where the test loss turns up while the training loss falls, the network over-fits)."""
    final_test_accuracy: float | None = None
    """Where samples are held out and the loss classifies: the last attempt's test accuracy."""


class Seen(NamedTuple):
    """An attempt as `Ending` needs to know it."""

    number: int
    loss: float


class Summarizing:
    """A run's summary, noted attempt by attempt. A gradient check's largest difference is
    taken over the attempts that have not yet converged: below the threshold a gradient is
    rounding noise, and so is its estimate; their ratio would measure nothing."""

    def __init__(self, loss_threshold: float, epoch: int = 1, samples: int | None = None,
                 shuffled: bool = False):
        self.loss_threshold = loss_threshold
        self.ending = Ending(loss_threshold)
        self.largest: float | None = None
        self.latest: deque[float] = deque(maxlen=epoch)
        """The accuracies of the last `epoch` attempts, which saw every sample once."""
        self.samples = samples
        """Where the epoch's last batch is smaller: how many samples an epoch sees, over
        which the final accuracy weighs each attempt's by its batch's size."""
        self.sizes: deque[int] = deque(maxlen=epoch)
        self.shuffled, self.epoch = shuffled, epoch
        """Shuffled, each epoch in an order of its own, the summary takes the last whole
        epoch's attempts, noted as `whole` when it ends."""
        self.whole: tuple | None = None
        self.verdicts: deque[tuple[tuple[int, int], ...]] = deque(maxlen=epoch)
        """Their (true class, class picked) pairs, where the outputs pick one class."""
        self.all_right_from: int | None = None
        self.lowest_test: tuple[float, int] | None = None
        self.test_accuracy: float | None = None

    def see(self, number: int, loss: float, largest_difference: float | None = None,
            accuracy: float | None = None, verdicts: tuple[tuple[int, int], ...] = (),
            size: int = 1, test_loss: float | None = None,
            test_accuracy: float | None = None) -> None:
        """An attempt's number and loss, the largest of its relative differences where it has
        a gradient check, its accuracy where the loss classifies, each sample's (true class,
        class picked) where the outputs pick one class, how many samples it trained on, and
        its test loss and accuracy where samples are held out."""
        self.sizes.append(size)
        if test_loss is not None:
            if self.lowest_test is None or test_loss < self.lowest_test[0]:
                self.lowest_test = test_loss, number
            self.test_accuracy = test_accuracy
        self.ending.see(Seen(number, loss))
        if largest_difference is not None and loss >= self.loss_threshold:
            self.largest = max(self.largest or 0.0, largest_difference)
        if verdicts:
            self.verdicts.append(verdicts)
        if accuracy is not None:
            self.latest.append(accuracy)
            ends_epoch = number % self.epoch == 0
            if self.all_right_from is None and len(self.latest) == self.latest.maxlen \
                    and all(share == 1 for share in self.latest) \
                    and (ends_epoch or not self.shuffled):
                self.all_right_from = number
            if self.shuffled and ends_epoch:
                self.whole = (tuple(self.latest), tuple(self.sizes), tuple(self.verdicts))

    def summary(self) -> Summary:
        ending, latest, sizes, verdicts = self.ending, self.latest, self.sizes, self.verdicts
        if self.whole is not None:
            latest, sizes, verdicts = self.whole
        if not latest:
            final_accuracy = None
        elif self.samples is None:
            final_accuracy = sum(latest) / len(latest)
        else:   # as SUMPRODUCT(accuracies, sizes) / samples
            final_accuracy = reduce(add, map(mul, latest, sizes)) / self.samples
        confusion = Counter(pair for row in verdicts for pair in row) if verdicts else None
        lowest, at = self.lowest_test or (None, None)
        return Summary(ending.last.loss, ending.first_below, ending.status, self.largest,
                       final_accuracy, self.all_right_from,
                       None if confusion is None else dict(confusion), lowest, at,
                       self.test_accuracy)


def summarize(attempts: Iterable[Attempt], loss_threshold: float, epoch: int = 1,
              samples: int | None = None, shuffled: bool = False) -> Summary:
    """How the run ended; `epoch` is `Run.epoch`, the attempts that see every sample once,
    and `samples` their number where the epoch's last batch is smaller."""
    summarizing = Summarizing(loss_threshold, epoch, samples, shuffled)
    for attempt in attempts:
        summarizing.see(attempt.number, attempt.loss,
                        largest_difference(attempt) if attempt.checks else None,
                        attempt.accuracy, tuple((v.true_class, v.predicted)
                                                for v in attempt.counted_verdicts
                                                if v.true_class is not None), attempt.size,
                        attempt.test_loss, attempt.test_accuracy)
    return summarizing.summary()


def summarize_run(run: Run) -> Summary:
    """How a network's run ends, trained from the start."""
    return summarize(train(run), run.loss_threshold, run.epoch, uneven_samples(run),
                     bool(run.orders))


def uneven_samples(run: Run) -> int | None:
    """The samples an epoch sees, where its last batch is smaller; None elsewhere."""
    return len(run.samples) if run.mini_batch and run.uneven else None
