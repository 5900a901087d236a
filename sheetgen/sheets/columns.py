"""The one description of the sheet's columns: the writer, the checks and the docs all read it.

A formula is written as the article writes it, with ``{row}`` for the cell's own row and
``{prev}`` for the row above. Where the article types a number (the training input, the
initial weight and bias) the cell refers to a named input cell in column A instead, so that
each parameter is changed in one place. A column without a formula holds a number the
reference supplies: the attempt number.
"""

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from itertools import chain

from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.losses import SQUARED_ERROR
from sheetgen.maths.neuron import Attempt, Parameters, train

FIRST_ROW = 3
"""Row 1 holds the groups, row 2 the headers; attempt 1 is row 3."""
CHART_ROWS = 14
"""The rows a chart covers on a Charts sheet; each band below the top one is a row more."""

LAST_ROW_LIMIT = 1_048_576
"""The last row an .xlsx worksheet can have."""

MAX_ATTEMPTS = LAST_ROW_LIMIT - FIRST_ROW + 1

SHEET_NAME = "Training"


@dataclass(frozen=True)
class Column:
    letter: str
    header: str
    field: Hashable
    """What this column holds, as the reference names it: an `Attempt` field of the
    article's neuron, a network's `fields.Field`."""
    first: str | None
    """Formula of the first attempt's row, or None for a constant."""
    later: str | None
    """Formula of every later row, or None for a constant."""
    number_format: str
    width: float
    meaning: str
    run: int = 0
    """Which of a row's training runs the value comes from (the Sweep sheet has several)."""

    def template(self, row: int) -> str | None:
        """The formula template that applies in `row`, or None for a constant."""
        return self.first if row == FIRST_ROW else self.later

    def formula(self, row: int) -> str | None:
        """The exact formula text of this column's cell in `row`, or None for a constant."""
        template = self.template(row)
        return None if template is None else template.format(row=row, prev=row - 1)


@dataclass(frozen=True)
class Group:
    title: str
    columns: tuple[Column, ...]


def constant(letter, header, field, number_format, width, meaning) -> Column:
    """A column of numbers given, not computed: the same kind of cell in every row."""
    return Column(letter, header, field, None, None, number_format, width, meaning)


def computed(letter, header, field, formula, number_format, width, meaning) -> Column:
    """A column with the same formula, relative to its row, in every row."""
    return Column(letter, header, field, formula, formula, number_format, width, meaning)


def stepped(letter, header, field, initial, update, number_format, width, meaning) -> Column:
    """A parameter: its initial value in the first row, an update of the row above after it."""
    return Column(letter, header, field, initial, update, number_format, width, meaning)


PARAMETER_FORMAT = "General"
STATE_FORMAT = "0.000000000"
SMALL_FORMAT = "0.000E+00"

TANH = ACTIVATIONS["tanh"]

GROUPS = (
    Group("Training", (
        computed("C", "In", "input", "=TRAINING_INPUT", PARAMETER_FORMAT, 9,
                 "The training input given to the neuron (the article uses 0.01)."),
        computed("D", "Out", "target", "=C{row}*TARGET_FACTOR", PARAMETER_FORMAT, 9,
                 "The output the neuron should learn to give: the input times the target "
                 "factor (the article's ×10)."),
    )),
    Group("Neuron", (
        computed("F", "Input", "input", "=C{row}", PARAMETER_FORMAT, 9,
                 "The neuron's input, taken from the training data."),
        stepped("G", "Weight", "weight", "=INITIAL_WEIGHT", "=G{prev}-H{prev}*LEARNING_RATE",
                STATE_FORMAT, 13,
                "The weight: the initial weight at first (0.5 in the article), then the "
                "previous weight less its gradient times the learning rate."),
        computed("H", "Weight gradient", "weight_gradient", "=J{row}*F{row}", SMALL_FORMAT, 13,
                 "How the loss changes with the weight: the bias gradient times the input."),
        stepped("I", "Bias", "bias", "=INITIAL_BIAS", "=I{prev}-J{prev}*LEARNING_RATE",
                STATE_FORMAT, 13,
                "The bias: the initial bias at first (0.5 in the article), then the "
                "previous bias less its gradient times the learning rate."),
        computed("J", "Bias gradient", "bias_gradient",
                 SQUARED_ERROR.delta_formula("P{row}", TANH.slope_of("K{row}", "L{row}")),
                 SMALL_FORMAT, 13,
                 "How the loss changes with the bias: the error times the slope of tanh, "
                 "1 − output²."),
        computed("K", "Net", "net", "=F{row}*G{row}+I{row}", STATE_FORMAT, 13,
                 "The weighted input plus the bias."),
        computed("L", "Output", "output", TANH.output_formula(["K{row}"], 0), STATE_FORMAT, 13,
                 "The neuron's answer: tanh of the net."),
    )),
    Group("Outputs", (
        computed("N", "Target", "target", "=D{row}", PARAMETER_FORMAT, 9,
                 "The output wanted, from the training data."),
        constant("O", "Attempt", "number", "0", 9,
                 "Which attempt this row is: 1 for the first, one more on every row."),
        computed("P", "Error", "error", "=L{row}-N{row}", SMALL_FORMAT, 13,
                 "How far the output is from the target."),
        computed("Q", "Loss", "loss",
                 "=" + SQUARED_ERROR.term_formula("L{row}", "N{row}", "P{row}"),
                 SMALL_FORMAT, 13,
                 "Half the squared error: the number that training drives down."),
    )),
)

COLUMNS = tuple(column for group in GROUPS for column in group.columns)
COMPUTED = tuple(column for column in COLUMNS if column.later is not None)
"""The columns whose later rows are formulas: what an engine computes."""

SPACERS = ("B", "E", "M")


def letter_of(field: str, columns: tuple[Column, ...] = COLUMNS) -> str:
    """The letter of the (first) column holding a reference field, such as "number"."""
    return next(col.letter for col in columns if col.field == field)


def last_row(attempts: int) -> int:
    return FIRST_ROW + attempts - 1


@dataclass(frozen=True)
class NeuronRuns:
    """The rows of one or more runs of the neuron, side by side (the Sweep sheet has several):
    the `RowSource` of the Training and Sweep sheets."""

    runs: tuple[Parameters, ...]
    fields = Attempt._fields

    @property
    def attempts(self) -> int:
        return self.runs[0].attempts

    def values(self) -> Iterator[tuple]:
        if len(self.runs) == 1:
            return train(self.runs[0])
        return (tuple(chain.from_iterable(attempts))
                for attempts in zip(*(train(run) for run in self.runs)))
