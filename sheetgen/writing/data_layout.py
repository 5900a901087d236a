"""The Data sheet of a network's workbook laid out: the shape the formulas were built for,
the samples as typed (and their labels, features, standardised inputs and shuffled orders),
the test samples, and the initial weights and biases, each an orange, named, validated cell
where a person may type."""

from collections.abc import Callable
from copy import copy

from openpyxl.utils import get_column_letter
from openpyxl.styles import Alignment

from sheetgen.maths import fields as row_fields
from sheetgen.maths.datasets import LIMIT
from sheetgen.maths.fields import Kind
from sheetgen.maths.losses import SQUARED_ERROR
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.sheets.data_gallery import describe_gallery
from sheetgen.sheets.network_data import (
    CLASSES_CELL,
    SAMPLES_HEADER_ROW,
    SAMPLES_TITLE_ROW,
    SHAPE_CELLS,
    STANDARDISED,
    batch_text,
    class_cells,
    data_width,
    feature_cells,
    feature_column,
    feature_formulas,
    first_order_column,
    image_text,
    label_cells,
    label_formula,
    order_cells,
    samples_of,
    scaled_cells,
    scaled_formulas,
    scaled_title_row,
    statistics_cells,
    statistics_formulas,
    statistics_rows,
    test_title_row,
    typed_cells,
)
from sheetgen.sheets.network_sheet import TITLE, NetworkSheet, run_line
from sheetgen.writing import sheet_parts as parts
from sheetgen.writing.data_gallery import lay_out_gallery, set_up_gallery_printing
from sheetgen.writing.sheet_parts import CENTRED, INPUT_LOOK, LABEL_FONT, ROW_POINTS

def _input(sheet, cell: str, value: float, what: str, meaning: str) -> None:
    sheet[cell] = value
    parts.apply_style(sheet[cell], **INPUT_LOOK)
    parts.validate(sheet, cell, -LIMIT, LIMIT, what[:32], meaning)


def _look_like(cell, first) -> None:
    """An orange input cell: the first of a table styled, the others sharing its style (set
    one attribute at a time, a style costs openpyxl a search of its lists)."""
    if cell is first:
        parts.apply_style(cell, **INPUT_LOOK)
    else:
        cell._style = copy(first._style)


SAMPLE_MEANINGS = {Kind.INPUT: "An input of the sample.", Kind.TARGET: "Its target."}
POINT_MEANING = "A coordinate of the sample's point; the network takes features of it."


SAMPLE_TABLES = {False: ("Samples (type new values here)", "Sample"),
                 True: ("Test samples, held out: never trained on (type new values here)",
                        "Test sample")}
"""The title and the first header of the training samples' table and the test samples'."""


def _lay_out_samples(data, sheet: NetworkSheet, width: int) -> None:
    """A table of the samples, a row each: its inputs, then its targets, orange and
    validated; the test samples' table below it, where some are held out."""
    run = sheet.run
    _lay_out_sample_table(data, run, SAMPLES_TITLE_ROW, False)
    if run.tests:
        _lay_out_sample_table(data, run, test_title_row(run), True)
    if run.standardize:
        inputs = [row_fields.header(run.network, field)
                  for field in row_fields.sample_fields(run.network, 0)]
        _lay_out_standardised(data, run, inputs[:run.network.sizes[0]], width)
    if run.orders:
        _lay_out_orders(data, run)


def _typed_columns(network) -> list[tuple[str, str]]:
    """The header and meaning of each value of a sample as typed: its inputs, or its point's
    coordinates where the network takes features of them, then its targets."""
    fields = row_fields.sample_fields(network, 0)
    typed = [(row_fields.header(network, field), SAMPLE_MEANINGS[field.kind])
             for field in fields]
    if not network.features:
        return typed
    return [(network.typed_input(c), POINT_MEANING) for c in range(2)] \
        + typed[network.sizes[0]:]


def _lay_out_sample_table(data, run, title_row: int, held_out: bool) -> None:
    """The training samples' table, or with `held_out` the test samples', from `title_row`:
    a column for each value of a sample as typed, its label, then its features."""
    title, first = SAMPLE_TABLES[held_out]
    columns = _typed_columns(run.network)
    # Across the table's own columns: the order table of shuffled samples stands to its right.
    parts.heading(data, title_row, title, 1 + len(columns) + bool(run.classes))
    parts.header_row(data, title_row + 1, [first, *(header for header, _ in columns)]
            + (["class"] if run.classes else []))
    labels = label_cells(run, held_out)
    rows = typed_cells(run, held_out)
    for s, (cells, sample) in enumerate(zip(rows, samples_of(run, held_out)), start=1):
        data.cell(title_row + 1 + s, 1, s).alignment = Alignment(horizontal="center")
        for cell, value in zip(cells, sample.inputs + sample.targets):
            data[cell] = value
            _look_like(data[cell], data[rows[0][0]])
        if labels:
            data[labels[s - 1]] = label_formula(run, s, held_out)
            data[labels[s - 1]].alignment = CENTRED
    for c, (header, meaning) in enumerate(columns):
        column = f"{rows[0][c]}:{rows[-1][c]}"
        parts.validate(data, column, -LIMIT, LIMIT, f"{first}s, {header}"[:32], meaning)
    if run.network.features:
        _lay_out_features(data, run, title_row, held_out)


def _lay_out_features(data, run, title_row: int, held_out: bool) -> None:
    """Right of the samples, each one's features: live formulas of its point."""
    cells, network = feature_cells(run, held_out), run.network
    column = feature_column(run)
    parts.heading(data, title_row, "Features: the network's inputs", len(network.features),
                  column)
    parts.header_row(data, title_row + 1,
                     [network.neuron(0, i) for i in range(network.sizes[0])], column)
    formulas = feature_formulas(run)
    for row in cells:
        for cell in row:
            data[cell] = formulas[cell]
            data[cell].alignment = CENTRED


def _lay_out_orders(data, run) -> None:
    """Right of the samples, the order each epoch visits them in, where they are shuffled: a
    column numbering the turns, then an epoch's order a column, orange and validated."""
    cells, n = order_cells(run), len(run.samples)
    turns = first_order_column(run) - 1
    parts.heading(data, SAMPLES_TITLE_ROW, "Shuffled: each epoch's order (type another)",
                  1 + len(cells), turns)
    parts.header_row(data, SAMPLES_HEADER_ROW,
                     ["Turn", *(f"epoch {e}" for e in range(1, len(cells) + 1))], turns)
    for p in range(1, n + 1):
        data.cell(SAMPLES_HEADER_ROW + p, turns, p).alignment = CENTRED
    parts.apply_style(data[cells[0][0]], **INPUT_LOOK)
    # A hundred orders of iris are 15,000 cells: each takes the first one's look, copied as
    # openpyxl's documentation copies styles, in a hundredth of the time of setting it.
    look = data[cells[0][0]]._style
    for column, order in zip(cells, run.orders):
        for cell, sample in zip(column, order):
            data[cell] = sample
            data[cell]._style = copy(look)
    parts.validate(data, f"{cells[0][0]}:{cells[-1][-1]}", 1, n, "Order",
                   "The sample this turn of this epoch trains on; once the last epoch's "
                   "order is used, the first's comes again.", whole=True)


def _lay_out_standardised(data, run, inputs: list[str], width: int) -> None:
    """Each input's mean and standard deviation under the samples, then the inputs
    standardised, which the Training sheet reads: live formulas of the samples typed above."""
    for row, label in zip(statistics_rows(run), ("mean", "standard deviation")):
        data.cell(row, 1, label).font = LABEL_FONT
    for i, cells in enumerate(statistics_cells(run)):
        for cell, formula in zip(cells, statistics_formulas(run, i)):
            data[cell] = formula
            data[cell].alignment = CENTRED
    title = scaled_title_row(run)
    parts.heading(data, title, "Standardised inputs, (x − mean) / standard deviation: what the "
                          "network sees", 1 + width)
    parts.header_row(data, title + 1, ["Sample", *inputs])
    formulas = scaled_formulas(run)
    rows = [(s, cells) for s, cells in enumerate(scaled_cells(run), start=1)] + [
        (f"test {s}", cells) for s, cells in enumerate(scaled_cells(run, True), start=1)]
    for row, (label, cells) in enumerate(rows, start=title + 2):
        data.cell(row, 1, label).alignment = Alignment(horizontal="center")
        for cell in cells:
            data[cell] = formulas[cell]
            data[cell].alignment = CENTRED


def lay_out_data(data, sheet: NetworkSheet) -> Callable[[bytes], bytes] | None:
    """The shape the formulas were built for, the samples, the initial weights and biases,
    and where the inputs are a picture's pixels, the samples' pictures: what then writes
    their cells into the sheet's XML (see `data_gallery`), else None."""
    run = sheet.run
    width = data_width(run)
    _lay_out_shape(data, run, width)
    _lay_out_samples(data, sheet, width)
    _lay_out_initial(data, sheet, width)
    data.column_dimensions["A"].width = 34
    for index in range(width):
        data.column_dimensions[parts.column_after("B", index)].width = 12
    gallery = describe_gallery(run)
    if gallery is None:
        _set_up_data_printing(data, sheet, width)
        return None
    cells = lay_out_gallery(data, gallery)
    set_up_gallery_printing(data, gallery, TITLE, run_line(run))
    return cells


def _lay_out_shape(data, run, width: int) -> None:
    """At the top, what the formulas are built for: the layers, activations and batch, and
    what differs from the plainest run; then the classes' names."""
    net = run.network
    parts.heading(data, 1, "The network (fixed: the formulas are built for it)", 1 + width)
    shape = {"layers": ("Layers", net.layers_text),
             "activations": ("Activations", net.activations_text),
             "batch": ("Batch", batch_text(run))}
    if run.rule is not GRADIENT_DESCENT:   # plain gradient descent's workbook says nothing
        shape["optimizer"] = ("Optimizer", run.optimizer)
    if run.loss != SQUARED_ERROR.name:      # nor does the squared error's
        shape["loss"] = ("Loss", run.loss)
    if run.standardize:
        shape["inputs"] = ("Inputs", STANDARDISED)
    if run.orders:
        shape["orders"] = ("Orders", len(run.orders))
    if run.tests:
        shape["tests"] = ("Test samples", len(run.tests))
    if net.features:
        shape["features"] = ("Features", ",".join(net.features))
    if net.image:
        shape["image"] = ("Image", image_text(net.image))
    for key, (label, value) in shape.items():
        cell = data[SHAPE_CELLS[key]]
        data.cell(cell.row, cell.column - 1, label).font = LABEL_FONT
        cell.value = value
        cell.alignment = Alignment(horizontal="left")
    if run.classes:
        data[CLASSES_CELL].font = LABEL_FONT
        data[CLASSES_CELL] = "Classes"
    for cell, name in zip(class_cells(run), run.classes):
        data[cell] = name


def _lay_out_initial(data, sheet: NetworkSheet, width: int) -> None:
    """Under the samples, a table of each layer's initial weights and biases, named cells."""
    net = sheet.run.network
    first_table = sheet.layer_tables[0][0]
    parts.heading(data, first_table - 1, "Initial weights and biases (named cells)", 1 + width)
    by_cell = {initial.cell: initial for initial in sheet.initial_cells}
    for number, (layer, (row, title)) in enumerate(zip(net.layers, sheet.layer_tables), 1):
        if not layer.rows:
            continue   # a pooling layer has no parameters
        me, before = net.labels(number)
        parts.header_row(data, row, [f"{title}: into ↓ from →"]
                         + layer.table_headers(before) + ["bias"])
        for j in range(layer.rows):
            data.cell(row + 1 + j, 1, layer.row_label(j, me)).alignment = \
                Alignment(horizontal="center")
        for key in layer.parameters():
            down, across = layer.table_place(key)
            cell = f"{parts.column_after('B', across)}{row + 1 + down}"
            initial = by_cell[cell]
            _input(data, cell, initial.value, initial.name,
                   f"The initial {initial.label} (named {initial.name}).")


def _set_up_data_printing(data, sheet: NetworkSheet, width: int) -> None:
    """The network's shape and the first samples on a page at full size; with many samples,
    the footer says how many more there are, with the initial weights and the rest below
    them on screen."""
    run = sheet.run
    scale = parts.fitting_scale(data, [get_column_letter(k) for k in range(1, width + 2)])
    fitting = parts.rows_fitting(scale, (SAMPLES_HEADER_ROW + 2) * ROW_POINTS)
    shown = min(len(run.samples), fitting)
    end = sheet.layer_tables[-1][0] + run.network.sizes[-1]
    last = end if end - SAMPLES_HEADER_ROW <= fitting else SAMPLES_HEADER_ROW + shown
    more = [f"{len(run.samples) - shown:,} more samples"] if shown < len(run.samples) else []
    more += [words for words, present in (("the test samples", run.tests),
                                          ("the standardised inputs", run.standardize),
                                          ("the initial weights", True)) if present]
    note = "" if last == end else (f"Samples 1 to {shown} of {len(run.samples):,}; "
                                   f"{', '.join(more)} on screen")
    parts.set_up_printing(data, TITLE, run_line(run), f"A1:{get_column_letter(1 + width)}{last}",
                          title_rows=None, scale=scale, note=note)
