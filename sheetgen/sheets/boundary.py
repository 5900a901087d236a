"""Where the Boundary sheet keeps what it draws, for a network whose samples are points of the
plane: the TensorFlow Playground's picture, live at any attempt, on one printed page.

A named cell, SHOW_ATTEMPT, picks an attempt. The band below the title is the network drawn as
the Playground draws it: the inputs as boxes, every hidden neuron as a small map of its output
over a grid of G×G points, the answer as a large map, and between the layers a line of cells
for each link, coloured by its weight at that attempt (see `boundary_diagram`). A chart laid
exactly over the answer map draws the samples at their coordinates, with the map's axes. The
tables the band reads (the attempt's weights and biases, each sample's verdict, the grid's
coordinates) stand right of and below the band, outside the printed page.

The band has rows and columns of its own size (small squares); the text above it stands in
rows of its own.
"""

import math
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.classification import threshold
from sheetgen.maths.features import PLAIN
from sheetgen.maths.network import Run
from sheetgen.maths.shape import Parameter
from sheetgen.sheets.shown import Drawn, cell_name, parameter_table

BOUNDARY_SHEET_NAME = "Boundary"
GRID_CELL = "B4"
"""The grid's size, which the maps are built for (below the shown attempt's cell,
`shown.SHOW_CELL`)."""
DEFAULT_GRID, FEWEST_GRID, MOST_GRID = 30, 2, 100
"""--grid G: the grid's points across and up."""
BAND_TITLE_ROW = 8
"""The row of the layers' titles, below the title, the attempt, the grid and the legend; the
band's small rows follow it."""
SMALL_POINTS = 5.25
"""A small cell's side in points, where the band's tallest column of maps fits BAND_POINTS."""
BAND_POINTS = 720.0
"""The band's most height in points: with the rows above it, the page prints the sheet's
12-point text at about 60%, type of about 7 points. A taller column of maps (the spiral's six)
takes smaller cells instead."""
LABEL_POINTS, INPUT_POINTS, LINK_POINTS = 17.0, 42.0, 75.0
"""Above each small map, the room for its neuron's name; the height of an input's box (less
for a small grid); the room between two layers, which their links cross."""
ANSWER_POINTS, POINT_POINTS = 560.0, 21.0
"""About the answer map's side, and the most a grid point's block of it takes."""
NODE_COLUMNS = (1, 2)
"""The inputs' boxes: columns A and B, merged, left of the band."""


class Margins(NamedTuple):
    """Small cells around the answer map that the chart over it takes for its axes."""

    top: int
    left: int
    bottom: int
    right: int


AXIS_POINTS = (10.5, 52.5, 42.0, 15.75)
"""The room round the answer map for the chart's tick values, in points."""


class Sizes(NamedTuple):
    """The band's small cells and how many of them each part takes."""

    cell: float
    """A small row's height, and a small column's width, in points."""
    label_rows: int
    input_rows: int
    link_cells: int
    block: int
    """How many cells each way a grid point of the answer map takes."""
    margins: Margins


def band_sizes(run: Run, grid: int) -> Sizes:
    """SMALL_POINTS cells, or smaller ones (to the hundredth of a point) where the tallest
    column of maps, each with its name above it, would not fit BAND_POINTS; each part as many
    cells as its points take."""
    net = run.network
    stacked = max(net.sizes[:net.last + (net.sizes[-1] > 1)])
    cell = min(SMALL_POINTS, math.floor((BAND_POINTS / stacked - LABEL_POINTS) / grid * 100) / 100)

    def cells(points: float) -> int:
        return math.ceil(round(points / cell, 6))
    block = max(1, min(math.floor(round(POINT_POINTS / cell, 6)),
                       math.floor(round(ANSWER_POINTS / (grid * cell), 6))))
    return Sizes(cell, cells(LABEL_POINTS), min(grid, cells(INPUT_POINTS)), cells(LINK_POINTS),
                 block, Margins(*map(cells, AXIS_POINTS)))


POINT_HEADERS = ("sample", "x1", "x2", "class", "says", "right")
"""The points' table's columns, from its first, `table_column`."""


class Picture(NamedTuple):
    """What the Boundary sheet draws: a grid of `grid` points each way, at attempt `shown`
    (None: the last)."""

    grid: int = DEFAULT_GRID
    shown: int | None = None


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
class Boundary(Drawn):
    run: Run
    grid: int
    shown: int
    """The attempt SHOW_ATTEMPT starts at."""
    ranges: tuple[tuple[float, float], tuple[float, float]]
    """The grid's (lowest, highest) x1 and x2."""
    maps: tuple[Map, ...]
    """The small maps, layer by layer, then the answer."""
    inputs: tuple[tuple[int, int], ...]
    """The (top row, rows) of each input's box, in NODE_COLUMNS."""
    band_end: int
    """The band's last row: below it, the line saying where the tables are."""
    band_right: int
    """The band's last column: the printed page's."""
    sizes: Sizes
    parameter_places: dict[Parameter, tuple[int, int]]
    """The row and column of each weight's and bias's cell in the tables."""
    parameter_rows: tuple[tuple[int, int], ...]
    """(title row, first neuron's row) of each layer's table of parameters."""
    points_title_row: int
    grid_title_row: int
    band_title_row: int = BAND_TITLE_ROW
    map_column: int = 4
    """The band's first column: the first links'."""

    @property
    def band_top(self) -> int:
        """The first row of the maps, the boxes and the links (the coordinates' row is above
        it)."""
        return self.band_title_row + 2

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

    def point_column(self, header: str) -> int:
        """The column of one of the points' table's POINT_HEADERS."""
        return self.table_column + POINT_HEADERS.index(header)

    def point_letter(self, header: str) -> str:
        return get_column_letter(self.point_column(header))

    @property
    def grid_letters(self) -> tuple[str, str]:
        """The columns of the grid's table's x1 and x2 (its first column numbers the points)."""
        return tuple(get_column_letter(self.table_column + k) for k in (1, 2))

    @property
    def features(self) -> tuple[str, ...]:
        """The names of the network's inputs, as its boxes show them: their features, or the
        point's coordinates with the data's names for them."""
        net = self.network
        return net.features or tuple(net.typed_input(c) for c in range(len(PLAIN)))

    @property
    def neuron_count(self) -> int:
        return sum(self.network.sizes[1:])

    @property
    def helper_columns(self) -> tuple[int, ...]:
        """The hidden columns, right of every table, of each group's x1 and of the wrong
        ones' x1, for the chart."""
        widest = max([len(POINT_HEADERS) + self.neuron_count]
                     + [size + 2 for size in self.network.sizes[:-1]])
        first = self.table_column + widest + 1
        return tuple(range(first, first + len(self.groups) + 1))

    @property
    def chart_frame(self) -> Margins:
        """The first and last rows and columns of the chart over the answer map: the map and
        its margins round it, all small cells, so that the chart's plot area is the map."""
        answer, side = self.answer, self.grid * self.answer.block
        top, left, bottom, right = self.sizes.margins
        return Margins(answer.top - top, answer.left - left, answer.top + side - 1 + bottom,
                       answer.left + side - 1 + right)


def has_boundary(run: Run) -> bool:
    """Whether the run's samples are points of the plane, which a Boundary sheet draws: two
    coordinates, and classes or a single output (numbers for several outputs have no one
    picture); not pictures, which image layers take."""
    return run.network.typed_inputs == 2 and not run.network.stack and (
        bool(run.classes) or run.network.sizes[-1] == 1)


def data_ranges(run: Run) -> tuple[tuple[float, float], tuple[float, float]]:
    """The grid's range on each axis: the samples' (training and test), widened to whole
    numbers and one more each way, so that no point sits on the edge."""
    points = [sample.inputs for sample in run.samples + run.tests]
    return tuple((math.floor(min(column)) - 1.0, math.ceil(max(column)) + 1.0)
                 for column in zip(*points))


def describe_boundary(run: Run, picture: Picture = Picture()) -> Boundary:
    """Where everything of the run's Boundary sheet stands, for its picture's grid and
    attempt: the band (see `_band`), then the tables right of it and below it."""
    grid, shown = picture
    sizes = band_sizes(run, grid)
    maps, inputs, band_end = _band(run, grid, sizes)
    band_right = max(m.left + grid * m.block - 1 for m in maps) + sizes.margins.right
    places, rows, row = parameter_table(run.network, band_end + 3, band_right + 2)
    grid_title_row = row + 2 + len(run.samples) + len(run.tests) + 1
    return Boundary(run, grid, run.attempts if shown is None else shown, data_ranges(run),
                    maps, inputs, band_end, band_right, sizes, places, tuple(rows), row,
                    grid_title_row)


def _band(run: Run, grid: int, sizes: Sizes
          ) -> tuple[tuple[Map, ...], tuple[tuple[int, int], ...], int]:
    """The maps, the inputs' boxes and the band's last row. The layers stand side by side,
    `link_cells` apart, each centred on the band's height: the inputs, a column of small maps
    per hidden layer (and per output layer of several outputs), each below its name; then
    the answer, with the chart's margins round it."""
    net, top, margins = run.network, BAND_TITLE_ROW + 2, sizes.margins
    pitch, block, labels = sizes.label_rows + grid, sizes.block, sizes.label_rows
    layers = range(1, net.last + (net.sizes[-1] > 1))
    answer_rows = margins.top + grid * block + margins.bottom
    height = max([answer_rows] + [net.sizes[layer] * pitch for layer in range(layers.stop)])

    def first(count: int) -> int:
        return top + (height - count * pitch) // 2 + labels
    box = sizes.input_rows
    inputs = tuple((first(net.sizes[0]) + i * pitch + (grid - box) // 2, box)
                   for i in range(net.sizes[0]))
    maps, left = [], 4 + sizes.link_cells
    for layer in layers:
        maps += [Map(net.neuron(layer, j), layer, j, first(net.sizes[layer]) + j * pitch, left)
                 for j in range(net.sizes[layer])]
        left += grid + sizes.link_cells
    title = ("the class the network picks" if net.sizes[-1] > 1
             else f"what the network says ({net.neuron(net.last, 0)})")
    maps.append(Map(title, net.last, None, top + (height - answer_rows) // 2 + margins.top,
                    left + margins.left, block))
    return tuple(maps), inputs, top + height - 1
