"""The activations: what a neuron's output is, given its net, and how steeply it changes.

Each is one record, read alike by the reference (`apply`, `slope`), the sheet (`formula`,
`slope_formula`), the Notes (`words`, `slope_words`) and the command line (the names). A
formula names its cells by role: {z} the neuron's net, {y} its output, both cells of the
row. The reference computes in the formula's own order, so that an engine computing in
IEEE-754 doubles lands on the same bits.

An activation works on a whole layer (`outputs`, `output_formula`, `applied`): most are
elementwise, looking at their own neuron's net alone; softmax needs every net of its layer, and
is a record that says so and overrides those three.
"""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add


@dataclass(frozen=True)
class Activation:
    name: str
    apply: Callable[[float], float] | None
    """The output, from the net z; None for softmax, whose output needs its whole layer."""
    slope: Callable[[float, float], float] | None
    """d output / d net, from the net z and the output y, as `slope_formula` computes it;
    None for softmax, whose slope is a matrix that only the cross-entropy's δ, y − t, uses
    (folded into it)."""
    formula: str
    """The output cell's formula, from the net's cell {z}."""
    slope_formula: str | None
    """The slope as a factor, from the cells {z} and {y}; None where it is 1 (no factor)."""
    rounded: bool
    """Computed by a library function (tanh, exp) that engines may round differently."""
    words: str
    """What the output is, completing 'The output of h1: …'."""
    slope_words: str
    """The slope, completing '… times …'."""
    probabilities: bool = False
    """Whether its outputs lie between 0 and 1 and read as probabilities, as the
    cross-entropy takes them."""
    low: float = 0.0
    """A class's absence as a target, where the targets are class labels: the bottom of the
    output's range, −1 for tanh, 0 for the others (the top, a class's presence, is 1)."""

    elementwise = True
    """Whether a neuron's output depends on its own net alone, not on its layer's others."""

    def outputs(self, nets: Sequence[float]) -> list[float]:
        """Every output of a layer, from its nets."""
        return list(map(self.apply, nets))

    def output_formula(self, nets: Sequence[str], j: int) -> str:
        """The formula of neuron j's output cell, given the cells of its layer's nets."""
        return self.formula.format(z=nets[j])

    def applied(self, nets: Sequence[str], j: int) -> str:
        """Neuron j's output, from its layer's nets (cells or expressions), to stand inside a
        longer formula: `TANH(net)`, or `(net)` bracketed where it would otherwise run into
        what is around it."""
        template = self.formula.removeprefix("=")
        return template.format(z=nets[j] if _whole_arguments(template) else f"({nets[j]})")

    def slope_of(self, net: str, out: str) -> str | None:
        """The slope's factor from the cells of the net and the output; None where it is 1."""
        return None if self.slope_formula is None else self.slope_formula.format(z=net, y=out)


def _whole_arguments(template: str) -> bool:
    """Whether the net stands only as a whole argument of a function, `F(…,{z})`, where an
    expression needs no brackets of its own."""
    return all(before and before in "(," and after and after in "),"
               for before, after in re.findall(r"(.?)\{z\}(.?)", template))


class Softmax(Activation):
    """Every output of the layer from every net: p_k = e^(z_k − m) / Σ_j e^(z_j − m), m the
    largest net. Subtracting m changes nothing mathematically and keeps EXP from overflowing;
    the sum is written out term by term, as everywhere."""

    elementwise = False

    def outputs(self, nets: Sequence[float]) -> list[float]:
        m = max(nets)
        powers = [math.exp(z - m) for z in nets]
        total = reduce(add, powers)
        return [power / total for power in powers]

    def output_formula(self, nets: Sequence[str], j: int) -> str:
        return "=" + self.applied(nets, j)

    def applied(self, nets: Sequence[str], j: int) -> str:
        nets = [net if _is_cell(net) else f"({net})" for net in nets]
        largest = f"MAX({','.join(nets)})"
        powers = [f"EXP({net}-{largest})" for net in nets]
        return f"{powers[j]}/({'+'.join(powers)})"


def _is_cell(text: str) -> bool:
    """Whether a net stands alone, a cell (perhaps with its row still to fill in), with no
    operator that a longer formula would need brackets around."""
    return re.search(r"[-+*/^&=<>(), ]", text) is None


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


LEAK = 0.01
"""Leaky ReLU's slope below zero, as PyTorch's `LeakyReLU` has it by default."""

ACTIVATIONS = {a.name: a for a in (
    Activation("tanh", math.tanh, lambda z, y: 1 - y**2, "=TANH({z})", "(1-{y}^2)", True,
               "tanh of the net, between −1 and 1", "1 − out², the slope of tanh", low=-1.0),
    Activation("sigmoid", sigmoid, lambda z, y: y * (1 - y), "=1/(1+EXP(-{z}))",
               "({y}*(1-{y}))", True,
               "the sigmoid of the net, 1/(1+e^−net), between 0 and 1",
               "out·(1 − out), the slope of the sigmoid", probabilities=True),
    Activation("relu", lambda z: max(0.0, z), lambda z, y: 1.0 if z > 0 else 0.0,
               "=MAX(0,{z})", "IF({z}>0,1,0)", False,
               "the net where it is positive, else 0 (ReLU)",
               "1 where the net is positive, else 0, the slope of ReLU"),
    Activation("leaky_relu", lambda z: max(LEAK * z, z), lambda z, y: 1.0 if z > 0 else LEAK,
               f"=MAX({LEAK}*{{z}},{{z}})", f"IF({{z}}>0,1,{LEAK})", False,
               f"the net where it is positive, else {LEAK} times it (leaky ReLU)",
               f"1 where the net is positive, else {LEAK}, the slope of leaky ReLU"),
    Activation("linear", lambda z: z, lambda z, y: 1.0, "={z}", None, False,
               "the net itself (a linear neuron)", "1, the slope of a linear neuron"),
    Softmax("softmax", None, None, "", None, True,
            "e to its net over the sum of e to every output's net (softmax): the "
            "probability of its class, the layer's adding up to 1",
            "the softmax's slope, which cancels against the cross-entropy's", True),
)}
