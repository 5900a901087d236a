"""The pieces a network's formulas are made of, shared by its columns (`network_sheet`) and
its gradient check (`gradient_check`): each activation's formula, sums in the reference's
order, and the fields that feed a neuron."""

from sheetgen.maths.network import Network

EXCEL_FORMULA_LIMIT = 8192
"""The longest formula, in characters, that Excel accepts (LibreOffice and Gnumeric take
longer ones)."""
EXCEL_ARGUMENT_LIMIT = 255
"""The most arguments an Excel function takes."""

ACTIVATION_FORMULAS = {
    "tanh": ("=TANH({z})", "(1-{y}^2)"),
    "sigmoid": ("=1/(1+EXP(-{z}))", "({y}*(1-{y}))"),
    "relu": ("=MAX(0,{z})", "IF({z}>0,1,0)"),
    "linear": ("={z}", None),
}
"""Each activation's output from the net cell z, and its slope from the output cell y (or the
net z): the same steps as `network.ACTIVATIONS`. A linear neuron's slope is 1: no factor."""


def applied(activation: str, net: str) -> str:
    """The activation's output of `net`, a cell or an expression, to stand inside a formula:
    `TANH(net)`, or `(net)` bracketed where it would otherwise run into what is around it."""
    template = ACTIVATION_FORMULAS[activation][0].removeprefix("=")
    whole_argument = "({z})" in template or ",{z})" in template
    return template.format(z=net if whole_argument else f"({net})")


def mean(terms: list[str], count: int) -> str:
    """=(a+b+…)/count, or =a+b+… for one: the reference divides by 1, which changes no bit."""
    total = "+".join(terms)
    return f"=({total})/{count}" if count > 1 else f"={total}"


def slope(activation: str, net_cell: str, out_cell: str) -> str | None:
    _, formula = ACTIVATION_FORMULAS[activation]
    return None if formula is None else formula.format(z=net_cell, y=out_cell)


def input_field(net: Network, layer: int, i: int) -> str:
    """The field holding input i of `layer`: a sample input, or the layer before's output."""
    source = net.neuron(layer - 1, i)
    return source if layer == 1 else f"{source} out"


def weight_field(net: Network, layer: int, j: int, i: int) -> str:
    """The field of the weight into neuron j of `layer` from neuron i of the layer before."""
    return f"w {net.neuron(layer, j)}←{net.neuron(layer - 1, i)}"


def bias_field(net: Network, layer: int, j: int) -> str:
    return f"b {net.neuron(layer, j)}"
