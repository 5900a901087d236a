"""The samples of a data file, CSV or .xlsx, read as a `tables.Table`: inputs first, then the
targets: numbers, one column of class labels, which become one-hot targets, or targets written
one-hot already (see `one_hot`).

Class labels are text (`setosa`) or, where the output layer's activation looks at the whole
layer (softmax), whole numbers. Their classes are sorted, numbers numerically and text in
Python's order, as scikit-learn's LabelBinarizer and MLPClassifier order `classes_`; there is
one output per class, or one for two classes (0 for the first, 1 for the second).
"""

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from sheetgen.errors import InputError
from sheetgen.inputs import one_hot
from sheetgen.inputs.csv_table import read_csv_table
from sheetgen.inputs.one_hot import one_hot_width
from sheetgen.inputs.tables import Row, Table, number_name
from sheetgen.inputs.text import count, quote
from sheetgen.inputs.xlsx_table import read_xlsx_table
from sheetgen.maths.datasets import MAX_SAMPLES, class_targets
from sheetgen.maths.shape import Sample


class Data(NamedTuple):
    sizes: tuple[int, ...]
    """The layer sizes: as given, or what the data needs with no hidden layer."""
    samples: tuple[Sample, ...]
    classes: tuple[str, ...] = ()
    """The names of the classes, where the targets are class labels."""
    names: tuple[str, ...] = ()
    """The inputs' names, as the file's header gives them."""


def read_data(path: Path, sheet: str | None = None, layers: tuple[int, ...] | None = None,
              labels: bool = False, classes: tuple[str, ...] = (), low: float = 0.0) -> Data:
    """The samples of a .csv or .xlsx file (its sheet `sheet`, or its first), for the layer
    sizes `layers` or those the data needs; `labels` reads the last column as class labels
    even where it holds only numbers, and `classes` are their names where they are known
    already (a test file's, which are the training data's); `low` is the target of a class's
    absence (see `datasets.class_targets`)."""
    path = Path(path)
    found = (read_xlsx_table(path, sheet) if path.suffix.lower() == ".xlsx"
             else read_csv_table(path))
    return table_data(found, layers, labels, classes, low)


def table_data(found: Table, layers: tuple[int, ...] | None = None,
               labels: bool = False, known: tuple[str, ...] = (), low: float = 0.0) -> Data:
    """The samples of a table. The last K columns are one-hot targets where `one_hot` finds
    them so; else the last column holds class labels where any of its cells is text, or
    where `labels` (a softmax output) says so; their classes are `known`, or those the
    column holds."""
    if len(found.rows) > MAX_SAMPLES:
        raise InputError(f"{found.name} has {len(found.rows):,} samples; at most "
                         f"{MAX_SAMPLES:,} fit in a sheet")
    for row in found.rows:
        if len(row.cells) != found.width:
            raise InputError(found.width_refusal(row))
    last = found.width - 1
    text = any(isinstance(row.cells[last].value, str) for row in found.rows)
    block = 0 if text else one_hot_width(found, layers, labels)
    if block:
        return _one_hot_data(found, layers, block, known, low)
    labels = labels or text
    inputs = _inputs(found, layers, labels)
    names = _names(found, inputs)
    if not labels:
        rows = (_numbers(found, row, found.width) for row in found.rows)
        samples = tuple(Sample(numbers[:inputs], numbers[inputs:]) for numbers in rows)
        return Data(layers or (inputs, found.width - inputs), samples, (), names)
    classes, numbers = _known_classes(found, known) if known else _classes(found)
    outputs = _outputs(found, layers, classes)
    samples = tuple(Sample(_numbers(found, row, inputs), class_targets(number, outputs, low))
                    for row, number in zip(found.rows, numbers))
    return Data(layers or (inputs, outputs), samples, classes, names)


def _one_hot_data(found: Table, layers: tuple[int, ...] | None, k: int,
                  known: tuple[str, ...], low: float) -> Data:
    """The samples of a table whose last k columns are one-hot targets, the classes named
    after those columns."""
    inputs = found.width - k
    classes = one_hot.class_names(found, k, known)
    samples = tuple(Sample(_numbers(found, row, inputs), class_targets(number, k, low))
                    for row, number in zip(found.rows, one_hot.class_numbers(found, k)))
    return Data(layers or (inputs, k), samples, classes, _names(found, inputs))


def _names(found: Table, inputs: int) -> tuple[str, ...]:
    return tuple(cell.shown for cell in found.header.cells[:inputs])


def _inputs(found: Table, layers: tuple[int, ...] | None, labels: bool) -> int:
    """How many columns are inputs: all but the last, or as many as `layers` says."""
    columns = count(found.width, "column")
    if found.width < 2:
        raise InputError(f"{found.name} has {columns}; it needs at least 2, the inputs then "
                         f"the target{found.apart}")
    if layers is None:
        return found.width - 1
    inputs, outputs = layers[0], layers[-1]
    if labels and inputs != found.width - 1:
        readings = [f"{count(found.width - 1, 'input')} then class labels in "
                    f"{found.columns[-1]}"]
        readings += [f"{count(found.width - k, 'input')} then {k} one-hot targets "
                     f"({one_hot.block_columns(found, k)})"
                     for k in one_hot.fitting_widths(found)]
        fits = "does not fit it" if len(readings) == 1 else "fits neither"
        raise InputError(f"{found.name} reads as {' or as '.join(readings)}; --layers "
                         f"{inputs},…,{outputs} {fits}: it takes "
                         f"{count(inputs, 'input')} and {count(outputs, 'output')}")
    if not labels and inputs + outputs != found.width:
        raise InputError(f"{found.name} has {columns}; --layers {inputs},…,{outputs} needs "
                         f"{count(inputs, 'input')} and {count(outputs, 'target')} "
                         f"({inputs + outputs} columns)")
    return inputs


def _numbers(found: Table, row: Row, columns: int) -> tuple[float, ...]:
    """The numbers of the row's first `columns` cells, in order, each checked."""
    return tuple(found.number(row, c) for c in range(columns))


def _classes(found: Table) -> tuple[tuple[str, ...], list[int]]:
    """The sorted names of the last column's classes (see `_labels`), and each row's class
    number."""
    last = found.width - 1
    labels, name = _labels(found)
    classes = sorted(set(labels))
    names = tuple(map(name, classes))
    if len(classes) < 2:
        raise InputError(f"{found.name}: {found.columns[last]} holds class labels of one "
                         f"class only, {quote(names[0])}; a classifier needs at least 2")
    number = {label: n for n, label in enumerate(classes)}
    return names, [number[label] for label in labels]


def _labels(found: Table) -> tuple[list[str | float], Callable[[str | float], str]]:
    """Each row's class label, and how a label is named: text where most of the column's
    cells are, and a number there is refused; otherwise whole numbers, and text there is
    refused as not a number."""
    last = found.width - 1
    text = 2 * sum(isinstance(row.cells[last].value, str) for row in found.rows) \
        > len(found.rows)
    return [_label(found, row, text) for row in found.rows], str if text else number_name


def _known_classes(found: Table, known: tuple[str, ...]) -> tuple[tuple[str, ...], list[int]]:
    """The `known` classes, and each row's class number among them; refuses a label that is
    not one of them."""
    labels, name = _labels(found)
    numbers = []
    for row, label in zip(found.rows, labels):
        if name(label) not in known:
            raise InputError(f"{found.where(row, found.width - 1)}: {quote(name(label))} is "
                             f"not one of the data's classes ({_listed(known)})")
        numbers.append(known.index(name(label)))
    return known, numbers


def _label(found: Table, row: Row, text: bool) -> str | float:
    """The row's class label: its text, or its whole number."""
    last = found.width - 1
    cell = row.cells[last]
    if text and isinstance(cell.value, str):
        return cell.value
    value = found.number(row, last)   # refuses an empty cell, NaN, infinity, text
    if text:
        raise InputError(f"{found.where(row, last)}: {quote(cell.shown)} is a number, and "
                         f"the column's other class labels are text; write every label as "
                         "text, or every one as a whole number")
    if not value.is_integer():
        raise InputError(f"{found.where(row, last)}: {quote(cell.shown)} is not a whole "
                         "number, and class labels written as numbers must be")
    return value


def _outputs(found: Table, layers: tuple[int, ...] | None, classes: tuple[str, ...]) -> int:
    """One output per class, or one for two classes where `layers` says so."""
    outputs = len(classes) if layers is None else layers[-1]
    if outputs == len(classes) or (outputs, len(classes)) == (1, 2):
        return outputs
    shown = _listed(classes)
    either = " (one per class), or 1 for two classes" if len(classes) == 2 \
        else " (one per class)"
    raise InputError(f"{found.name}: {found.columns[-1]} holds {len(classes)} classes "
                     f"({shown}); --layers {layers[0]},…,{outputs} has "
                     f"{count(outputs, 'output')}, and they need {len(classes)}{either}")


def _listed(classes: tuple[str, ...]) -> str:
    """The classes' names quoted, the first five of them."""
    return ", ".join(map(quote, classes[:5])) + (", …" if len(classes) > 5 else "")
