"""Targets written one-hot, as Keras's `to_categorical` and pandas' `get_dummies` write them:
the last K columns of a table, one per class and named after it, each row a 1 in its class's
column and 0 in the others.

Such a block is read as the targets where the output layer's width says K (from --layers), or,
under a softmax output whose width is left to the data, where exactly one K fits. A block
that could be read with more than one K is refused with the --layers that settles it; so is
a block of 0s and 1s that a softmax output must read as one-hot but whose rows do not each
hold exactly one 1.
"""

from sheetgen.errors import InputError
from sheetgen.inputs.tables import Table
from sheetgen.inputs.text import quote

NEARLY = 0.9
"""The share of rows holding exactly one 1 that marks a block of 0s and 1s as meant to be
one-hot, so that its other rows are refused rather than the block read some other way."""


def one_hot_width(found: Table, layers: tuple[int, ...] | None, softmax: bool) -> int:
    """K, where the last K columns of the table are its one-hot targets; 0 where they are
    not (the targets are numbers, or class labels in one column)."""
    if layers is not None:
        outputs = layers[-1]
        if outputs < 2 or found.width != layers[0] + outputs:
            return 0
        if softmax and _zeros_and_ones(found, outputs):
            _refuse_rows_without_one_class(found, outputs)
        return outputs if _one_hot(found, outputs) else 0
    if not softmax:
        return 0
    widths = fitting_widths(found)
    if len(widths) > 1:
        ways = " or ".join(f"--layers {found.width - k},…,{k}" for k in widths)
        raise InputError(f"{found.name}: the last {' or the last '.join(map(str, widths))} "
                         f"columns could each be the one-hot targets; say which with {ways}")
    if not widths:
        _refuse_nearly_one_hot(found)
    return widths[0] if widths else 0


def fitting_widths(found: Table) -> list[int]:
    """Every K from 2 for which the last K columns are one-hot, leaving at least one input."""
    return [k for k in range(2, found.width) if _one_hot(found, k)]


def block_columns(found: Table, k: int) -> str:
    """The last k columns in a message: `column 5 to column 7` (`column E to column G` in a
    workbook)."""
    return f"{found.places[found.width - k]} to {found.places[-1]}"


def class_names(found: Table, k: int, known: tuple[str, ...]) -> tuple[str, ...]:
    """The classes of a one-hot block: its columns' names, which must be the `known` ones,
    in order, where the classes are known already (a test file's are the data's)."""
    names = tuple(cell.shown for cell in found.header.cells[-k:])
    if known and names != known:
        raise InputError(f"{found.name}: its one-hot columns name the classes "
                         f"{', '.join(map(quote, names))}, and the data's are "
                         f"{', '.join(map(quote, known))}, in that order")
    return names


def class_numbers(found: Table, k: int) -> list[int]:
    """Each row's class: the place of the 1 among the last k columns."""
    return [[cell.value for cell in row.cells[-k:]].index(1.0) for row in found.rows]


def _cells(found: Table, k: int):
    return ([cell.value for cell in row.cells[-k:]] for row in found.rows)


def _zeros_and_ones(found: Table, k: int) -> bool:
    return all(value in (0.0, 1.0) for values in _cells(found, k) for value in values)


def _one_hot(found: Table, k: int) -> bool:
    """Whether each row of the last k columns holds one 1 and k − 1 0s: one pass."""
    return all(values.count(1.0) == 1 and values.count(0.0) == k - 1
               for values in _cells(found, k))


def _refuse_rows_without_one_class(found: Table, k: int) -> None:
    """Refuses the first row of a 0-and-1 block that does not hold exactly one 1."""
    for row, values in zip(found.rows, _cells(found, k)):
        if sum(values) != 1:
            raise InputError(f"{found.name}, {row.place}: the one-hot targets "
                             f"({block_columns(found, k)}) sum to {sum(values):g}; each "
                             "row's must sum to 1, a 1 in its class's column and 0 in the "
                             "others")


def _refuse_nearly_one_hot(found: Table) -> None:
    """Refuses a block of 0s and 1s of two columns or more in which most rows, but not all,
    hold exactly one 1: meant as one-hot targets, it would otherwise be misread as inputs
    with two classes in the last column."""
    for k in range(found.width - 1, 1, -1):
        if _zeros_and_ones(found, k):
            single = sum(sum(values) == 1 for values in _cells(found, k))
            if single >= NEARLY * len(found.rows):
                _refuse_rows_without_one_class(found, k)
