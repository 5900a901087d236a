"""Column A of the Training sheet: the named input cells and the live summary below them.

The article has one input, the learning rate in A2. sheetgen keeps it there and adds the other
parameters under it, each a label above a named, validated input cell, so that every number the
run depends on can be changed in one place. Below them, summary formulas say how the run ended.
"""

import math
from dataclasses import dataclass, replace

from sheetgen.sheets.columns import FIRST_ROW

PANEL_COLUMN = "A"


@dataclass(frozen=True)
class Input:
    label: str
    name: str
    """The workbook-scope defined name of the cell, used by the formulas."""
    row: int
    """The value's row; its label sits in the row above."""
    field: str
    """The `Parameters` field it holds."""
    low: float
    high: float
    """Data validation: the values a person may type."""
    meaning: str

    @property
    def cell(self) -> str:
        return f"{PANEL_COLUMN}{self.row}"


@dataclass(frozen=True)
class Result:
    label: str
    row: int
    formula: str
    """With `{first}` and `{last}` for the first and last attempt rows."""
    field: str
    """The `Summary` field it shows."""
    number_format: str
    array: bool = False
    """A legacy (Ctrl+Shift+Enter) array formula: every engine evaluates it the same way."""
    absent: str = "never"
    """What the cell shows where the `Summary` has no value: no such attempt, say."""
    note: str = ""
    """A sentence under the cell, where its meaning needs one."""

    @property
    def cell(self) -> str:
        return f"{PANEL_COLUMN}{self.row}"

    def formula_for(self, last_row: int) -> str:
        return self.formula.format(first=FIRST_ROW, last=last_row)

    def shown(self, summary) -> object:
        """What the cell shows for a reference `Summary`: its value, or `absent`."""
        value = getattr(summary, self.field)
        return self.absent if value is None else value


LIMIT = 1e6
BELOW_ONE = math.nextafter(1.0, 0.0)
"""The largest number below 1: the top of a range open at 1, such as a rate of decay's."""
TINY = 1e-300
"""The bottom of a range open at 0, such as ε's."""

INPUTS = (
    Input("Learning rate", "LEARNING_RATE", 2, "learning_rate", -LIMIT, LIMIT,
          "How far each update steps against the gradient."),
    Input("Training input", "TRAINING_INPUT", 5, "input", -LIMIT, LIMIT,
          "The number the neuron is given (column C)."),
    Input("Target factor", "TARGET_FACTOR", 8, "target_factor", -LIMIT, LIMIT,
          "The target is the input times this (the article's ×10)."),
    Input("Initial weight", "INITIAL_WEIGHT", 11, "weight", -LIMIT, LIMIT,
          "The weight of the first attempt (G3)."),
    Input("Initial bias", "INITIAL_BIAS", 14, "bias", -LIMIT, LIMIT,
          "The bias of the first attempt (I3)."),
    Input("Loss threshold", "LOSS_THRESHOLD", 17, "loss_threshold", 0, 1,
          "A loss below this counts as learned (the summary's attempt)."),
)


def summary_results(loss: str, first_row: int, output: str | None = None,
                    sheet: str | None = None) -> tuple[Result, ...]:
    """The summary cells, two rows apart from `first_row`, reading the `loss` column (and the
    `output` column, where there is one output to show) of the Training sheet, from `sheet`
    when they stand on another one."""
    if sheet:
        loss, output = f"{sheet}!{loss}", output and f"{sheet}!{output}"
    range_end = loss.rpartition("!")[2]
    results = [
        # The range formula comes first on purpose: Gnumeric evaluates cells in the order it
        # loads them, and a cell that asks for the last row first walks the whole chain of
        # attempts recursively, which overflows its stack at about 90,000 rows. Reading the
        # loss column from the top computes the chain one shallow step at a time.
        Result("Below threshold from", 0,
               f'=IFERROR(MATCH(TRUE(),{loss}{{first}}:{range_end}{{last}}<LOSS_THRESHOLD,0),'
               '"never")',
               "first_below", "0", array=True),
        *([Result("Final output", 0, f"={output}{{last}}", "final_output", "0.000000000")]
          if output else []),
        Result("Final loss", 0, f"={loss}{{last}}", "final_loss", "0.000E+00"),
        Result("Status", 0,
               f'=IF({loss}{{last}}<LOSS_THRESHOLD,"converged",IF({loss}{{last}}>{loss}{{first}},'
               '"diverging","not converged"))', "status", "General"),
    ]
    return tuple(replace(result, row=first_row + 2 * index) for index, result in enumerate(results))


def row_after(results: tuple[Result, ...]) -> int:
    """The row of the next summary cell below `results`: two rows down, three below a note
    (its label row would be the note's)."""
    return results[-1].row + (3 if results[-1].note else 2)


@dataclass(frozen=True)
class Panel:
    """Column A of a Training sheet: its named inputs, then a titled summary."""

    inputs: tuple[Input, ...]
    summary_title_row: int | None
    summary: tuple[Result, ...]
    """Empty where the summary stands on another sheet."""

    @property
    def last_row(self) -> int:
        return max([self.inputs[-1].row, *(result.row for result in self.summary)])


SUMMARY_TITLE_ROW = 19
SUMMARY = summary_results(loss="Q", output="L", first_row=21)
NEURON = Panel(INPUTS, SUMMARY_TITLE_ROW, SUMMARY)
LAST_PANEL_ROW = NEURON.last_row
