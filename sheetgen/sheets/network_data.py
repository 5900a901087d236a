"""Where a network workbook's Data sheet keeps what the Training sheet starts from: the shape
the formulas were built for, the samples, and the initial weights and biases, each a named
input cell."""

from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate

from sheetgen.maths.classification import class_of, threshold
from sheetgen.maths.features import FEATURES
from sheetgen.maths.network import Run
from sheetgen.maths.shape import Network, Parameter

DATA_SHEET_NAME = "Data"
SHAPE_CELLS = {"layers": "B2", "activations": "B3", "batch": "B4", "optimizer": "B5",
               "loss": "D2", "inputs": "D4", "orders": "D5", "tests": "F2", "features": "F4",
               "image": "F5"}
"""Cells of the Data sheet that say what the formulas were built for, each labelled in the cell
to its left (the optimizer where it is not plain gradient descent, the loss where it is not
the squared error, the inputs where they are standardised, the number of epochs' orders
where the samples are shuffled, the number of test samples where some are held out, the
features where the network takes features of the samples' points, the picture's width and
height, `image_text`, where the inputs are its pixels)."""
STANDARDISED = "standardised"
"""What the Data sheet says of its inputs where the network sees them standardised."""
CLASSES_ROW, CLASSES_COLUMN = 3, 3
CLASSES_CELL = f"{get_column_letter(CLASSES_COLUMN)}{CLASSES_ROW}"
"""Where the Data sheet says "Classes", where there are, their names to its right."""
SAMPLES_TITLE_ROW = 6
SAMPLES_HEADER_ROW = 7


@dataclass(frozen=True)
class InitialCell:
    """A named input cell on the Data sheet holding an initial weight or bias."""

    parameter: Parameter
    label: str
    """How the Notes and the cell's message call it: 'w h1←x2' (into h1 from x2), 'b o1'."""
    name: str
    """Its defined name: W_H1_X2, B_O1."""
    cell: str
    """Its coordinate on the Data sheet, such as 'C12'."""
    value: float


FULL_BATCH = "full"
"""How the Data sheet (and --batch) says the full batch, `Run.batch` None; any other batch is
its number of samples."""


def order_cells(run: Run) -> tuple[tuple[str, ...], ...]:
    """order_cells[e][p]: the cell of the p-th sample epoch e + 1 visits, where the samples
    are shuffled: a column per epoch's order, right of the samples (and their labels) after
    a column numbering the turns."""
    first = first_order_column(run)
    return tuple(tuple(f"{get_column_letter(first + e)}{SAMPLES_HEADER_ROW + p}"
                       for p in range(1, len(run.samples) + 1))
                 for e in range(len(run.orders)))


def first_order_column(run: Run) -> int:
    """The column (from 1) of the first epoch's order, where the samples are shuffled."""
    return feature_column(run) + len(run.network.features) + 1


def order_lookup(run: Run, position: str, epoch: str) -> str:
    """The sample at turn `position` of epoch `epoch` (expressions, from 1), read from the
    order table by INDEX: the orders are used in turn, the first again after the last."""
    cells = order_cells(run)
    table = f"{data_reference(cells[0][0])}:{absolute_coordinate(cells[-1][-1])}"
    return f"INDEX({table},{position},MOD({epoch}-1,{len(run.orders)})+1)"


def image_text(image: tuple[int, int]) -> str:
    """A picture's width and height as the Data sheet says them: 8x8."""
    return f"{image[0]}x{image[1]}"


def data_width(run: Run) -> int:
    """How many columns right of column A the Data sheet's tables take: the samples' (their
    values as typed, their labels, a blank column and their features), the classes' list
    and the initial weights'. (The shuffled orders stand right of them, see `order_cells`.)"""
    net = run.network
    return max(net.typed_inputs + net.sizes[-1] + bool(run.classes)
               + (len(net.features) + 1 if net.features else 0), 2 + len(run.classes),
               *(layer.columns + 1 for layer in net.layers))


def batch_text(run: Run) -> str:
    """The batch as the Data sheet says it."""
    return FULL_BATCH if run.full_batch else str(run.batch_size)


def data_reference(cell: str) -> str:
    """A cell of the Data sheet as formulas and names refer to it: B8 → Data!$B$8."""
    return f"{DATA_SHEET_NAME}!{absolute_coordinate(cell)}"


def layer_title(run: Run, layer: int) -> str:
    network = run.network
    activation, stacked = network.activations[layer - 1], len(network.stack)
    if layer <= stacked:
        record = network.stack[layer - 1]
        return f"{record.title} · {activation}" if record.rows else record.title
    if layer == network.last:
        return f"Output layer · {activation}"
    if len(network.sizes) - stacked == 3:
        return f"Hidden layer · {activation}"
    return f"Hidden layer {layer - stacked} · {activation}"


def samples_of(run: Run, held_out: bool = False) -> tuple:
    """The training samples, or with `held_out` the test samples, as typed."""
    return run.tests if held_out else run.samples


def input_range(run: Run) -> tuple[float, float]:
    """The lowest and the highest input of every training and test sample, as typed: what
    a picture's greys span."""
    inputs = [value for sample in run.samples + run.tests for value in sample.inputs]
    return min(inputs), max(inputs)


def test_title_row(run: Run) -> int:
    """The title row of the test samples' table: below the training samples (and their
    inputs' means and deviations, which are the training samples' alone) and a blank row."""
    above = statistics_rows(run)[1] if run.standardize else SAMPLES_HEADER_ROW + len(run.samples)
    return above + 2


def _first_row(run: Run, held_out: bool) -> int:
    """The row of the first training or test sample as typed."""
    return test_title_row(run) + 2 if held_out else SAMPLES_HEADER_ROW + 1


def typed_cells(run: Run, held_out: bool = False) -> tuple[tuple[str, ...], ...]:
    """typed_cells[s][c]: the cell of sample s's c-th value as typed (its inputs, or its
    point's two coordinates where the network takes features, then its targets), an orange
    input; of test sample s with `held_out`."""
    return tuple(_typed_row(run, s, held_out) for s in range(len(samples_of(run, held_out))))


def _typed_row(run: Run, s: int, held_out: bool) -> tuple[str, ...]:
    """The cells of sample s's values as typed (from 0; a test sample's with `held_out`)."""
    width = run.network.typed_inputs + run.network.sizes[-1]
    row = _first_row(run, held_out) + s
    return tuple(f"{get_column_letter(2 + c)}{row}" for c in range(width))


def feature_column(run: Run) -> int:
    """The column of the first feature, right of the samples as typed (and their labels)."""
    return 2 + run.network.typed_inputs + run.network.sizes[-1] + bool(run.classes) + 1


def feature_cells(run: Run, held_out: bool = False) -> tuple[tuple[str, ...], ...]:
    """feature_cells[s][f]: sample s's feature f, worked out from its point on its own row,
    right of it; none where the network takes the samples' inputs as they are."""
    first, features = feature_column(run), run.network.features
    row = _first_row(run, held_out)
    return tuple(tuple(f"{get_column_letter(first + f)}{row + s}" for f in range(len(features)))
                 for s in range(len(samples_of(run, held_out)))) if features else ()


def feature_formulas(run: Run) -> dict[str, str]:
    """Every feature's formula by its cell, the test samples' too, of its row's point."""
    return {cell: "=" + FEATURES[name].formula.format(x1=typed[0], x2=typed[1])
            for held_out in (False, True)
            for cells, typed in zip(feature_cells(run, held_out), typed_cells(run, held_out))
            for cell, name in zip(cells, run.network.features)}


def input_cells(run: Run, held_out: bool = False) -> tuple[tuple[str, ...], ...]:
    """input_cells[s][i]: the cell of sample s's input i before any standardising: its
    feature, or its value as typed."""
    if run.network.features:
        return feature_cells(run, held_out)
    return tuple(cells[:run.network.sizes[0]] for cells in typed_cells(run, held_out))


def sample_cells(run: Run, held_out: bool = False) -> tuple[tuple[str, ...], ...]:
    """sample_cells[s][c]: the cell the Training sheet reads for sample s's c-th value (its
    inputs, then its targets): its input, or where the run standardises, its standardised
    value; of test sample s with `held_out`."""
    inputs = scaled_cells(run, held_out) if run.standardize else input_cells(run, held_out)
    return tuple(cells + typed[run.network.typed_inputs:]
                 for cells, typed in zip(inputs, typed_cells(run, held_out)))


# Standardised inputs: below the samples, each input's mean and standard deviation, then a
# table of the samples' inputs standardised, which the Training sheet reads; test samples
# follow the training ones in it, standardised with the training samples' means.

def statistics_rows(run: Run) -> tuple[int, int]:
    """The rows of the inputs' means and standard deviations, below the samples."""
    last = SAMPLES_HEADER_ROW + len(run.samples)
    return last + 1, last + 2


def scaled_title_row(run: Run) -> int:
    if run.tests:
        return test_title_row(run) + 1 + len(run.tests) + 2
    return statistics_rows(run)[1] + 2


def scaled_cells(run: Run, held_out: bool = False) -> tuple[tuple[str, ...], ...]:
    """scaled_cells[s][i]: sample s's input i standardised, in the table below the means;
    test sample s's with `held_out`, after the training samples."""
    first = scaled_title_row(run) + 2 + (len(run.samples) if held_out else 0)
    return tuple(tuple(f"{get_column_letter(2 + i)}{first + s}"
                       for i in range(run.network.sizes[0]))
                 for s in range(len(samples_of(run, held_out))))


def statistics_cells(run: Run, fixed: str = "") -> tuple[tuple[str, str], ...]:
    """statistics_cells[i]: the cells of input i's mean and standard deviation, under its
    column; with `fixed` "$", their rows fixed (B$9), as the formulas that read them have
    them."""
    first = feature_column(run) if run.network.features else 2
    return tuple(tuple(f"{get_column_letter(first + i)}{fixed}{row}"
                       for row in statistics_rows(run))
                 for i in range(run.network.sizes[0]))


def statistics_formulas(run: Run, i: int) -> tuple[str, str]:
    """Input i's mean and standard deviation, each term written out: =(B8+B9+…)/n and
    =SQRT(((B8-B$m)^2+…)/n), as `scaling.scaling_of` computes them."""
    column = [cells[i] for cells in input_cells(run)]
    n, (mean, _) = len(column), statistics_cells(run, fixed="$")[i]
    squares = "+".join(f"({cell}-{mean})^2" for cell in column)
    return f"=({'+'.join(column)})/{n}", f"=SQRT(({squares})/{n})"


def scaled_formulas(run: Run) -> dict[str, str]:
    """Every standardised input's formula by its cell, the test samples' too: (x − mean) /
    deviation."""
    statistics = statistics_cells(run, fixed="$")
    return {cell: f"=({inputs[i]}-{statistics[i][0]})/{statistics[i][1]}"
            for held_out in (False, True)
            for scaled, inputs in zip(scaled_cells(run, held_out), input_cells(run, held_out))
            for i, cell in enumerate(scaled)}


def class_cells(run: Run) -> tuple[str, ...]:
    """The cells of the classes' names, in their order; none for numeric targets."""
    return tuple(f"{get_column_letter(CLASSES_COLUMN + 1 + k)}{CLASSES_ROW}"
                 for k in range(len(run.classes)))


def label_cells(run: Run, held_out: bool = False) -> tuple[str, ...]:
    """Each sample's class label, beside its targets (each test sample's with `held_out`);
    none for numeric targets."""
    if not run.classes:
        return ()
    column = get_column_letter(2 + run.network.typed_inputs + run.network.sizes[-1])
    first = _first_row(run, held_out)
    return tuple(f"{column}{first + s}" for s in range(len(samples_of(run, held_out))))


def sample_labels(run: Run, held_out: bool | None = None) -> dict[str, str]:
    """Each label cell's class name, as `label_formula` works it out: the training
    samples' and the test samples', or with `held_out` those of one table alone."""
    middle = threshold(run.network)
    return {cell: run.classes[class_of(sample.targets, middle) - 1]
            for table in ((False, True) if held_out is None else (held_out,))
            for cell, sample in zip(label_cells(run, table), samples_of(run, table))}


def label_formula(run: Run, sample: int, held_out: bool = False) -> str:
    """Sample `sample`'s label (from 1), live from its targets as `classification.class_of`
    reads them: the class of its first largest target, or for one target the second class
    at or above the threshold. (INDEX takes the row and the column: Gnumeric reads
    INDEX(a row, k) as its k-th row, where Excel and LibreOffice read the k-th cell.)"""
    names = class_cells(run)
    targets = _typed_row(run, sample - 1, held_out)[run.network.typed_inputs:]
    listed = f"{absolute_coordinate(names[0])}:{absolute_coordinate(names[-1])}"
    if len(targets) == 1:
        return (f"=IF({targets[0]}>={threshold(run.network):g},{absolute_coordinate(names[1])},"
                f"{absolute_coordinate(names[0])})")
    span = f"{targets[0]}:{targets[-1]}"
    return f"=INDEX({listed},1,MATCH(MAX({span}),{span},0))"


def samples_end(run: Run) -> int:
    """The last row of the samples' tables: the training samples', the test samples', or
    the standardised inputs'."""
    if run.standardize:
        return scaled_title_row(run) + 1 + len(run.samples) + len(run.tests)
    return _first_row(run, bool(run.tests)) + len(samples_of(run, bool(run.tests))) - 1


def layer_tables(run: Run) -> tuple[tuple[int, str], ...]:
    """(header row, title) of each layer's table of initial weights and biases, below the
    samples and a blank row, the title row first."""
    tables, row = [], samples_end(run) + 3
    for number, layer in enumerate(run.network.layers, start=1):
        tables.append((row, layer_title(run, number)))
        row += layer.rows + 2 if layer.rows else 0   # a pooling layer has no table
    return tuple(tables)


def initial_cells(run: Run) -> tuple[InitialCell, ...]:
    """One table per layer: a row per neuron, its weights from each neuron before, its bias."""
    network = run.network
    header_rows = [row for row, _ in layer_tables(run)]
    cells = []
    for parameter in network.parameters():
        number = parameter.layer
        row, column = network.layers[number - 1].table_place(parameter.key)
        cell = f"{get_column_letter(2 + column)}{header_rows[number - 1] + 1 + row}"
        cells.append(InitialCell(parameter, initial_label(network, parameter),
                                 defined_name(network, parameter), cell,
                                 network.value(parameter, run.weights, run.biases)))
    return tuple(cells)


def initial_label(network: Network, parameter: Parameter) -> str:
    """'w h1←x2' for the weight into h1 from x2, 'b h1' for h1's bias, as its layer's record
    labels it."""
    return network.parameter_words("parameter_label", parameter)


def defined_name(network: Network, parameter: Parameter) -> str:
    """The workbook name of an initial weight or bias, as its layer's record names it from
    the neurons' plain labels: W_H1_X2, B_H1_2."""
    return network.parameter_words("parameter_name", parameter, plain=True)
