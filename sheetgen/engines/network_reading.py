"""Read a network's workbook back: the run it describes, from the Data sheet's shape and
samples and every input's own cell, and the Training sheet's formulas and stored values."""

import zipfile
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from openpyxl.utils import get_column_letter

from sheetgen.engines.reading import (
    Cells,
    Grid,
    UnreadableSheet,
    column_a,
    input_value,
    inspect_package,
    number_at,
    read_cells,
    read_table,
    stored_rows,
    whole_number,
)
from sheetgen.engines.sheet_values import workbook_names
from sheetgen.errors import InputError
from sheetgen.inputs.layer_text import layer_sizes
from sheetgen.inputs.runs import activations_for
from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.classification import output_names
from sheetgen.maths.datasets import MAX_SAMPLES, MOST_ORDERS
from sheetgen.maths.features import FEATURES
from sheetgen.maths.fields import ATTEMPT
from sheetgen.maths.losses import LOSSES, SQUARED_ERROR
from sheetgen.maths.network import Run
from sheetgen.maths.optimizers import GRADIENT_DESCENT, OPTIMIZERS
from sheetgen.maths.penalties import PENALTIES
from sheetgen.maths.stack import ImageLayers
from sheetgen.maths.shape import Biases, Network, Sample, Weights, zero_parameters
from sheetgen.sheets.boundary import (
    BOUNDARY_SHEET_NAME,
    FEWEST_GRID,
    GRID_CELL,
    MOST_GRID,
    Picture,
)
from sheetgen.sheets.columns import SHEET_NAME
from sheetgen.sheets.gradient_check import DEFAULT_STEP, STEP_NAME
from sheetgen.sheets.network_data import (
    CLASSES_CELL,
    CLASSES_COLUMN,
    CLASSES_ROW,
    DATA_SHEET_NAME,
    FULL_BATCH,
    SAMPLES_HEADER_ROW,
    SHAPE_CELLS,
    STANDARDISED,
    order_cells,
    test_title_row,
)
from sheetgen.sheets.network_formulas import DECAY_NAME
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, NetworkSheet, describe
from sheetgen.sheets.optimizers_sheet import (
    OPTIMIZERS_SHEET_NAME,
    OptimizersSheet,
    describe_optimizers,
)
from sheetgen.sheets.pictures import PICTURES_SHEET_NAME
from sheetgen.sheets.shown import SHOW_CELL


@dataclass
class NetworkWorkbook:
    """A network's workbook as a file holds it: the run it describes, read from its own
    cells, and the Training sheet's formulas and stored values."""

    run: Run
    formulas: Cells | None
    """None where read without them."""
    values: Cells
    summary_formulas: dict[int, object] | None
    summary_values: dict[int, object]
    """Column A of the Charts sheet, by row: the summary's formulas and stored results."""
    optimizers: OptimizersSheet | None
    """The Optimizers sheet's description, with its blocks' inputs as the file holds them;
    None for plain gradient descent, which has none."""
    picture: Picture | None = None
    """What the Boundary sheet draws, as its cells say; None for a file without one."""

    @cached_property
    def sheet(self) -> NetworkSheet:
        """The Training sheet's description, for the run read (an engine's file is read for
        its values alone, which need none)."""
        return describe(self.run)


def is_network_workbook(path: Path) -> bool:
    inspect_package(path)
    return DATA_SHEET_NAME in _names(path)[0]


def _names(path: Path) -> tuple[list[str], list[str]]:
    """The sheets' names and the defined names of a workbook."""
    try:
        return workbook_names(path)
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as error:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook ({error})") from None


def read_network_workbook(path: Path, formulas: bool = True,
                          max_row: int | None = None) -> NetworkWorkbook:
    """Read a network's workbook; the shape from the Data sheet, every input from its cell.
    Without `formulas`, its stored values alone (an engine's file, whose formulas are not in
    question: reading them takes as long again). With `max_row`, the Training sheet's rows
    to that one, as if the run ended there, and no picture (an exercise's grader's read)."""
    inspect_package(path)
    sheets, defined = _names(path)
    if DATA_SHEET_NAME not in sheets:
        raise UnreadableSheet(f"{path.name} has no sheet named {DATA_SHEET_NAME!r}")
    data = Grid(list(stored_rows(path, DATA_SHEET_NAME, 0, True)))
    placeholder = _placeholder(data, defined, path)
    layout = describe(placeholder)
    weights, biases = _initial_parameters(data, layout)
    table = (SHEET_NAME, layout.columns, layout.panel.last_row, layout.letter(ATTEMPT), max_row)
    formula_cells = read_table(path, False, *table) if formulas else None
    values = read_table(path, True, *table)
    inputs = {entry.field: input_value(values.panel.get(entry.row), entry,
                                       f"{entry.label} ({entry.cell})")
              for entry in layout.panel.inputs}
    run = replace(placeholder, weights=weights, biases=biases,
                  learning_rate=inputs["learning_rate"], attempts=len(values.rows),
                  loss_threshold=inputs["loss_threshold"],
                  settings={name: inputs[name] for name in placeholder.rule.hyperparameters},
                  gradient_step=inputs.get("gradient_step"),
                  **{name: inputs.get(name) for name in (*PENALTIES, "lr_decay")},
                  lr_decay_every=inputs.get("lr_decay_every", placeholder.lr_decay_every))
    if not values.rows:
        raise UnreadableSheet(f"{path.name}: the {SHEET_NAME} sheet has no attempt rows")
    if max_row is not None:   # a grader's read: the run as far as its blanks, and no more
        return NetworkWorkbook(run, formula_cells, values, None, {}, None)
    picture = None
    if BOUNDARY_SHEET_NAME in sheets:
        picture = _picture(path, run)
    elif PICTURES_SHEET_NAME in sheets:
        picture = _pictures(path, run)
    return NetworkWorkbook(
        run, formula_cells, values, column_a(path, CHARTS_SHEET_NAME, False) if formulas
        else None, column_a(path, CHARTS_SHEET_NAME, True), _optimizers_of(path, run),
        picture)


def _placeholder(data: Grid, defined: list[str], path: Path) -> Run:
    """The run the Data sheet says the formulas are built for: its shape, samples, test
    samples and orders, with zero weights and every input at a placeholder until read."""
    network, batch, optimizer, loss, standardize, orders, tests = _shape(data, path)
    classes = _classes(data)
    network = replace(network, outputs=output_names(classes, network.sizes[-1]))
    samples = _samples(data, network, path, SAMPLES_HEADER_ROW + 1)
    # With a gradient check, H is read from its cell below, as every input is; so are the
    # penalties' λ and the rate's decay, where the workbook names their cells.
    checked = DEFAULT_STEP if STEP_NAME in defined else None
    strengths = {name: 0.0 if penalty.cell in defined else None
                 for name, penalty in PENALTIES.items()}
    decay = 1.0 if DECAY_NAME in defined else None
    try:
        placeholder = Run(network, samples, *zero_parameters(network), batch=batch,
                          optimizer=optimizer, gradient_step=checked,
                          loss=loss, standardize=standardize, classes=classes,
                          lr_decay=decay, orders=(tuple(range(1, len(samples) + 1)),) * orders,
                          **strengths)
        if tests:
            placeholder = replace(placeholder, tests=_samples(
                data, network, path, test_title_row(placeholder) + 2, tests))
        if orders:
            placeholder = replace(placeholder, orders=tuple(
                tuple(whole_number(data[cell], f"{DATA_SHEET_NAME}!{cell}") for cell in column)
                for column in order_cells(placeholder)))
    except ValueError as error:
        raise UnreadableSheet(f"{path.name}: {error}") from None
    return placeholder


def _initial_parameters(data, layout: NetworkSheet) -> tuple[Weights, Biases]:
    """The initial weights and biases, each from its cell on the Data sheet."""
    initial = {cell.parameter: number_at(data[cell.cell], f"{DATA_SHEET_NAME}!{cell.cell}")
               for cell in layout.initial_cells}
    layers = [layer.weights_and_biases(lambda key, number=number: initial[number, *key])
              for number, layer in enumerate(layout.run.network.layers, start=1)]
    return tuple(w for w, _ in layers), tuple(b for _, b in layers)


def _picture(path: Path, run: Run) -> Picture:
    """The Boundary sheet's grid, which its maps are built for, and the attempt it shows."""
    found = read_cells(path, BOUNDARY_SHEET_NAME, [SHOW_CELL, GRID_CELL])
    where = f"{BOUNDARY_SHEET_NAME}!{{}}"
    grid = whole_number(found[GRID_CELL], where.format(GRID_CELL))
    shown = whole_number(found[SHOW_CELL], where.format(SHOW_CELL))
    if not FEWEST_GRID <= grid <= MOST_GRID or not 1 <= shown <= run.attempts:
        raise UnreadableSheet(f"{path.name}: the {BOUNDARY_SHEET_NAME} sheet's grid "
                              f"({GRID_CELL}) must be {FEWEST_GRID} to {MOST_GRID} and the "
                              f"attempt it shows ({SHOW_CELL}) 1 to {run.attempts}")
    return Picture(grid, shown)


def _pictures(path: Path, run: Run) -> Picture:
    """The attempt the Pictures sheet shows (its pictures' size is the Data sheet's)."""
    found = read_cells(path, PICTURES_SHEET_NAME, [SHOW_CELL])
    shown = whole_number(found[SHOW_CELL], f"{PICTURES_SHEET_NAME}!{SHOW_CELL}")
    if not 1 <= shown <= run.attempts:
        raise UnreadableSheet(f"{path.name}: the attempt the {PICTURES_SHEET_NAME} sheet "
                              f"shows ({SHOW_CELL}) must be 1 to {run.attempts}")
    return Picture(shown=shown)


def _layers(text: str) -> tuple[int, ...] | ImageLayers:
    """The layers as the Data sheet names them (see `Network.layers_text`)."""
    try:
        return layer_sizes(text)
    except InputError:
        raise ValueError(text) from None


def _sizes(named: tuple[int, ...] | ImageLayers, image: tuple[int, int] | None
           ) -> tuple[tuple[int, ...], tuple]:
    """The layers' sizes and the image layers' records, as the Data sheet names them; a
    ValueError where image layers are named over no picture, or another one."""
    if not isinstance(named, ImageLayers):
        return named, ()
    if image != named.picture:
        raise ValueError(f"{named} over a picture of {image}")
    return named.built()


def _shape(data, path: Path) -> tuple[Network, int | None, str, str, bool, int, int]:
    """The network, the batch (None for the full batch), the optimizer, the loss, whether
    the inputs are standardised, how many epochs' orders the samples are shuffled in and how
    many test samples are held out, as the Data sheet says the formulas were built for them."""
    shape = {key: data[cell] for key, cell in SHAPE_CELLS.items()}
    try:
        named = _layers(str(shape["layers"]))
        activations = tuple(str(shape["activations"]).split(","))
        batch = None if shape["batch"] == FULL_BATCH else int(str(shape["batch"]))
        optimizer = shape["optimizer"] or GRADIENT_DESCENT.name
        loss = shape["loss"] or SQUARED_ERROR.name
        if shape["inputs"] not in (None, STANDARDISED):
            raise ValueError
        orders, tests = (_count(shape[key], most)
                         for key, most in (("orders", MOST_ORDERS), ("tests", MAX_SAMPLES)))
        features = tuple(str(shape["features"]).split(",")) if shape["features"] else ()
        image = _image(shape["image"])
        sizes, stack = _sizes(named, image)
        if any(name not in FEATURES for name in features) \
                or (features and len(features) != sizes[0]) \
                or len(activations) != len(sizes) - 1 - len(stack) + sum(
                    layer.activated for layer in stack) \
                or any(name not in ACTIVATIONS for name in activations) \
                or optimizer not in OPTIMIZERS or loss not in LOSSES:
            raise ValueError
        activations = activations_for(activations, len(sizes) - 1, stack) if stack \
            else activations
        network = Network(sizes, activations, features=features, image=image, stack=stack)
    except (ValueError, KeyError):
        raise UnreadableSheet(f"{path.name}: the {DATA_SHEET_NAME} sheet does not say the "
                              "network's layers, activations, batch and optimizer in "
                              "B2:B5, its loss in D2, its inputs in D4, its orders in D5, "
                              "its test samples in F2, its features in F4 and its picture in "
                              "F5") from None
    return network, batch, optimizer, loss, shape["inputs"] == STANDARDISED, orders, tests


def _image(value: object) -> tuple[int, int] | None:
    """The picture the inputs are, as the Data sheet says it (`image_text`): None where it
    says none."""
    if value in (None, ""):
        return None
    width, height = map(int, str(value).split("x"))
    if width < 1 or height < 1:
        raise ValueError
    return width, height


def _count(value: object, most: int) -> int:
    """A shape cell's count, 0 to `most`: empty for 0."""
    value = value or 0
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or value not in range(most + 1):
        raise ValueError
    return int(value)


def _classes(data) -> tuple[str, ...]:
    """The classes' names the Data sheet lists, right of "Classes"; none for numeric targets."""
    if data[CLASSES_CELL] != "Classes":
        return ()
    row, column = CLASSES_ROW, CLASSES_COLUMN
    names = []
    while (name := data.at(row, column + 1 + len(names))) not in (None, ""):
        names.append(str(name))
    return tuple(names)


def _samples(data, network: Network, path: Path, row: int,
             count: int | None = None) -> tuple[Sample, ...]:
    """The samples on the Data sheet from `row`: one a row, numbered in column A, as many
    as are numbered, or `count` (the test samples the formulas were built for)."""
    samples, first, width = [], row, network.typed_inputs
    while data[f"A{row}"] == len(samples) + 1 and len(samples) != count:
        cells = [number_at(data[f"{get_column_letter(2 + c)}{row}"],
                         f"{DATA_SHEET_NAME}!{get_column_letter(2 + c)}{row}")
                 for c in range(width + network.sizes[-1])]
        samples.append(Sample(tuple(cells[:width]), tuple(cells[width:])))
        row += 1
    if not samples or len(samples) != (count or len(samples)):
        found = len(samples) or "no"
        raise UnreadableSheet(f"{path.name}: the {DATA_SHEET_NAME} sheet has {found} "
                              f"sample{'' if found == 1 else 's'} from A{first}"
                              + (f", and the formulas are built for {count}" if count else ""))
    return tuple(samples)


def _optimizers_of(path: Path, run: Run) -> OptimizersSheet | None:
    """The Optimizers sheet's description, with the blocks' inputs read from its column A."""
    if run.rule is GRADIENT_DESCENT:
        return None
    cells = column_a(path, OPTIMIZERS_SHEET_NAME, True)
    return describe_optimizers(run, {
        entry.field: input_value(cells.get(entry.row), entry,
                                 f"{OPTIMIZERS_SHEET_NAME}!{entry.cell}")
        for entry in describe_optimizers(run).panel.inputs})


def read_optimizers_sheet(path: Path, optimizers: OptimizersSheet, data_only: bool) -> Cells:
    """The Optimizers sheet's rows (every block's cells, by letter) and column A."""
    return read_table(path, data_only, OPTIMIZERS_SHEET_NAME, optimizers.columns,
                 optimizers.panel.last_row, optimizers.blocks[0].sheet.letter(ATTEMPT))
