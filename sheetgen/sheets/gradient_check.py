"""The gradient check's columns: beside each gradient, an estimate of it by central finite
differences, (loss(p + H) − loss(p − H)) / 2H, each loss computed again inside its cell with
the one parameter moved, and how far the estimate is from the gradient, relatively.

A moved loss is written as one expression: from the parameter's neuron on, each output is
computed again inline (`TANH(F3*(J3+GRADIENT_STEP)+K3)` …), in the very order of the row's
own formulas; every neuron the parameter does not reach is read from the row's cells. So the
reference (`network._checks`) computes the same operations and lands on the same bits.
"""

from collections.abc import Callable

from sheetgen.maths.network import Run, pass_prefixes
from sheetgen.sheets import panel
from sheetgen.sheets.network_formulas import applied, bias_field, input_field, mean, weight_field

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


def moved_loss(run: Run, at: Callable[[str], str], layer: int, j: int, source: int | None,
               sign: str) -> str:
    """The formula of the row's loss with one parameter moved by `sign` H: the weight into
    neuron j of `layer` from neuron `source` of the layer before, or its bias where `source`
    is None."""
    net = run.network
    moved = (bias_field(net, layer, j) if source is None
             else weight_field(net, layer, j, source))

    def parameter(field: str) -> str:
        return f"({at(field)}{sign}{STEP_NAME})" if field == moved else at(field)

    def output(prefix: str, later: int, k: int) -> str:
        """Neuron k of layer `later`'s output: computed again if the parameter reaches it."""
        if later < layer or (later == layer and k != j):
            return at(f"{prefix}{net.neuron(later, k)} out")
        terms = [f"{feeding(prefix, later, i)}*{parameter(weight_field(net, later, k, i))}"
                 for i in range(net.sizes[later - 1])]
        return applied(net.activations[later - 1],
                       "+".join(terms) + f"+{parameter(bias_field(net, later, k))}")

    def feeding(prefix: str, later: int, i: int) -> str:
        """Input i of layer `later`: a sample's input, or the layer before's output."""
        if later == 1:
            return at(prefix + input_field(net, 1, i))
        return output(prefix, later - 1, i)

    last = len(net.sizes) - 1
    prefixes = pass_prefixes(run)
    return mean([f"({output(prefix, last, k)}-{at(f'{prefix}t{k + 1}')})^2/2"
                 for prefix in prefixes for k in range(net.sizes[-1])], len(prefixes))


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
