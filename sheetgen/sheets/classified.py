"""What the Charts sheet adds for a run whose loss classifies: the accuracy's summary cells and
a live confusion matrix of the last attempt, below the charts.

The matrix counts each sample once, at the last attempt that saw it: in a full batch the last
row, which holds every sample's verdict; otherwise the last epoch's rows, one per batch, each
place of a batch that counts.
Its rows are the true classes, its columns the classes picked, each named by its class.
"""

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from sheetgen.maths.classification import picks_one_class
from sheetgen.maths.fields import ACCURACY, ATTEMPT, SIZE, STREAK, Field, Kind, pass_numbers
from sheetgen.maths.network import Run
from sheetgen.sheets import panel
from sheetgen.sheets.columns import CHART_ROWS, FIRST_ROW, SHEET_NAME, last_row

CONFUSION_COLUMN = 3
"""Column C, under the charts."""


MOST_OUTPUT_LINES = 6
"""Outputs a chart draws, each with its target: more are a block of colour."""
MOST_SAMPLES_CHARTED = 8
NAMED_SAMPLES = 3
"""Past `MOST_SAMPLES_CHARTED` samples, the chart of the outputs draws the first few."""


def wide_charts(run: Run) -> int:
    """The charts below the top two: the outputs, the loss on a log scale where the accuracy
    takes its place beside the loss, and the gradient check's differences."""
    return bool(charted_outputs(run)) + run.criterion.classifies + \
        (run.gradient_step is not None)


def charted_outputs(run: Run) -> list[tuple[int, int]]:
    """The (sample, output) pairs the chart of the outputs draws: in a full batch, every
    sample's, or the first few's where there are many; none where a row's places hold a
    different sample every attempt (one at a time, or in mini-batches), whose lines would
    jump from sample to sample, nor for many samples that a loss classifies, whose accuracy
    chart says how they fare."""
    many = len(run.samples) > MOST_SAMPLES_CHARTED
    if not run.full_batch or (many and run.criterion.classifies):   # the accuracy tells it
        return []
    samples = NAMED_SAMPLES if many else len(run.samples)
    return [(sample, k) for sample in range(1, samples + 1)
            for k in range(run.network.sizes[-1])][:MOST_OUTPUT_LINES]


def output_name(run: Run, sample: int, k: int) -> str:
    """A sample's output named by the sample's inputs and its target, as "(0, 1) → 1", or
    "(0.1, 0.2) → setosa, o2" where there are several outputs."""
    inputs = run.samples[sample - 1].inputs
    targets = run.samples[sample - 1].targets
    target = run.classes[max(range(len(targets)), key=targets.__getitem__)] \
        if run.classes and len(targets) > 1 else ", ".join(f"{t:g}" for t in targets)
    name = f"({', '.join(f'{x:g}' for x in inputs)}) → {target}"
    return name if len(targets) == 1 else f"{name}, {run.network.neuron(run.network.last, k)}"


def seen_rows(run: Run) -> tuple[int, int]:
    """The first and last rows that see each sample once: the last epoch's, and where the
    samples are shuffled, the last whole epoch's (the rows after it follow another order);
    every row, before an epoch is whole."""
    end = last_row(run.attempts)
    if run.orders and run.attempts >= run.epoch:
        end = last_row(run.attempts - run.attempts % run.epoch)
    return max(FIRST_ROW, end - run.epoch + 1), end


def accuracy_results(run: Run, letters: dict[Field, str], first_row: int
                     ) -> tuple[panel.Result, ...]:
    """The final accuracy and the first attempt by which every sample was right, each sample
    at the last attempt that saw it, two rows apart from `first_row`."""
    accuracy = f"{SHEET_NAME}!{letters[ACCURACY]}"
    n = run.epoch
    seen_from, seen_to = seen_rows(run)
    seen_to = "{last}" if seen_to == last_row(run.attempts) else seen_to
    if run.full_batch:
        final = f"={accuracy}{{last}}"
        all_right = f"{accuracy}{{first}}:{letters[ACCURACY]}{{last}}=1"
    elif run.mini_batch and run.uneven:   # each batch's share weighed by its size
        final = (f"=SUMPRODUCT({accuracy}{seen_from}:{letters[ACCURACY]}{seen_to},"
                 f"{SHEET_NAME}!{letters[SIZE]}{seen_from}:{letters[SIZE]}{seen_to})"
                 f"/{len(run.samples)}")
    else:
        final = f"=AVERAGE({accuracy}{seen_from}:{letters[ACCURACY]}{seen_to})"
    if not run.full_batch:
        streak = f"{SHEET_NAME}!{letters[STREAK]}"
        all_right = f"{streak}{{first}}:{letters[STREAK]}{{last}}>={n}"
        if run.orders:   # a whole epoch right, at its end: every order its own
            attempt = f"{SHEET_NAME}!{letters[ATTEMPT]}"
            all_right = (f"(({all_right})*(MOD({attempt}{{first}}:{letters[ATTEMPT]}{{last}},"
                         f"{n})=0))=1")
    return (
        panel.Result("Final accuracy, training", first_row, final, "final_accuracy", "0.00%",
                     absent="none"),
        panel.Result("Training all right first at", first_row + 2,
                     f'=IFERROR(MATCH(TRUE(),{all_right},0),"never")', "all_right_from", "0",
                     array=True,
                     note=("The first attempt whose row classifies every training sample "
                           "right; later ones may lose some again, as the final accuracy "
                           "shows." if run.full_batch else
                           "The first attempt by which every training sample was classified "
                           "right the last time it was seen; later ones may lose some again, "
                           "as the final accuracy, each sample at its last attempt, shows.")))


@dataclass(frozen=True)
class Confusion:
    """The confusion matrix's cells on the Charts sheet, each with its formula."""

    title: str
    title_row: int
    full_batch: bool
    classes: tuple[str, ...]
    counts: dict[tuple[int, int], tuple[str, str]]
    """(true class, class picked), from 1: the cell and its formula."""
    printed: bool = True
    """Whether the Charts page prints it: not where a Pictures sheet prints its own matrix,
    of the training and the test samples at the shown attempt."""

    @property
    def header_row(self) -> int:
        return self.title_row + 1

    @property
    def note_row(self) -> int:
        """Below the matrix: which attempt it counts."""
        return self.header_row + len(self.classes) + 1

    @property
    def note(self) -> str:
        return ("Each training sample counted at the last attempt, which holds them all."
                if self.full_batch else
                "Each training sample counted once, at the last attempt that saw it.")


def has_pictures(run: Run) -> bool:
    """Whether the run's samples are pictures of classes, which a Pictures sheet draws: the
    network's inputs are a picture's pixels and its outputs stand for classes, and its first
    layer has weights to draw, a dense layer's or a convolution's (not a pooling's)."""
    return run.network.image is not None and bool(run.classes) and \
        run.network.layers[0].rows > 0


def confusion(run: Run, letters: dict[Field, str]) -> Confusion | None:
    """The matrix below the charts, where the outputs pick one class; None elsewhere."""
    if not run.criterion.classifies or not picks_one_class(run.network):
        return None
    title_row = 1 + (wide_charts(run) + 1) * (CHART_ROWS + 1) + 1
    classes = run.classes or tuple(f"class {k}" for k in range(1, _class_count(run) + 1))
    counts = {}
    for i in range(1, len(classes) + 1):
        for j in range(1, len(classes) + 1):
            cell = f"{get_column_letter(CONFUSION_COLUMN + j)}{title_row + 1 + i}"
            counts[i, j] = cell, _count_formula(run, letters, i, j)
    title = "Confusion matrix"
    return Confusion(title, title_row, run.full_batch, classes, counts,
                     printed=not has_pictures(run))


def _class_count(run: Run) -> int:
    outputs = run.network.sizes[-1]
    return 2 if outputs == 1 else outputs


def _count_formula(run: Run, letters: dict[Field, str], true: int, picked: int) -> str:
    last = run.network.last
    end = last_row(run.attempts)

    def cell(kind: Kind, sample: int, row: int) -> str:
        return f"{SHEET_NAME}!{letters[Field(kind, sample, last)]}{row}"

    if run.full_batch:
        return "=" + "+".join(f"({cell(Kind.CLASS, s, end)}={true})"
                              f"*({cell(Kind.PREDICTED, s, end)}={picked})"
                              for s in pass_numbers(run))
    first, end = seen_rows(run)

    def span(field: Field) -> str:
        return f"{SHEET_NAME}!{letters[field]}{first}:{letters[field]}{end}"

    counts = []
    for place in pass_numbers(run):
        condition = f"{span(Field(Kind.CLASS, place, last))},{true}," \
                    f"{span(Field(Kind.PREDICTED, place, last))},{picked}"
        if run.mini_batch and run.uneven:
            condition += f",{span(Field(Kind.COUNTS, place))},1"
        counts.append(f"COUNTIFS({condition})")
    return "=" + "+".join(counts)
