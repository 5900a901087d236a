"""Every computed cell of the Pictures sheet (see `pictures`), its formula and the reference's
value, worked out side by side from one walk over the sheet, so that the two cannot drift.

The samples' table runs every training and test sample forward at the shown attempt, a row
each: the Data sheet's inputs (standardised there, where the run standardises), through
`shown.neuron_templates`, as the Boundary sheet runs its grid. Its columns' formulas are
shared down each of its two blocks (the training samples', the test samples'), whose rows
read the Data sheet's rows in order: only each block's first cell's formula is built. The
band reads the table: the weights' pictures the table of parameters, the gallery each
image's row, the matrix and the counts of right answers its columns.
"""

import math
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate, coordinate_to_tuple

from sheetgen.maths.activations import ACTIVATIONS
from sheetgen.maths.classification import class_of, threshold
from sheetgen.maths.shape import Biases, Parameter, Weights
from sheetgen.sheets.network_data import (
    DATA_SHEET_NAME,
    class_cells,
    data_reference,
    label_cells,
    sample_cells,
    samples_of,
    typed_cells,
)
from sheetgen.sheets.network_formulas import class_formula
from sheetgen.sheets.network_sheet import NetworkSheet
from sheetgen.sheets.pictures import (
    CLASSES_SCALE_CELL,
    MAPS_SCALE_CELL,
    SAMPLE_HEADERS,
    SCALE_COLUMN,
    SCALE_ROW,
    Pictures,
)
from sheetgen.sheets.shown import (
    Computed,
    cell_name,
    Neurons,
    neuron_formulas,
    neuron_templates,
    neuron_values,
    parameter_cells,
    parameter_letters,
)


class Passes(NamedTuple):
    """Every sample's forward pass at the shown attempt, in the samples' table's order."""

    weights: Weights
    biases: Biases
    values: list[Neurons]
    """Each sample's value of every neuron."""
    verdicts: list[tuple[int, int, float]]
    """Each sample's true class, the class the network says (both from 1) and how sure it
    is."""


def forward_passes(pictures: Pictures, weights: Weights, biases: Biases) -> Passes:
    """Every training and test sample run forward with the shown attempt's weights and
    biases, as the network sees it."""
    run, net = pictures.run, pictures.network
    middle = threshold(net)
    values = neuron_values(run, weights, biases, (sample.inputs for sample in
                                                  run.trained_samples + run.trained_tests))
    verdicts = [(class_of(sample.targets, middle), *_said(pictures, neurons))
                for sample, neurons in zip(run.samples + run.tests, values)]
    return Passes(weights, biases, values, verdicts)


def pictures_values(pictures: Pictures, sheet: NetworkSheet, weights: Weights,
                    biases: Biases) -> dict[str, float | str]:
    """The reference's result of every formula of the Pictures sheet, with the shown
    attempt's weights and biases."""
    passes = forward_passes(pictures, weights, biases)
    cells = [*parameter_cells(pictures, parameter_letters(sheet), weights, biases),
             *band_cells(pictures, passes), *sample_rows(pictures, passes)]
    return {computed.cell: computed.value for computed in cells}


def band_cells(pictures: Pictures, passes: Passes) -> Iterator[Computed]:
    """Every formula of the printed band: the weights' scale and pictures, the gallery, the
    confusion matrix and the counts of right answers."""
    yield from weight_cells(pictures, passes.weights, passes.biases)
    if pictures.network.stack:
        yield from map_cells(pictures, passes)
        yield from class_weight_cells(pictures, passes.weights, passes.biases)
    yield from gallery_cells(pictures, passes.verdicts)
    yield from matrix_cells(pictures, passes.verdicts)


def weight_cells(pictures: Pictures, weights: Weights, biases: Biases) -> Iterator[Computed]:
    """The scale's end, the largest first-layer weight's size; and each first-layer neuron's
    picture, each pixel's weight into it, read from the table."""
    first = [w for neuron in weights[0] for w in neuron]
    span = pictures.weights_range()
    yield Computed(SCALE_ROW, SCALE_COLUMN, f"=MAX(MAX({span}),-MIN({span}))",
                   max(max(first), -min(first)))
    first_layer = pictures.network.layers[0]
    for j, tile in enumerate(pictures.weights):
        for key in first_layer.incoming(j):
            yield Computed(*pictures.pixel(tile, key[1]),
                           f"={pictures.parameter_cell(Parameter(1, *key))}",
                           first_layer.value(key, weights[0], biases[0]))


def map_cells(pictures: Pictures, passes: Passes) -> Iterator[Computed]:
    """The maps' scale's end, the largest map value's size drawn; and each of the first
    gallery images' picture, read from the Data sheet as typed, and its maps, each value
    read from its row of the samples' table."""
    run, held_out = pictures.run, pictures.gallery_held_out
    typed, samples = typed_cells(run, held_out), samples_of(run, held_out)
    columns, spans, drawn = pictures.neuron_columns, [], []
    for tile, k, layer, first in pictures.maps:
        if layer == 0:
            yield from image_cells(pictures, tile, typed[k], samples[k].inputs)
            continue
        index = pictures.gallery_index(k)
        row = pictures.point_row(index)
        pixels = tile.across * tile.down
        for i in range(pixels):
            value = passes.values[index][layer, first + i]
            drawn.append(value)
            yield Computed(*pictures.pixel(tile, i),
                           f"=${get_column_letter(columns[layer, first + i])}${row}", value)
        spans.append(f"{cell_name(*pictures.pixel(tile, 0))}:"
                     f"{cell_name(*pictures.pixel(tile, pixels - 1))}")
    every = ",".join(spans)
    yield Computed(*coordinate_to_tuple(MAPS_SCALE_CELL), f"=MAX(MAX({every}),-MIN({every}))",
                   max(max(drawn), -min(drawn)))


def class_weight_cells(pictures: Pictures, weights: Weights, biases: Biases
                       ) -> Iterator[Computed]:
    """The dense weights' scale's end, the largest weight's size from the maps; and the
    weights into each neuron of the first dense layer from each map, read from the table."""
    net = pictures.network
    number = len(net.stack) + 1
    dense, places = net.layers[number - 1], net.stack[-1].places
    span = pictures.weights_range(number)
    every = [w for neuron in weights[number - 1] for w in neuron]
    yield Computed(*coordinate_to_tuple(CLASSES_SCALE_CELL), f"=MAX(MAX({span}),-MIN({span}))",
                   max(max(every), -min(every)))
    for tile, j, c in pictures.class_tiles:
        for key in dense.incoming(j)[c * places:(c + 1) * places]:
            yield Computed(*pictures.pixel(tile, key[1] - c * places),
                           f"={pictures.parameter_cell(Parameter(number, *key))}",
                           dense.value(key, weights[number - 1], biases[number - 1]))


def image_cells(pictures: Pictures, tile, typed: Sequence[str], pixels: Sequence[float]
                ) -> Iterator[Computed]:
    """An image drawn in a tile: each pixel read from its cell of the Data sheet as typed."""
    for i, (cell, value) in enumerate(zip(typed, pixels)):
        yield Computed(*pictures.pixel(tile, i), f"={data_reference(cell)}", value)


def gallery_cells(pictures: Pictures, verdicts: list[tuple[int, int, float]]) -> Iterator[Computed]:
    """Each gallery image's pixels, read from the Data sheet as typed; below it the class the
    network says and how sure it is, and ✓, or ✗ with the true class, read from its row of
    the samples' table."""
    run, held_out = pictures.run, pictures.gallery_held_out
    typed = typed_cells(run, held_out)
    samples = samples_of(run, held_out)
    half = pictures.tile_width // 2
    for k, tile in enumerate(pictures.gallery):
        yield from image_cells(pictures, tile, typed[k], samples[k].inputs)
        index = pictures.gallery_index(k)
        row = pictures.point_row(index)
        true, said, sure = verdicts[index]

        def read(header: str) -> str:
            return f"${pictures.letter(header)}${row}"
        below = tile.top + pictures.height
        yield Computed(below, tile.left, f"={read('says')}", run.classes[said - 1])
        yield Computed(below, tile.left + half, f"={read('sure')}", sure)
        yield Computed(below + 1, tile.left, f'=IF({read("right")}=1,"✓","✗ is "&'
                                             f'{read("class")})',
                       "✓" if true == said else f"✗ is {run.classes[true - 1]}")


def matrix_cells(pictures: Pictures, verdicts: list[tuple[int, int, float]]) -> Iterator[Computed]:
    """Each count of the confusion matrix, over every training and test sample; and how many
    of the training samples, and of the test samples, the network has right."""
    classes = len(pictures.classes)
    true, said = pictures.span("true"), pictures.span("said")
    for t in range(1, classes + 1):
        for s in range(1, classes + 1):
            yield Computed(*pictures.matrix_cell(t, s), f"=COUNTIFS({true},{t},{said},{s})",
                           float(sum(1 for a, b, _ in verdicts if (a, b) == (t, s))))
    count = len(pictures.run.samples)
    for row, (held_out, part) in zip(pictures.accuracy_rows,
                                     ((False, verdicts[:count]), (True, verdicts[count:]))):
        yield Computed(row, pictures.matrix_cell(1, 1)[1],
                       f"=SUM({pictures.span('right', held_out)})",
                       float(sum(1 for a, b, _ in part if a == b)))


def _said(pictures: Pictures, neurons: Neurons) -> tuple[int, float]:
    """The class the outputs pick and how sure the network is of it: its softmax
    probability, the largest output, or a single output as it is."""
    net = pictures.network
    outputs = [neurons[net.last, k] for k in range(net.sizes[-1])]
    said = class_of(outputs, threshold(net))
    if not ACTIVATIONS[net.activations[-1]].elementwise:
        largest = max(outputs)
        return said, 1 / sum(math.exp(z - largest) for z in outputs)
    return said, max(outputs)


def sure_formula(pictures: Pictures, outputs: list[str]) -> str:
    """How sure the network is of the class it picks, from its outputs' cells: as `_said`."""
    if not ACTIVATIONS[pictures.network.activations[-1]].elementwise:
        largest = f"MAX({','.join(outputs)})"
        return "=1/(" + "+".join(f"EXP({cell}-{largest})" for cell in outputs) + ")"
    return f"=MAX({','.join(outputs)})" if len(outputs) > 1 else f"={outputs[0]}"


def sample_rows(pictures: Pictures, passes: Passes) -> Iterator[Computed]:
    """Each sample's row of the samples' table but its number (a plain value, see
    `pictures_band`): its class from the Data sheet and the class's number, what the network
    says at the shown attempt and its number, whether it is right, how sure it is, and every
    neuron's value; each column's formula shared down each block."""
    run, net = pictures.run, pictures.network
    columns, templates = pictures.neuron_columns, neuron_templates(pictures)
    names = class_cells(run)
    listed = f"{data_reference(names[0])}:{absolute_coordinate(names[-1])}"
    neuron_of = {column: neuron for neuron, column in columns.items()}
    shared = 0
    for held_out in (False, True):
        indices = [k for k, (test, _) in enumerate(pictures.points) if test == held_out]
        if not indices:
            continue
        first, last = (pictures.point_row(indices[k]) for k in (0, -1))

        def cell(column: int) -> str:
            return f"{get_column_letter(column)}{first}"

        def at(header: str) -> str:
            return cell(pictures.column(header))
        outputs = [cell(columns[net.last, k]) for k in range(net.sizes[-1])]
        # Relative references, which the rows below shift down the Data sheet's rows.
        inputs = [f"{DATA_SHEET_NAME}!{c}" for c in sample_cells(run, held_out)[0][:net.sizes[0]]]
        formulas = {pictures.column("class"): f"={DATA_SHEET_NAME}!{label_cells(run, held_out)[0]}",
                    pictures.column("true"): f"=MATCH({at('class')},{listed},0)",
                    pictures.column("said"): class_formula(outputs, threshold(net)),
                    pictures.column("says"): f"=INDEX({listed},1,{at('said')})",
                    pictures.column("right"): f"=IF({at('said')}={at('true')},1,0)",
                    pictures.column("sure"): sure_formula(pictures, outputs)}
        neurons = neuron_formulas(net, templates, inputs,
                                  lambda layer, j: cell(columns[layer, j]))
        formulas.update({columns[neuron]: formula for neuron, formula in neurons.items()})
        for column, formula in formulas.items():
            letter = get_column_letter(column)
            for k in indices:
                row = pictures.point_row(k)
                value = passes.values[k][neuron_of[column]] if column in neuron_of else \
                    _verdict_value(pictures, column, *passes.verdicts[k])
                yield Computed(row, column, formula if k == indices[0] else "", value,
                               (shared, f"{letter}{first}:{letter}{last}" if k == indices[0]
                                else None))
            shared += 1


def _verdict_value(pictures: Pictures, column: int, true: int, said: int,
                   sure: float) -> float | str:
    """The reference's value of a sample's verdict's cell in `column` of the samples' table."""
    header = SAMPLE_HEADERS[column - pictures.table_column]
    return {"class": pictures.classes[true - 1], "true": float(true), "said": float(said),
            "says": pictures.classes[said - 1], "right": float(true == said),
            "sure": sure}[header]


