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


def wide_charts(run: Run) -> int:
    """The charts below the top two: the outputs, the loss on a log scale where the accuracy
    takes its place beside the loss, and the gradient check's differences."""
    return 1 + run.criterion.classifies + (run.gradient_step is not None)


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
        panel.Result("Final accuracy", first_row, final, "final_accuracy", "0.00%",
                     absent="none"),
        panel.Result("All classified right from", first_row + 2,
                     f'=IFERROR(MATCH(TRUE(),{all_right},0),"never")', "all_right_from", "0",
                     array=True,
                     note="" if run.full_batch else
                     "The attempt by which every sample was classified right the last "
                     "time it was seen: its own attempt and the ones before it."))


@dataclass(frozen=True)
class Confusion:
    """The confusion matrix's cells on the Charts sheet, each with its formula."""

    title: str
    title_row: int
    classes: tuple[str, ...]
    counts: dict[tuple[int, int], tuple[str, str]]
    """(true class, class picked), from 1: the cell and its formula."""

    @property
    def header_row(self) -> int:
        return self.title_row + 1


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
    title = "Confusion matrix, last attempt" if run.full_batch else \
        "Confusion matrix, each sample's last attempt"
    return Confusion(title, title_row, classes, counts)


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
