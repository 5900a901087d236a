"""Where the Boundary sheet keeps what it draws, for a network whose samples are points of the
plane: the TensorFlow Playground's picture, live at any attempt.

A named cell, SHOW_ATTEMPT, picks an attempt; a table reads that attempt's weights and biases
from the Training sheet. A grid of G×G points over the data's range runs them forward: a small
map per hidden neuron, laid out layer by layer, and a large map of what the network says,
each cell a formula coloured by a scale, its value hidden. Beside the large map a chart draws
the samples on the same axes, by class, and marks those on the wrong side; below, a table of
the samples' verdicts at that attempt, and the grid's coordinates.

The band of maps has rows and columns of its own size (small squares); the text around it
stands in the wide columns to its left and in the rows above and below it.
"""

import math
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.classification import threshold
from sheetgen.maths.network import Run
from sheetgen.maths.shape import Parameter

BOUNDARY_SHEET_NAME = "Boundary"
SHOW_NAME = "SHOW_ATTEMPT"
SHOW_CELL, GRID_CELL = "B3", "B4"
"""The attempt shown, an input; the grid's size, which the maps are built for."""
DEFAULT_GRID, FEWEST_GRID, MOST_GRID = 30, 2, 100
"""--grid G: the grid's points across and up."""
FIRST_TABLE_ROW = 7
"""The first parameter table's title row, below the title, the attempt, its hint and the
legend."""
ANSWER_CELLS = 60
"""About how many small cells the large map spans each way: each grid point a block of
ANSWER_CELLS // G of them (at most 3, at least 1)."""


class Picture(NamedTuple):
    """What the Boundary sheet draws: a grid of `grid` points each way, at attempt `shown`
    (None: the last)."""

    grid: int = DEFAULT_GRID
    shown: int | None = None


def cell_name(row: int, column: int) -> str:
    """The name of the cell at a row and column: (12, 2) → B12."""
    return f"{get_column_letter(column)}{row}"


@dataclass(frozen=True)
class Map:
    """A G×G block of the band: one neuron's value at every grid point, or the answer."""

    title: str
    layer: int
    neuron: int | None
    """None for the answer map: the single output, or the class the outputs pick."""
    top: int
    left: int
    """The row and column of its top-left cell."""
    block: int = 1
    """How many cells each way a grid point takes: 1 in the small maps."""

    def place(self, r: int, c: int) -> tuple[int, int]:
        """The row and column of the (top-left) cell of grid row r (from the top) and column c
        (from the left)."""
        return self.top + r * self.block, self.left + c * self.block

    def places(self, grid: int) -> list[list[tuple[int, int]]]:
        """The place of every grid point's (top-left) cell, by grid row and column."""
        return [[self.place(r, c) for c in range(grid)] for r in range(grid)]

    def cell(self, r: int, c: int) -> str:
        """The name of the (top-left) cell of grid row r and column c."""
        return cell_name(*self.place(r, c))

    def cells(self, grid: int) -> list[list[str]]:
        """The name of every grid point's (top-left) cell, by grid row and column."""
        return [[cell_name(*place) for place in line] for line in self.places(grid)]

    def point_span(self, r: int, c: int) -> str:
        """The block of cells grid point (r, c) takes, merged where it is more than one."""
        top, left = self.place(r, c)
        return f"{cell_name(top, left)}:{cell_name(top + self.block - 1, left + self.block - 1)}"

    def span(self, grid: int) -> str:
        last = grid * self.block - 1
        return f"{cell_name(self.top, self.left)}:{cell_name(self.top + last, self.left + last)}"


@dataclass(frozen=True)
class Scale:
    """The colour scale of a map: orange at `low`, pale at `middle`, blue at `high`."""

    low: float
    middle: float
    high: float


HIDDEN_SCALE = Scale(-1.0, 0.0, 1.0)
"""Every hidden neuron's map, as the Playground colours them: orange below 0, blue above."""


@dataclass(frozen=True)
class Boundary:
    run: Run
    grid: int
    shown: int
    """The attempt SHOW_ATTEMPT starts at."""
    ranges: tuple[tuple[float, float], tuple[float, float]]
    """The grid's (lowest, highest) x1 and x2."""
    parameter_places: dict[Parameter, tuple[int, int]]
    """The row and column of each weight's and bias's cell in the tables."""
    parameter_rows: tuple[tuple[int, int], ...]
    """(title row, first neuron's row) of each layer's table of parameters."""
    maps: tuple[Map, ...]
    """The small maps, layer by layer, then the answer."""
    band_title_row: int
    band_end: int
    points_title_row: int
    grid_title_row: int
    text_width: int
    """How many wide columns the text takes, from A."""
    map_column: int
    """The first small column: the band's, and the points' forward passes'."""

    @property
    def network(self):
        return self.run.network

    def parameter_cell(self, parameter: Parameter) -> str:
        """The absolute reference of a weight's or bias's cell, which every map reads."""
        row, column = self.parameter_places[parameter]
        return f"${get_column_letter(column)}${row}"

    @property
    def answer(self) -> Map:
        return self.maps[-1]

    @property
    def off_axis(self) -> float:
        """Where the chart's helper columns put a point that is not in a series: a whole
        range right of the x1 axis, where no engine draws it (the sheet holds no error value
        to leave it out by; and Gnumeric's drawing stumbles over points much further out)."""
        low, high = self.ranges[0]
        return 2 * high - low

    @property
    def x1s(self) -> tuple[float, ...]:
        """The grid's x1 of each column, left to right."""
        low, high = self.ranges[0]
        return tuple(low + (high - low) * k / (self.grid - 1) for k in range(self.grid))

    @property
    def x2s(self) -> tuple[float, ...]:
        """The grid's x2 of each row, top to bottom: the plane's way up."""
        low, high = self.ranges[1]
        return tuple(high - (high - low) * k / (self.grid - 1) for k in range(self.grid))

    @property
    def points(self) -> tuple[tuple[bool, int], ...]:
        """(held out, number from 1) of each row of the points' table: the training
        samples, then the test samples."""
        return tuple((False, s) for s in range(1, len(self.run.samples) + 1)) + tuple(
            (True, s) for s in range(1, len(self.run.tests) + 1))

    def point_row(self, index: int) -> int:
        """The row of the points' table's `index`-th point, from 0."""
        return self.points_title_row + 2 + index

    @property
    def coordinate_row(self) -> int:
        """The row between the band's titles and its maps that gives the first layer's maps
        each column's x1, so that every cell of a map has the same formula relative to it
        (a shared formula, as Excel writes one filled across)."""
        return self.band_title_row + 1

    @property
    def coordinate_column(self) -> int:
        """The column left of the band that gives the first layer's maps each row's x2."""
        return self.map_column - 1

    @property
    def grid_rows(self) -> range:
        """The rows of the grid's table, one per grid point across (and up)."""
        return range(self.grid_title_row + 2, self.grid_title_row + 2 + self.grid)

    @cached_property
    def scale(self) -> Scale:
        """The answer's colours: where the outputs pick a class among several, the class
        numbers; for classes, from a class's absence to its presence, the threshold between;
        for numbers, from the lowest target to the highest, halfway between."""
        net = self.network
        if self.many_outputs:
            return Scale(1.0, (1 + net.sizes[-1]) / 2, float(net.sizes[-1]))
        if self.run.classes:
            return Scale(ACTIVATIONS[net.activations[-1]].low, threshold(net), 1.0)
        targets = [sample.targets[0] for sample in self.run.samples + self.run.tests]
        low, high = min(targets), max(targets)
        return Scale(low, (low + high) / 2, high)

    @property
    def middle(self) -> float:
        """Where a single output's verdict turns: the classes' threshold, or halfway between
        the targets."""
        return threshold(self.network) if self.run.classes else self.scale.middle

    @property
    def many_outputs(self) -> bool:
        """Whether the answer map is the class picked among several outputs, each of which
        has a small map of its own."""
        return self.network.sizes[-1] > 1

    @property
    def groups(self) -> tuple[str, ...]:
        """The chart's series of samples: one per class (two, below and at or above the
        threshold, where the targets are numbers)."""
        if self.run.classes:
            return self.run.classes
        return (f"target below {self.scale.middle:g}", f"target {self.scale.middle:g} or more")

    @property
    def helper_columns(self) -> tuple[int, ...]:
        """The columns, after the verdicts', of each group's x1 and of the wrong ones' x1,
        for the chart."""
        return tuple(range(7, 7 + len(self.groups) + 1))


def has_boundary(run: Run) -> bool:
    """Whether the run's samples are points of the plane, which a Boundary sheet draws: two
    coordinates, and classes or a single output (numbers for several outputs have no one
    picture)."""
    return run.network.typed_inputs == 2 and (bool(run.classes) or run.network.sizes[-1] == 1)


def data_ranges(run: Run) -> tuple[tuple[float, float], tuple[float, float]]:
    """The grid's range on each axis: the samples' (training and test), widened to whole
    numbers and one more each way, so that no point sits on the edge."""
    points = [sample.inputs for sample in run.samples + run.tests]
    return tuple((math.floor(min(column)) - 1.0, math.ceil(max(column)) + 1.0)
                 for column in zip(*points))


def describe_boundary(run: Run, picture: Picture = Picture()) -> Boundary:
    """Where everything of the run's Boundary sheet stands, for its picture's grid and
    attempt."""
    net, (grid, shown) = run.network, picture
    text_width = max([1 + size + 1 for size in net.sizes[:-1]] + [7 + len(run.classes or (0, 0))])
    places, rows, row = {}, [], FIRST_TABLE_ROW
    for layer in range(1, len(net.sizes)):
        rows.append((row, row + 1))
        for j in range(net.sizes[layer]):
            for i in (*range(net.sizes[layer - 1]), None):
                column = 2 + (net.sizes[layer - 1] if i is None else i)
                places[Parameter(layer, j, i)] = (row + 1 + j, column)
        row += net.sizes[layer] + 2
    band_title_row, map_column = row, text_width + 2
    maps = _maps(run, grid, band_title_row + 2, map_column)
    band_end = max(m.top + grid * m.block for m in maps)
    points_title_row = band_end + 2
    grid_title_row = points_title_row + 2 + len(run.samples) + len(run.tests) + 1
    return Boundary(run, grid, run.attempts if shown is None else shown, data_ranges(run),
                    places, tuple(rows), maps, band_title_row, band_end, points_title_row,
                    grid_title_row, text_width, map_column)


def _maps(run: Run, grid: int, top: int, left: int) -> tuple[Map, ...]:
    """A column of small maps per hidden layer (and per output layer of several outputs),
    each map a label column then G columns, the maps a row apart; then the answer map."""
    net, maps = run.network, []
    layers = range(1, net.last + (net.sizes[-1] > 1))
    for layer in layers:
        for j in range(net.sizes[layer]):
            maps.append(Map(net.neuron(layer, j), layer, j, top + j * (grid + 1), left + 1))
        left += 1 + grid + 1
    block = max(1, min(3, ANSWER_CELLS // grid))
    title = ("the class the network picks" if net.sizes[-1] > 1
             else f"what the network says ({net.neuron(net.last, 0)})")
    maps.append(Map(title, net.last, None, top, left + 1, block))
    return tuple(maps)

