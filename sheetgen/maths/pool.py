"""The pooling layer: each map cut into non-overlapping k×k windows, each window's largest
value (max pooling) or its mean (average pooling), as `torch.nn.MaxPool2d` and `AvgPool2d`
compute them with the stride their size. It has no parameters and no activation: a pooled
value is its net, and its output is the net itself.

Backward, a mean sends each value under it 1/(k·k) of its δ; a maximum sends all of its δ
to the value that was largest and none to the others, to the first in row order where
several tie (PyTorch's choice). In the sheet that route is a formula: the δ where the value
is the window's maximum and none before it is, else 0. "Is the maximum" allows a margin,
`TIE`: LibreOffice takes numbers within about 2⁻⁴⁸ of each other as equal, Gnumeric and
Excel do not, and a comparison at the maximum itself would route a near tie differently in
each; at the margin's edge, far from any tie, the two agree.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from sheetgen.maths.maps import Maps
from sheetgen.maths.parameter_table import Key, ParameterTable

POOLING_ACTIVATION = "linear"
"""What the network gives a pooling layer for an activation: its values are its nets, and
the linear activation's slope writes no factor into δ."""
TIE = 1e-12
"""How near its window's maximum, relatively, a value counts as the maximum for the route."""


@dataclass(frozen=True)
class Pool(Maps, ParameterTable):
    """`size`×`size` windows over `channels` maps of `height`×`width`, by their maximum or,
    with `mean`, their mean."""

    channels: int
    height: int
    width: int
    size: int
    mean: bool = False
    number: int | None = None
    letter: ClassVar[str] = "p"

    rows: ClassVar[int] = 0
    columns: ClassVar[int] = 0
    activated: ClassVar[bool] = False

    def __post_init__(self):
        if self.height % self.size or self.width % self.size:
            raise ValueError(f"a pool of {self.size} does not divide its "
                             f"{self.width}×{self.height} map")

    def output_words(self, activation) -> str:
        return "the pooled value itself: pooling has no activation"

    def slope_words(self, activation) -> str:
        return "1: pooling has no activation, and no slope of its own"

    @property
    def net_meaning(self) -> str:
        return ("the mean of the values in its window" if self.mean else
                "the largest value in its window")

    @property
    def back_meaning(self) -> str:
        return ("its window's δ over the window's size" if self.mean else
                "its window's δ where it is the window's largest value (the first, where "
                "several tie), else 0")

    net_words = net_meaning
    back_words = back_meaning
    gradient_words: ClassVar[str] = "none: pooling has no parameters"

    @property
    def out_height(self) -> int:
        return self.height // self.size

    @property
    def out_width(self) -> int:
        return self.width // self.size

    @property
    def out_channels(self) -> int:
        """A pooled map per map."""
        return self.channels

    @cached_property
    def windows(self) -> tuple[tuple[int, ...], ...]:
        """For each pooled value j (channel, row, column), the inputs in its window, in row
        order."""
        k, h, w = self.size, self.height, self.width
        return tuple(tuple(c * h * w + (y * k + r) * w + x * k + s
                           for r in range(k) for s in range(k))
                     for c in range(self.channels)
                     for y in range(self.out_height) for x in range(self.out_width))

    @cached_property
    def pooled_into(self) -> tuple[tuple[int, int], ...]:
        """For each input, (the pooled value j whose window holds it, its place in it)."""
        into = [(0, 0)] * self.inputs
        for j, window in enumerate(self.windows):
            for place, i in enumerate(window):
                into[i] = (j, place)
        return tuple(into)

    @property
    def title(self) -> str:
        return self.numbered(f"{'Average' if self.mean else 'Max'} pooling")

    def __str__(self) -> str:
        return f"{'avg' if self.mean else 'max'}pool{self.size}"

    def incoming(self, j: int) -> list[Key]:
        return []

    def reaches(self, key: Key) -> tuple[int, ...]:
        return ()

    # The reference.

    def nets(self, a: Sequence[float], w: Sequence, b: Sequence) -> list[float]:
        """Each window's maximum, or the sum of its values in row order over their number."""
        pooled = []
        for window in self.windows:
            if self.mean:
                total = a[window[0]]
                for i in window[1:]:
                    total += a[i]
                pooled.append(total / len(window))
            else:
                pooled.append(max(a[i] for i in window))
        return pooled

    def back(self, w: Sequence, delta: Sequence[float], a: Sequence[float],
             z: Sequence[float]) -> list[float]:
        """Each input's share of its window's δ: δ/(k·k) for a mean; for a maximum, δ where
        it is the first of its window to count as the maximum (within `TIE` of it), else 0."""
        back = []
        for j, place in self.pooled_into:
            if self.mean:
                back.append(delta[j] / (self.size * self.size))
            else:
                window, least = self.windows[j], z[j] - TIE * abs(z[j])
                first = next(n for n, k in enumerate(window) if a[k] >= least)
                back.append(delta[j] if first == place else 0.0)
        return back

    def gradients(self, a: Sequence, d: Sequence) -> tuple[list, list]:
        return [], []

    # The formulas (see `Dense`).

    def net_formula(self, j: int, input_of: Callable[[int], str],
                    parameter: Callable[[Key], str]) -> str:
        cells = [input_of(i) for i in self.windows[j]]
        if self.mean:
            return f"({'+'.join(cells)})/{len(cells)}"
        return f"MAX({','.join(cells)})"

    def back_formula(self, i: int, parameter: Callable[[Key], str],
                     delta_of: Callable[[int], str], input_of: Callable[[int], str],
                     net_of: Callable[[int], str]) -> str:
        j, place = self.pooled_into[i]
        if self.mean:
            return f"{delta_of(j)}/{self.size * self.size}"
        window, least = self.windows[j], f"{net_of(j)}-{TIE!r}*ABS({net_of(j)})"
        tests = [f"{input_of(i)}>={least}"] + [f"{input_of(k)}<{least}"
                                                for k in window[:place]]
        test = tests[0] if len(tests) == 1 else f"AND({','.join(tests)})"
        return f"IF({test},{delta_of(j)},0)"

    def gradient_terms(self, key: Key, input_of: Callable[[int], str],
                       delta_of: Callable[[int], str]) -> list[str]:
        return []
