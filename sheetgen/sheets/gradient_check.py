"""The gradient check's columns: beside each gradient, an estimate of it by central finite
differences, (loss(p + H) − loss(p − H)) / 2H, each loss computed again inside its cell with
the one parameter moved, and how far the estimate is from the gradient, relatively.

A moved loss is written as one expression: from the parameter's neuron on, each output is
computed again inline (`TANH(F3*(J3+GRADIENT_STEP)+K3)` …), in the very order of the row's
own formulas; every neuron the parameter does not reach is read from the row's cells. So the
reference (`maths.gradient_check.checks`) computes the same operations and lands on the same
bits. Where the run penalises its weights, the moved loss adds the penalties, computed again
with a moved weight, read from the row's Penalty cell for a moved bias.
"""

from collections.abc import Callable
from functools import cache

from sheetgen.maths.fields import PENALTY, Field, Kind, pass_numbers, parameter_field
from sheetgen.maths.network import Run
from sheetgen.maths.shape import Parameter
from sheetgen.sheets import panel
from sheetgen.sheets.network_formulas import (
    input_of,
    parameter_of,
    penalty_sum,
    place_masks,
    row_loss,
    with_penalty,
)

STEP_NAME = "GRADIENT_STEP"
DEFAULT_STEP = 1e-6
"""H: about where the estimate's two errors meet (see the Notes), and the series' choice."""
LOSS_FORMAT = "0.00000000000E+00"
"""The moved losses differ from the row's in their eighth digit or so: twelve are shown."""


def step_input(row: int) -> panel.Input:
    """The named, validated cell holding H."""
    return panel.Input(f"Step H ({STEP_NAME})", STEP_NAME, row, "gradient_step",
                       panel.TINY, 1.0,
                       "How far the gradient check moves each weight and bias, up and down.")


def moved_loss(run: Run, at: Callable[[Field], str], moved: Parameter, sign: str) -> str:
    """The formula of the row's loss with one parameter moved by `sign` H."""
    network, loss, activations = run.network, run.criterion, run.activations
    moved_field = parameter_field(moved)
    reached = network.layers[moved.layer - 1].reaches((moved.neuron, moved.source))

    def parameter(field: Field) -> str:
        return f"({at(field)}{sign}{STEP_NAME})" if field == moved_field else at(field)

    @cache
    def net(sample: int, layer: int, j: int) -> str:
        """Neuron j of `layer`'s net: computed again if the parameter reaches it."""
        if layer == moved.layer and j not in reached:
            return at(Field(Kind.NET, sample, layer, j))
        return network.layers[layer - 1].net_formula(
            j, lambda i: feeding(sample, layer, i), parameter_of(parameter, layer))

    @cache
    def output(sample: int, layer: int, k: int) -> str:
        """Neuron k of `layer`'s output: computed again if the parameter reaches it, which in
        the moved parameter's own layer is its neuron's alone, unless the activation takes
        every net of the layer."""
        activation = activations[layer - 1]
        if layer < moved.layer or (layer == moved.layer and k not in reached
                                   and activation.elementwise):
            return at(Field(Kind.OUT, sample, layer, k))
        return activation.applied([net(sample, layer, j) for j in range(network.sizes[layer])],
                                  k)

    def feeding(sample: int, layer: int, i: int) -> str:
        """Input i of `layer`: a sample's input, or the layer before's output."""
        if layer == 1:
            return at(input_of(1, i, sample))
        return output(sample, layer - 1, i)

    samples = pass_numbers(run)
    terms = [[loss.term_formula(output(sample, network.last, k),
                                at(Field(Kind.TARGET, sample, network.last, k)))
              for k in range(network.sizes[-1])] for sample in samples]
    data = row_loss(loss, terms, len(samples), place_masks(run, at))
    if not run.penalties:
        return data
    if moved.is_bias:
        return with_penalty(data, at(PENALTY), False)
    weights = [parameter(parameter_field(p)) for p in network.weights()]
    return with_penalty(data, penalty_sum(run.penalties, weights),
                        len(run.penalties) > 1)


def estimate(up: str, down: str) -> str:
    return f"=({up}-{down})/(2*{STEP_NAME})"


def difference(estimate_cell: str, gradient_cell: str) -> str:
    """|estimate − gradient| / the larger of the two in size; 0 where both are 0."""
    larger = f"MAX(ABS({estimate_cell}),ABS({gradient_cell}))"
    return f"=IF({larger}=0,0,ABS({estimate_cell}-{gradient_cell})/{larger})"


def row_largest(differences: list[str]) -> str:
    """The largest of a row's relative differences: one cell for the summary to read."""
    return f"=MAX({','.join(differences)})"


def largest_difference(loss: str, largest: str, row: int) -> panel.Result:
    """The summary cell: the largest relative difference over the attempts whose loss is at
    or above the threshold. `loss` and `largest` (the rows' largest differences) are columns,
    with their sheet."""
    def span(column: str) -> str:
        return f"{column}{{first}}:{column.rpartition('!')[2]}{{last}}"

    return panel.Result(
        "Check: largest rel. diff.", row,
        f'=IF(MAX({span(loss)})<LOSS_THRESHOLD,"none",'
        f'MAX(IF({span(loss)}>=LOSS_THRESHOLD,{span(largest)})))',
        "largest_difference", "0.000E+00", array=True, absent="none",
        note="Over the attempts whose loss is at or above the threshold: once a run has "
             "converged, a gradient and its estimate are both rounding noise, and their "
             "ratio measures nothing.")
