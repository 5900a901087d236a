"""Read a training sheet back: its formulas, its stored values, and the parameters in it."""

import re
import warnings
import zipfile
from collections.abc import Iterator
from itertools import islice
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException

from sheetgen.engines.sheet_values import UnexpectedLayout, sheet_values, workbook_names
from sheetgen.maths.datasets import LIMIT, MAX_SAMPLES, MOST_ORDERS
from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.features import FEATURES
from sheetgen.maths.classification import output_names
from sheetgen.maths.losses import LOSSES, SQUARED_ERROR
from sheetgen.maths.fields import ATTEMPT
from sheetgen.maths.network import Run
from sheetgen.maths.shape import Biases, Network, Sample, Weights, zero_parameters
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.optimizers import GRADIENT_DESCENT, OPTIMIZERS
from sheetgen.maths.penalties import PENALTIES
from sheetgen.sheets import panel
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, SHEET_NAME, Column, letter_of
from sheetgen.sheets.boundary import (
    BOUNDARY_SHEET_NAME,
    FEWEST_GRID,
    GRID_CELL,
    MOST_GRID,
    Picture,
)
from sheetgen.sheets.gradient_check import DEFAULT_STEP, STEP_NAME
from sheetgen.sheets.network_formulas import DECAY_NAME
from sheetgen.sheets.network_data import (
    DATA_SHEET_NAME,
    FULL_BATCH,
    order_cells,
    SAMPLES_HEADER_ROW,
    CLASSES_CELL,
    SHAPE_CELLS,
    STANDARDISED,
    test_title_row,
)
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, NetworkSheet, describe
from sheetgen.sheets.pictures import IMAGE_CELL, PICTURES_SHEET_NAME
from sheetgen.sheets.shown import SHOW_CELL
from sheetgen.sheets.optimizers_sheet import (
    OPTIMIZERS_SHEET_NAME,
    OptimizersSheet,
    describe_optimizers,
)

MAX_FILE_BYTES = 512 * 2**20
"""The largest file read; a sheetgen workbook at the row limit is about 120 MB."""
MAX_UNPACKED_BYTES = 4 * 2**30
"""The most all parts may unpack to; a sheetgen workbook at the row limit unpacks to ~1.1 GB."""
MAX_RATIO = 600
"""Spreadsheet XML deflates by 5 to 20 times, a sheet's repetitive styles by a few hundred
(Gnumeric's for the iris preset's 5,000 columns, 205 times); a part packed tighter than this is
a zip bomb (deflate's limit is about 1,000 to 1)."""


class UnreadableSheet(Exception):
    """The file is not a training workbook sheetgen can read; the message says why."""


def inspect_package(path: Path) -> None:
    """Refuse, before parsing anything, a file that is not a plain .xlsx of a sane size.

    Nothing in the file is run: a workbook with macros is refused outright, and the sizes
    the zip declares bound what will be unpacked (Python's zip reader stops there).
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableSheet(f"{path.name} is {size / 2**20:,.0f} MB; sheetgen reads "
                              f"workbooks up to {MAX_FILE_BYTES // 2**20} MB")
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook ({error})") from None
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook "
                              "(it has no xl/workbook.xml)")
    if any("vbaproject" in name.lower() for name in names):
        raise UnreadableSheet(f"{path.name} contains macros; sheetgen does not open "
                              "macro-enabled workbooks")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableSheet(f"{path.name} would unpack to {unpacked / 2**30:,.1f} GB, more "
                              f"than the {MAX_UNPACKED_BYTES // 2**30} GB sheetgen allows")
    for part in parts:
        if part.file_size > 2**20 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise UnreadableSheet(f"{path.name}: {part.filename} is packed "
                                  f"{part.file_size // max(part.compress_size, 1):,} to 1, "
                                  "as no spreadsheet program packs it (a zip bomb?)")


@dataclass
class Cells:
    """One pass over a sheet: column A's cells by row, and each attempt row's table cells."""

    panel: dict[int, object]
    rows: list[dict[str, object]]


@dataclass
class TrainingSheet:
    """A Training sheet as a file holds it: formulas in one pass, stored values in the other."""

    formulas: Cells
    values: Cells

    @property
    def attempts(self) -> int:
        return len(self.values.rows)

    def parameters(self) -> Parameters:
        """The run the sheet describes, from its input cells; refuses cells that are not numbers."""
        found = {}
        for entry in panel.INPUTS:
            value = self.values.panel.get(entry.row)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise UnreadableSheet(f"the {entry.label.lower()} ({entry.cell}) is {value!r}, "
                                      "not a number")
            if not entry.low <= value <= entry.high:
                raise UnreadableSheet(f"the {entry.label.lower()} ({entry.cell}) is {value!r}, "
                                      f"outside {entry.low:g} to {entry.high:g}")
            found[entry.field] = float(value)
        return Parameters(attempts=self.attempts, **found)


def read_training_sheet(path: Path, max_row: int | None = None) -> TrainingSheet:
    """Read the formulas and the stored results of the Training sheet of an .xlsx file (to
    row `max_row`, where given: an exercise's grader reads no further than its blanks)."""
    inspect_package(path)
    sheet = TrainingSheet(_read(path, data_only=False, max_row=max_row),
                          _read(path, data_only=True, max_row=max_row))
    if not sheet.values.rows:
        raise UnreadableSheet(f"{path.name}: the {SHEET_NAME} sheet has no attempt rows")
    return sheet


def read_sheet_rows(path: Path, sheet_name: str, columns: tuple[Column, ...],
                    data_only: bool) -> list[dict[str, object]]:
    """The attempt rows of any sheet laid out like Training (the Sweep sheet is)."""
    inspect_package(path)
    return _read(path, data_only, sheet_name, columns).rows


def _open(path: Path, data_only: bool):
    try:
        with warnings.catch_warnings():
            # Gnumeric's files have no default cell style, which openpyxl remarks upon.
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise UnreadableSheet(f"{path.name} is not a readable .xlsx workbook ({error})") from None


def _rows(path: Path, sheet_name: str, max_col: int, data_only: bool,
          max_row: int | None = None) -> Iterator[tuple]:
    """Each row of a sheet from row 1 (to `max_row`, where given), its first `max_col`
    cells: the stored values straight from the XML (`sheet_values`), the formulas through
    openpyxl, which reads Excel's shared ones as each cell's own. A sheet the fast reader
    does not take, openpyxl reads whole."""
    if data_only:
        try:
            yield from list(sheet_values(path, sheet_name, max_col, max_row))
            return
        except KeyError:
            raise UnreadableSheet(f"{path.name} has no sheet named {sheet_name!r}") from None
        except (UnexpectedLayout, zipfile.BadZipFile, IndexError, ValueError):
            pass  # openpyxl below reads it, or says why it cannot
    workbook = _open(path, data_only)
    try:
        if sheet_name not in workbook.sheetnames:
            raise UnreadableSheet(f"{path.name} has no sheet named {sheet_name!r}")
        yield from workbook[sheet_name].iter_rows(max_col=max_col or None, max_row=max_row,
                                                  values_only=True)
    finally:
        workbook.close()


def _read(path: Path, data_only: bool, sheet_name: str = SHEET_NAME,
          columns: tuple[Column, ...] = COLUMNS, last_panel_row: int = panel.LAST_PANEL_ROW,
          attempt_letter: str | None = None, max_row: int | None = None) -> Cells:
    positions = {col.letter: column_index_from_string(col.letter) - 1 for col in columns}
    attempt_position = positions[attempt_letter or letter_of("number", columns)]
    cells = Cells({}, [])
    rows = _rows(path, sheet_name, max(positions.values()) + 1, data_only, max_row)
    for number, row in enumerate(rows, start=1):
        if number <= last_panel_row:
            cells.panel[number] = row[0]
        if number < FIRST_ROW:
            continue
        if row[attempt_position] is None:
            if number > last_panel_row:
                break
            continue
        cells.rows.append({letter: row[position] for letter, position in positions.items()})
    rows.close()
    return cells


class Grid:
    """A small sheet's stored values, read once, by address (openpyxl's read-only sheets read
    the whole sheet again for every cell asked for)."""

    def __init__(self, rows: list[tuple]):
        self.rows = rows

    def __getitem__(self, address: str) -> object:
        return self.at(*coordinate_to_tuple(address))

    def at(self, row: int, column: int) -> object:
        if row > len(self.rows) or column > len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][column - 1]


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
    data = Grid(list(_rows(path, DATA_SHEET_NAME, 0, True)))
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
        placeholder = Run(network, samples, *zero_parameters(network.sizes), batch=batch,
                          optimizer=optimizer, gradient_step=checked,
                          loss=loss, standardize=standardize, classes=classes,
                          lr_decay=decay, orders=(tuple(range(1, len(samples) + 1)),) * orders,
                          **strengths)
        if tests:
            placeholder = replace(placeholder, tests=_samples(
                data, network, path, test_title_row(placeholder) + 2, tests))
        if orders:
            placeholder = replace(placeholder, orders=tuple(
                tuple(_whole(data[cell], f"{DATA_SHEET_NAME}!{cell}") for cell in column)
                for column in order_cells(placeholder)))
    except ValueError as error:
        raise UnreadableSheet(f"{path.name}: {error}") from None
    layout = describe(placeholder)
    weights, biases = _initial_parameters(data, layout)
    columns = layout.columns
    formula_cells = _read(path, False, SHEET_NAME, columns, layout.panel.last_row,
                          layout.letter(ATTEMPT), max_row) if formulas else None
    values = _read(path, True, SHEET_NAME, columns, layout.panel.last_row,
                   layout.letter(ATTEMPT), max_row)
    inputs = {entry.field: _input(values.panel.get(entry.row), entry,
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
        run, picture = _pictures(path, run)
    return NetworkWorkbook(
        run, formula_cells, values, _column_a(path, CHARTS_SHEET_NAME, False) if formulas
        else None, _column_a(path, CHARTS_SHEET_NAME, True), _optimizers_of(path, run),
        picture)


def _initial_parameters(data, layout: NetworkSheet) -> tuple[Weights, Biases]:
    """The initial weights and biases, each from its cell on the Data sheet."""
    initial = {cell.parameter: _number(data[cell.cell], f"{DATA_SHEET_NAME}!{cell.cell}")
               for cell in layout.initial_cells}
    sizes = layout.run.network.sizes
    weights = tuple(tuple(tuple(initial[layer, j, i] for i in range(sizes[layer - 1]))
                          for j in range(sizes[layer]))
                    for layer in range(1, len(sizes)))
    biases = tuple(tuple(initial[layer, j, None] for j in range(sizes[layer]))
                   for layer in range(1, len(sizes)))
    return weights, biases


def _picture(path: Path, run: Run) -> Picture:
    """The Boundary sheet's grid, which its maps are built for, and the attempt it shows."""
    found = read_cells(path, BOUNDARY_SHEET_NAME, [SHOW_CELL, GRID_CELL])
    where = f"{BOUNDARY_SHEET_NAME}!{{}}"
    grid = _whole(found[GRID_CELL], where.format(GRID_CELL))
    shown = _whole(found[SHOW_CELL], where.format(SHOW_CELL))
    if not FEWEST_GRID <= grid <= MOST_GRID or not 1 <= shown <= run.attempts:
        raise UnreadableSheet(f"{path.name}: the {BOUNDARY_SHEET_NAME} sheet's grid "
                              f"({GRID_CELL}) must be {FEWEST_GRID} to {MOST_GRID} and the "
                              f"attempt it shows ({SHOW_CELL}) 1 to {run.attempts}")
    return Picture(grid, shown)


def _pictures(path: Path, run: Run) -> tuple[Run, Picture]:
    """The run with the pictures' size that the Pictures sheet's formulas are built for, and
    the attempt it shows."""
    found = read_cells(path, PICTURES_SHEET_NAME, [SHOW_CELL, IMAGE_CELL])
    shown = _whole(found[SHOW_CELL], f"{PICTURES_SHEET_NAME}!{SHOW_CELL}")
    size = re.fullmatch(r"([0-9]+)×([0-9]+)", str(found[IMAGE_CELL]))
    try:
        if size is None:
            raise ValueError(f"{PICTURES_SHEET_NAME}!{IMAGE_CELL} must say the pictures' "
                             f"size, W×H, not {found[IMAGE_CELL]!r}")
        run = replace(run, network=replace(run.network, image=(int(size[1]), int(size[2]))))
    except ValueError as error:
        raise UnreadableSheet(f"{path.name}: {error}") from None
    if not 1 <= shown <= run.attempts:
        raise UnreadableSheet(f"{path.name}: the attempt the {PICTURES_SHEET_NAME} sheet "
                              f"shows ({SHOW_CELL}) must be 1 to {run.attempts}")
    return run, Picture(shown=shown)


def _shape(data, path: Path) -> tuple[Network, int | None, str, str, bool, int, int]:
    """The network, the batch (None for the full batch), the optimizer, the loss, whether
    the inputs are standardised, how many epochs' orders the samples are shuffled in and how
    many test samples are held out, as the Data sheet says the formulas were built for them."""
    shape = {key: data[cell] for key, cell in SHAPE_CELLS.items()}
    try:
        sizes = tuple(int(size) for size in str(shape["layers"]).split(","))
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
        if any(name not in FEATURES for name in features) \
                or (features and len(features) != sizes[0]) \
                or len(activations) != len(sizes) - 1 \
                or any(name not in ACTIVATIONS for name in activations) \
                or optimizer not in OPTIMIZERS or loss not in LOSSES:
            raise ValueError
        network = Network(sizes, activations, features=features, image=image)
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
    row, column = coordinate_to_tuple(CLASSES_CELL)
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
        cells = [_number(data[f"{get_column_letter(2 + c)}{row}"],
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
    cells = _column_a(path, OPTIMIZERS_SHEET_NAME, True)
    return describe_optimizers(run, {
        entry.field: _input(cells.get(entry.row), entry, f"{OPTIMIZERS_SHEET_NAME}!{entry.cell}")
        for entry in describe_optimizers(run).panel.inputs})


def read_optimizers_sheet(path: Path, optimizers: OptimizersSheet, data_only: bool) -> Cells:
    """The Optimizers sheet's rows (every block's cells, by letter) and column A."""
    return _read(path, data_only, OPTIMIZERS_SHEET_NAME, optimizers.columns,
                 optimizers.panel.last_row, optimizers.blocks[0].sheet.letter(ATTEMPT))


def _column_a(path: Path, sheet_name: str, data_only: bool) -> dict[int, object]:
    """The cells of column A of a small sheet, by row."""
    return {number: row[0]
            for number, row in enumerate(_rows(path, sheet_name, 1, data_only), start=1)}


def read_cells(path: Path, sheet_name: str, cells: list[str]) -> dict[str, object]:
    """The stored values of some cells of a sheet, by address."""
    places = {cell: coordinate_to_tuple(cell) for cell in cells}
    last_row, width = max(row for row, _ in places.values()), max(c for _, c in places.values())
    rows = list(islice(_rows(path, sheet_name, width, True), last_row))
    rows += [(None,) * width] * (last_row - len(rows))
    return {cell: rows[row - 1][column - 1] for cell, (row, column) in places.items()}


def _input(value: object, entry: panel.Input, where: str) -> float:
    """A named input's number, within what its cell's validation allows."""
    number = _number(value, where)
    if not entry.low <= number <= entry.high:
        raise UnreadableSheet(f"{where} is {number!r}, outside what the cell allows "
                              f"({entry.low:g} to {entry.high:g})")
    return number


def _whole(value: object, where: str) -> int:
    number = _number(value, where)
    if not number.is_integer():
        raise UnreadableSheet(f"{where} is {value!r}, not a whole number")
    return int(number)


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnreadableSheet(f"{where} is {value!r}, not a number")
    if not -LIMIT <= value <= LIMIT:
        raise UnreadableSheet(f"{where} is {value!r}, outside ±{LIMIT:,.0f}")
    return float(value)
