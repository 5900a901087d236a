"""Regularisation: a penalty on the size of the weights, added to the row's loss, whose slope
is added to each weight's gradient, so that training keeps the weights small unless the data
needs them large. The biases are not penalised, as in the TensorFlow Playground and in
PyTorch's `weight_decay`.

    L2: λ/2 · Σ w²     slope λ · w
    L1: λ · Σ |w|      slope λ · sign(w)   (0 at w = 0, as Excel's SIGN)

Each is one record, read alike by the reference (`value`, `slope`) and the sheet
(`formula`, `slope_formula`) and the Notes (the words). A run holds the penalties it was
asked for, each with its strength λ, which stands in a named cell of the sheet.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add


@dataclass(frozen=True)
class Penalty:
    name: str
    """The option's and the Python API's name: l2, l1."""
    cell: str
    """The workbook name of the cell holding λ ("L2" itself is a cell's address, which no
    spreadsheet takes as a name)."""
    of_weight: Callable[[float], float]
    """A weight's share of the sum: w² or |w|."""
    term_template: str
    """`of_weight` as a formula of the weight's cell {w}."""
    halved: bool
    """Whether the sum is multiplied by λ/2 (L2, whose slope is then λ · w) or by λ."""
    slope: Callable[[float], float]
    """The slope of a weight's share, over λ: w, or sign(w)."""
    slope_template: str
    words: str
    """The penalty in words, for the Notes and the Penalty column."""
    slope_words: str
    """What the penalty adds to a weight's gradient, in words."""

    def value(self, strength: float, weights: Sequence[float]) -> float:
        """λ/2 · Σ w² or λ · Σ |w|, the weights' shares added in order."""
        total = reduce(add, map(self.of_weight, weights))
        return strength / 2 * total if self.halved else strength * total

    def formula(self, weight_cells: Sequence[str]) -> str:
        """`value` as an expression (no `=`) of the weights' cells."""
        total = "+".join(self.term_template.format(w=cell) for cell in weight_cells)
        return f"{self.cell}/2*({total})" if self.halved else f"{self.cell}*({total})"

    def gradient_term(self, strength: float, weight: float) -> float:
        return strength * self.slope(weight)

    def slope_formula(self, weight_cell: str) -> str:
        """`gradient_term` as an expression, to add to a weight's gradient."""
        return f"{self.cell}*{self.slope_template.format(w=weight_cell)}"


def _sign(w: float) -> float:
    """Excel's SIGN: 1, −1, or 0 at 0."""
    return math.copysign(1.0, w) if w else 0.0


L2 = Penalty("l2", "L2_RATE", lambda w: w**2, "{w}^2", True, lambda w: w, "{w}",
             "λ/2 times the sum of every weight squared",
             "λ times the weight")
L1 = Penalty("l1", "L1_RATE", abs, "ABS({w})", False, _sign, "SIGN({w})",
             "λ times the sum of every weight's size (its absolute value)",
             "λ times the weight's sign (+1, −1, or 0 at 0)")
PENALTIES = {penalty.name: penalty for penalty in (L2, L1)}
"""In the order the sheet adds them: L2, then L1."""


def total(penalties: Sequence[tuple[Penalty, float]], weights: Sequence[float]) -> float:
    """The row's penalty: each penalty's value, added in `PENALTIES`' order."""
    return reduce(add, [penalty.value(strength, weights) for penalty, strength in penalties])


def penalised_gradient(penalties: Sequence[tuple[Penalty, float]], gradient: float,
                       weight: float) -> float:
    """A weight's gradient with each penalty's slope added, in order, as the cell adds them."""
    for penalty, strength in penalties:
        gradient += penalty.gradient_term(strength, weight)
    return gradient
