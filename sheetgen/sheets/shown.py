"""The shown attempt, which the Boundary sheet (samples that are points of the plane) and the
Pictures sheet (samples that are pictures) draw alike; a run has at most one of the two.

A named cell, SHOW_ATTEMPT, picks an attempt. A table reads that attempt's weights and biases
from the Training sheet by INDEX, layer by layer, and every drawn formula reads the table: a
neuron's formula at a point or a sample is the Training sheet's maths written out for it,
Σ input·weight + bias through the activation (a softmax layer's net as it is: the class it
picks is the largest net's). The reference computes the same in the same order
(`passes.forward`), so an engine lands on the same bits.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.fields import parameter_field
from sheetgen.maths.network import Run
from sheetgen.maths.passes import forward
from sheetgen.maths.shape import Biases, Network, Parameter, Weights
from sheetgen.sheets.columns import FIRST_ROW, SHEET_NAME, last_row
from sheetgen.sheets.network_sheet import NetworkSheet

SHOW_NAME = "SHOW_ATTEMPT"
SHOW_CELL = "B3"
"""The attempt shown, an input, on whichever sheet draws it."""

Neurons = dict[tuple[int, int], float]
"""A point's value of each neuron, by (layer, neuron): its output, or a softmax layer's net."""


class Computed(NamedTuple):
    row: int
    column: int
    formula: str
    value: float | str
    shared: tuple[int, str | None] | None = None
    """Where the cell's formula is shared with others (a map's, a table's column): the shared
    formula's index, and, in the first cell, which holds the formula, the range that shares
    it (the others' `formula` is empty)."""

    @property
    def cell(self) -> str:
        return cell_name(self.row, self.column)


def cell_name(row: int, column: int) -> str:
    """The name of the cell at a row and column: (12, 2) → B12."""
    return f"{get_column_letter(column)}{row}"


class Drawn:
    """What a sheet that draws the shown attempt has: its run; its printed band, to
    `band_right`; right of it, from `table_column`, its table of the shown attempt's
    parameters (see `parameter_table`), the place of each weight's and bias's cell and each
    layer's rows, and a table of the samples, a row each below `points_title_row`. (A base
    of the sheets' descriptions, which are frozen dataclasses with these fields.)"""

    run: Run
    band_right: int
    parameter_places: dict[Parameter, tuple[int, int]]
    parameter_rows: tuple[tuple[int, int], ...]
    points_title_row: int

    @property
    def table_column(self) -> int:
        """The first column of the tables, right of the band (and of the printed page)."""
        return self.band_right + 2

    @property
    def points(self) -> tuple[tuple[bool, int], ...]:
        """(held out, number from 1) of each row of the samples' table: the training
        samples, then the test samples."""
        return tuple((False, s) for s in range(1, len(self.run.samples) + 1)) + tuple(
            (True, s) for s in range(1, len(self.run.tests) + 1))

    def point_row(self, index: int) -> int:
        """The row of the samples' table's `index`-th sample, from 0."""
        return self.points_title_row + 2 + index

    @property
    def network(self) -> Network:
        return self.run.network

    def parameter_cell(self, parameter: Parameter) -> str:
        """The absolute reference of a weight's or bias's cell, which every drawn formula
        reads."""
        row, column = self.parameter_places[parameter]
        return f"${get_column_letter(column)}${row}"


def parameter_table(network: Network, row: int, column: int
                    ) -> tuple[dict[Parameter, tuple[int, int]], tuple[tuple[int, int], ...], int]:
    """A table of every weight and bias from `row`, with its neurons' names in `column`: each
    layer's title row, then a row per neuron, its weights from the layer before across and its
    bias last, and a blank row. The place of each parameter, the (title row, first neuron's
    row) of each layer, and the row after the table."""
    places, rows = {}, []
    for number, layer in enumerate(network.layers, start=1):
        rows.append((row, row + 1))
        for key in layer.parameters():
            down, across = layer.table_place(key)
            places[Parameter(number, *key)] = (row + 1 + down, column + 1 + across)
        row += layer.rows + 2 if layer.rows else 0   # a pooling layer has no table
    return places, tuple(rows), row


def parameter_letters(sheet: NetworkSheet) -> dict[Parameter, str]:
    """The Training sheet's column of each weight and bias."""
    return {p: sheet.letter(parameter_field(p)) for p in sheet.run.network.parameters()}


def parameter_cells(drawn: Drawn, sheet_letters: dict[Parameter, str],
                    weights: Weights, biases: Biases) -> Iterator[Computed]:
    """Each weight and bias of the table: the shown attempt's, read from its Training column
    by INDEX."""
    end = last_row(drawn.run.attempts)
    for parameter, (row, column) in drawn.parameter_places.items():
        letter = sheet_letters[parameter]
        yield Computed(row, column,
                       f"=INDEX({SHEET_NAME}!${letter}${FIRST_ROW}:${letter}${end},{SHOW_NAME})",
                       drawn.network.value(parameter, weights, biases))


def neuron_templates(drawn: Drawn) -> dict[tuple[int, int], str]:
    """Each neuron's formula with its inputs to fill in, {0}, {1} …: Σ input·weight + bias
    through the activation (a softmax layer's net as it is), made once for every point."""
    net, templates = drawn.network, {}
    for layer, record in enumerate(net.layers, start=1):
        activation = ACTIVATIONS[net.activations[layer - 1]]
        for j in range(net.sizes[layer]):
            total = record.net_formula(
                j, lambda i: f"{{{i}}}",
                lambda key: drawn.parameter_cell(Parameter(layer, *key)))
            templates[layer, j] = "=" + (activation.applied([total], 0)
                                         if activation.elementwise else total)
    return templates


def neuron_formulas(network: Network, templates: dict[tuple[int, int], str],
                    inputs: Sequence[str], cell_of: Callable[[int, int], str]
                    ) -> dict[tuple[int, int], str]:
    """Every neuron's formula at a point whose inputs are the expressions `inputs`, a later
    layer reading the neuron before at `cell_of(layer, neuron)`; `templates` are the sheet's
    `neuron_templates`."""
    formulas = {}
    for layer in range(1, len(network.sizes)):
        for j in range(network.sizes[layer]):
            formulas[layer, j] = templates[layer, j].format(*inputs)
        inputs = [cell_of(layer, j) for j in range(network.sizes[layer])]
    return formulas


def neuron_values(run: Run, weights: Weights, biases: Biases,
                  inputs: Iterable[Sequence[float]]) -> list[Neurons]:
    """Every neuron's value at each of `inputs` (as the network sees them), as the reference
    runs it forward: its output, or a softmax layer's net."""
    net = run.network
    neurons = [(layer, j, ACTIVATIONS[name].elementwise)
               for layer, name in enumerate(net.activations, start=1)
               for j in range(net.sizes[layer])]
    values = []
    for seen in inputs:
        nets, outputs = forward(net.layers, run.activations, weights, biases, seen)
        values.append({(layer, j): (outputs if elementwise else nets)[layer - 1][j]
                       for layer, j, elementwise in neurons})
    return values
