"""The features of a point of the plane that a network can take as its inputs, the TensorFlow
Playground's seven: the two coordinates, their squares, their product and their sines.

Each is one record, read alike by the reference (`apply`), the Data sheet and the Boundary
sheet (`formula`, of the cells or expressions {x1} and {x2}), the headers and the workbook's
names (`label`, `plain`) and the Notes (`words`). The reference computes in the formula's own
order, so that an engine lands on the same bits (the sines within a rounding).
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Feature:
    name: str
    """How --features names it: x1^2."""
    apply: Callable[[float, float], float]
    """Its value at the point (x1, x2)."""
    formula: str
    """Its value as a formula of the cells {x1} and {x2}, without the '='."""
    label: str
    """How the headers show it: x1²."""
    plain: str
    """How a workbook name spells it: X1SQ (in W_H1_X1SQ)."""
    words: str
    rounded: bool = False
    """Computed by a library function (sin) that engines may round differently."""

    def formula_of(self, x1: str, x2: str) -> str:
        """Its formula of two cells, to stand inside a longer one: a product bracketed, so
        that a weight times it multiplies the product, as the reference does, not x1 first."""
        text = self.formula.format(x1=x1, x2=x2)
        return f"({text})" if "*" in self.formula else text


FEATURES = {feature.name: feature for feature in (
    Feature("x1", lambda x1, x2: x1, "{x1}", "x1", "X1", "the first coordinate"),
    Feature("x2", lambda x1, x2: x2, "{x2}", "x2", "X2", "the second coordinate"),
    Feature("x1^2", lambda x1, x2: x1 ** 2, "{x1}^2", "x1²", "X1SQ",
            "the first coordinate squared"),
    Feature("x2^2", lambda x1, x2: x2 ** 2, "{x2}^2", "x2²", "X2SQ",
            "the second coordinate squared"),
    Feature("x1*x2", lambda x1, x2: x1 * x2, "{x1}*{x2}", "x1·x2", "X1X2",
            "the product of the coordinates"),
    Feature("sin(x1)", lambda x1, x2: math.sin(x1), "SIN({x1})", "sin x1", "SINX1",
            "the sine of the first coordinate", rounded=True),
    Feature("sin(x2)", lambda x1, x2: math.sin(x2), "SIN({x2})", "sin x2", "SINX2",
            "the sine of the second coordinate", rounded=True),
)}
PLAIN = ("x1", "x2")
"""The features of a network that takes the coordinates as they are."""


def featured(names: Sequence[str], point: Sequence[float]) -> tuple[float, ...]:
    """The features `names` of the point (x1, x2)."""
    x1, x2 = point
    return tuple(FEATURES[name].apply(x1, x2) for name in names)
