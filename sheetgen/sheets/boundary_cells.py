"""Every computed cell of the Boundary sheet (see `boundary`), its formula and the reference's
value, worked out side by side from one walk over the sheet, so that the two cannot drift.

A neuron's formula at a point is the Training sheet's maths written out for that point: the
features of its coordinates (standardised, where the run standardises, with the Data sheet's
means and deviations), times the shown attempt's weights, plus its bias, through the
activation; a later layer reads the layer before at the same point. The reference computes
the same in the same order (`passes.forward`), so an engine lands on the same bits.
"""

from collections.abc import Iterator

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate

from sheetgen.maths.classification import class_of, threshold
from sheetgen.maths.features import FEATURES, PLAIN
from sheetgen.maths.network import featured_samples
from sheetgen.maths.shape import Biases, Sample, Weights
from sheetgen.sheets.boundary import Boundary, Map
from sheetgen.sheets.boundary_diagram import STRONG, link_cells
from sheetgen.sheets.network_data import (
    class_cells,
    data_reference,
    label_cells,
    statistics_cells,
    typed_cells,
)
from sheetgen.sheets.network_formulas import class_formula
from sheetgen.sheets.network_sheet import NetworkSheet
from sheetgen.sheets.shown import (
    Computed,
    Neurons,
    neuron_formulas,
    neuron_templates,
    neuron_values,
    parameter_cells,
    parameter_letters,
)


def point_values(boundary: Boundary, weights: Weights, biases: Biases,
                 points: list[tuple[float, float]]) -> list[Neurons]:
    """Every neuron's value at each point of the plane, as the reference runs it forward."""
    run = boundary.run
    seen = run.seen(featured_samples(run.network, tuple(Sample(point, ()) for point in points)))
    return neuron_values(run, weights, biases, (sample.inputs for sample in seen))


def _input(boundary: Boundary, i: int, x1: str, x2: str) -> str:
    """Input i of the network at a point: its feature (x1 or x2 without features),
    standardised where the run standardises."""
    run = boundary.run
    feature = FEATURES[(run.network.features or PLAIN)[i]].formula_of(x1, x2)
    if not run.standardize:
        return feature
    mean, deviation = (data_reference(cell) for cell in statistics_cells(run)[i])
    return f"(({feature})-{mean})/{deviation}"


def boundary_values(boundary: Boundary, sheet: NetworkSheet, weights: Weights,
                    biases: Biases) -> dict[str, float | str]:
    """The reference's result of every formula of the Boundary sheet, with the shown
    attempt's weights and biases."""
    cells = [*parameter_cells(boundary, parameter_letters(sheet), weights, biases),
             *map_cells(boundary, weights, biases), *point_cells(boundary, weights, biases)]
    return {computed.cell: computed.value for computed in cells}


def map_cells(boundary: Boundary, weights: Weights, biases: Biases) -> Iterator[Computed]:
    """Every map's cell at every grid point, a small map's sharing its first cell's formula;
    and the coordinates the first layer's maps read."""
    grid = boundary.grid
    small = {(m.layer, m.neuron): m for m in boundary.maps[:-1]}
    templates = neuron_templates(boundary)
    values = point_values(boundary, weights, biases,
                          [(x1, x2) for x2 in boundary.x2s for x1 in boundary.x1s])
    yield from _coordinates(boundary, [m for m in boundary.maps[:-1] if m.layer == 1])
    for k, (neuron, m) in enumerate(small.items()):
        # Only the map's first cell holds the formula the others share.
        yield Computed(*m.place(0, 0),
                       templates[neuron].format(*_first_inputs(boundary, small, m)),
                       values[0][neuron], (k, m.span(grid)))
        sharing = (k, None)
        others = [place for line in m.places(grid) for place in line][1:]
        yield from (Computed(row, column, "", value[neuron], sharing)
                    for (row, column), value in zip(others, values[1:]))
    yield from _answer_cells(boundary, templates, small, values)
    yield from diagram_cells(boundary, weights, biases)


def diagram_cells(boundary: Boundary, weights: Weights, biases: Biases
                  ) -> Iterator[Computed]:
    """Every cell of the network's links (see `boundary_diagram`): its weight at the shown
    attempt, read from the table; a thick line's second cell, the weight only where it is
    STRONG."""
    for row, column, parameter, thick in link_cells(boundary):
        weight = boundary.network.value(parameter, weights, biases)
        cell = boundary.parameter_cell(parameter)
        if thick:
            yield Computed(row, column, f"=IF(ABS({cell})>={STRONG:g},{cell},0)",
                           weight if abs(weight) >= STRONG else 0.0)
        else:
            yield Computed(row, column, f"={cell}", weight)


def _answer_cells(boundary: Boundary, templates: dict[tuple[int, int], str],
                  small: dict[tuple[int, int], Map], values: list[Neurons]) -> Iterator[Computed]:
    """The answer map's cell at each grid point, the first of its block (the rest is merged
    into it): the output, of the layer before or of the coordinates without one, or the
    class the outputs pick."""
    grid, net, rows = boundary.grid, boundary.network, boundary.grid_rows
    x1, x2 = boundary.grid_letters
    # The layer whose maps the answer reads: the outputs', where it picks among them; else
    # the one before the output, or none (the coordinates) without a hidden layer.
    layer = net.last if boundary.many_outputs else net.last - 1
    read = [small[layer, i].cells(grid) for i in range(net.sizes[layer])] if layer > 0 else []
    every = iter(values)
    for r in range(grid):
        for c in range(grid):
            point, place = next(every), boundary.answer.place(r, c)
            inputs = [neuron[r][c] for neuron in read] if read else \
                _inputs(boundary, f"${x1}${rows[c]}", f"${x2}${rows[r]}")
            yield _picked(boundary, place, inputs, point) if boundary.many_outputs else \
                Computed(*place, templates[net.last, 0].format(*inputs), point[net.last, 0])


def _first_inputs(boundary: Boundary, small: dict[tuple[int, int], Map], m: Map) -> list[str]:
    """The inputs of a small map's neuron at its first grid point: the first layer's, the
    coordinates above and beside its map; a later layer's, the maps before at that point."""
    if m.layer > 1:
        return [small[m.layer - 1, i].cell(0, 0)
                for i in range(boundary.network.sizes[m.layer - 1])]
    return _inputs(boundary, f"{get_column_letter(m.left)}${boundary.coordinate_row}",
                   f"${get_column_letter(boundary.coordinate_column)}{m.top}")


def _coordinates(boundary: Boundary, first_maps: list[Map]) -> Iterator[Computed]:
    """Each column's x1 above the first layer's maps and each row's x2 beside them, read from
    the grid's table."""
    if not first_maps:
        return
    rows, (across, up) = boundary.grid_rows, boundary.grid_letters
    left = first_maps[0].left
    for c, x1 in enumerate(boundary.x1s):
        yield Computed(boundary.coordinate_row, left + c, f"=${across}${rows[c]}", x1)
    for m in first_maps:
        for r, x2 in enumerate(boundary.x2s):
            yield Computed(m.top + r, boundary.coordinate_column, f"=${up}${rows[r]}", x2)


def _inputs(boundary: Boundary, x1: str, x2: str) -> list[str]:
    """The network's inputs at the point whose coordinates are in cells `x1` and `x2`."""
    return [_input(boundary, i, x1, x2) for i in range(boundary.network.sizes[0])]


def _picked(boundary: Boundary, place: tuple[int, int], outputs: list[str],
            values: Neurons) -> Computed:
    """The class the outputs pick at a point: the first largest."""
    net = boundary.network
    said = [values[net.last, k] for k in range(net.sizes[-1])]
    return Computed(*place, class_formula(outputs, threshold(net)),
                    float(class_of(said, threshold(net))))


def neuron_columns(boundary: Boundary) -> dict[tuple[int, int], int]:
    """The column of each neuron's value in the points' table, a strip of colours right of
    its verdicts, layer by layer."""
    net, first = boundary.network, boundary.point_column("right") + 1
    neurons = [(layer, j) for layer in range(1, len(net.sizes)) for j in range(net.sizes[layer])]
    return {neuron: first + k for k, neuron in enumerate(neurons)}


def point_cells(boundary: Boundary, weights: Weights, biases: Biases) -> Iterator[Computed]:
    """Each sample's row of the points' table: its coordinates from the Data sheet, its class
    (or target), what the network says at the shown attempt and whether it is right, the
    chart's helpers, and every neuron's value at it."""
    run, columns, templates = boundary.run, neuron_columns(boundary), neuron_templates(boundary)
    x1, x2 = boundary.point_letter("x1"), boundary.point_letter("x2")
    typed_tables = {held_out: typed_cells(run, held_out) for held_out in (False, True)}
    label_tables = {held_out: label_cells(run, held_out) for held_out in (False, True)}
    samples = [(run.tests if held_out else run.samples)[s - 1] for held_out, s in boundary.points]
    every = iter(point_values(boundary, weights, biases, [sample.inputs for sample in samples]))
    for index, ((held_out, s), sample) in enumerate(zip(boundary.points, samples)):
        row = boundary.point_row(index)
        typed = typed_tables[held_out][s - 1]
        # The Data sheet's cell of its class, or of its (first) target.
        source = label_tables[held_out][s - 1] if run.classes else \
            typed[boundary.network.typed_inputs]
        values = next(every)

        def cell_of(layer: int, j: int) -> str:
            return f"{get_column_letter(columns[layer, j])}{row}"
        formulas = neuron_formulas(boundary.network, templates,
                                   _inputs(boundary, f"${x1}{row}", f"${x2}{row}"), cell_of)
        for k, cell in enumerate(typed[:2]):
            yield Computed(row, boundary.point_column("x1") + k, f"={data_reference(cell)}",
                           sample.inputs[k])
        yield from _verdict(boundary, row, sample, source, values,
                            [cell_of(boundary.network.last, k)
                             for k in range(boundary.network.sizes[-1])])
        for neuron, formula in formulas.items():
            yield Computed(row, columns[neuron], formula, values[neuron])


def _verdict(boundary: Boundary, row: int, sample: Sample, source: str, values: Neurons,
             outputs: list[str]) -> Iterator[Computed]:
    """A point's class (or target, read from the Data sheet's `source`), what the network
    says, whether it is right, and its x1 in the chart's series it belongs to, and in the
    wrong ones' where it is wrong."""
    run, net, middle = boundary.run, boundary.network, boundary.middle
    said = [values[net.last, k] for k in range(net.sizes[-1])]
    column, letter = boundary.point_column, boundary.point_letter
    true_cell, says, right_cell = (f"{letter(h)}{row}" for h in ("class", "says", "right"))
    if run.classes:
        names = class_cells(run)
        listed = f"{data_reference(names[0])}:{absolute_coordinate(names[-1])}"
        true = run.classes[class_of(sample.targets, middle) - 1]
        picked = run.classes[class_of(said, middle) - 1]
        right = true == picked
        formulas = (f"=INDEX({listed},1,{class_formula(outputs, middle)[1:]})",
                    f"=IF({says}={true_cell},1,0)")
        members = [(f"${true_cell}={data_reference(cell)}", true == name)
                   for cell, name in zip(names, run.classes)]
    else:
        true, picked = sample.targets[0], said[0]
        right = (picked >= middle) == (true >= middle)
        formulas = (f"={outputs[0]}",
                    f"=IF(({says}>={middle:g})=({true_cell}>={middle:g}),1,0)")
        members = [(f"${true_cell}<{middle:g}", true < middle),
                   (f"${true_cell}>={middle:g}", true >= middle)]
    yield Computed(row, column("class"), f"={data_reference(source)}", true)
    yield Computed(row, column("says"), formulas[0], picked)
    yield Computed(row, column("right"), formulas[1], float(right))
    x1 = f"${letter('x1')}{row}"
    for helper, (test, member) in zip(boundary.helper_columns,
                                      members + [(f"${right_cell}=0", not right)]):
        yield Computed(row, helper, f"=IF({test},{x1},{boundary.off_axis:g})",
                       sample.inputs[0] if member else boundary.off_axis)
