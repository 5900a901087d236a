"""The convolution layer: a few small kernels slide over the maps of the layer before, the same
weights at every position, as `torch.nn.Conv2d` computes it (cross-correlation, stride 1, no
padding). A filter's map value at (y, x) is Σ over channel c, kernel row r and column s of
a[c][y+r][x+s]·k[c][r][s], plus the filter's bias, through the layer's activation.

Every layer is a flat vector to the rest of the network: the inputs are the layer before's
maps flattened channel, then row, then column (PyTorch's `flatten`), and so are the layer's
own values, filter by filter. The parameters stand in a table of a row per filter, its kernel
flattened the same way across, k[f][t] with t = (c·k + r)·k + s, and its bias last: the Data
sheet's table, `--init`'s kernels read row by row.

A kernel weight's gradient is the sum over every position it was used at (weight sharing),
and over the row's samples, term by term; the reference adds in the formulas' order, so that
an engine computing in doubles lands on the same bits.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from sheetgen.maths.maps import Maps
from sheetgen.maths.parameter_table import Key, Label, ParameterTable


@dataclass(frozen=True)
class Conv(Maps, ParameterTable):
    """`filters` kernels of `size`×`size` over `channels` maps of `height`×`width`."""

    channels: int
    height: int
    width: int
    filters: int
    size: int
    number: int | None = None
    letter: ClassVar[str] = "m"

    net_meaning: ClassVar[str] = ("each pixel under the kernel times the kernel's weight over "
                                  "it, plus the filter's bias")
    back_meaning: ClassVar[str] = ("the δ of each map value it was under, times the kernel "
                                   "weight over it, summed")
    net_words: ClassVar[str] = ("Σ over the kernel's cells of the value under it × its "
                                "weight + the filter's bias, the kernel slid over every place")
    back_words: ClassVar[str] = ("Σ over the map values it lay under of their δ × the kernel "
                                 "weight over it")
    gradient_words: ClassVar[str] = ("∂k = Σ over every place the kernel stood of δ of the map "
                                     "value × the value under that kernel cell (the same "
                                     "weight everywhere, so its gradient adds every place); "
                                     "∂b = Σ of the map's δs")

    def __post_init__(self):
        if self.size > min(self.height, self.width):
            raise ValueError(f"a {self.size}×{self.size} kernel is larger than its "
                             f"{self.width}×{self.height} input")

    @property
    def out_height(self) -> int:
        return self.height - self.size + 1

    @property
    def out_width(self) -> int:
        return self.width - self.size + 1

    @property
    def out_channels(self) -> int:
        """A map per filter: the kernel stands at each of its `places`."""
        return self.filters

    @property
    def rows(self) -> int:
        return self.filters

    @property
    def columns(self) -> int:
        return self.channels * self.size * self.size

    @cached_property
    def windows(self) -> tuple[tuple[int, ...], ...]:
        """For each place p = y·width + x, the input under each kernel cell t, in t's order."""
        k, h, w = self.size, self.height, self.width
        return tuple(tuple(c * h * w + (y + r) * w + x + s
                           for c in range(self.channels) for r in range(k) for s in range(k))
                     for y in range(self.out_height) for x in range(self.out_width))

    @cached_property
    def under(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """For each input, the (kernel cell t, place p) pairs it lies under, p in order."""
        pairs = [[] for _ in range(self.inputs)]
        for p, window in enumerate(self.windows):
            for t, i in enumerate(window):
                pairs[i].append((t, p))
        return tuple(map(tuple, pairs))

    # Names, from the kernel's own cells: k2[1,3] is filter 2's weight at row 1, column 3.

    def cell(self, t: int) -> tuple[int, int, int]:
        """(channel, row, column) of kernel cell t."""
        c, rest = divmod(t, self.size * self.size)
        return c, *divmod(rest, self.size)

    def filter_label(self, f: int) -> str:
        """Filter f's label: k2, or k1.2 where several layers convolve."""
        return self.labelled("k", f)

    def weight_label(self, f: int, t: int) -> str:
        c, r, s = self.cell(t)
        channel = f"c{c + 1}," if self.channels > 1 else ""
        return f"{self.filter_label(f)}[{channel}{r + 1},{s + 1}]"

    def parameter_label(self, key: Key, me: Label, before: Label) -> str:
        f, t = key
        return f"b {self.filter_label(f)}" if t is None else self.weight_label(f, t)

    parameter_header = parameter_label

    def parameter_name(self, key: Key, me: Label, before: Label) -> str:
        """K2_1_3 for filter 2's weight at row 1, column 3 (K1_2_1_3 for the first
        convolution's, K2_C1_1_3 for channel 1's where there are several); B_K2 for its
        bias."""
        f, t = key
        filter_name = [f"K{f + 1}" if self.number is None else f"K{self.number}", *(
            [] if self.number is None else [str(f + 1)])]
        if t is None:
            return "_".join(["B", *filter_name])
        c, r, s = self.cell(t)
        channel = [f"C{c + 1}"] if self.channels > 1 else []
        return "_".join([*filter_name, *channel, str(r + 1), str(s + 1)])

    def parameter_meaning(self, key: Key, me: Label, before: Label) -> str:
        f, t = key
        if t is None:
            return f"The bias of filter {self.filter_label(f)}, added at every place"
        c, r, s = self.cell(t)
        channel = f" of channel {c + 1}" if self.channels > 1 else ""
        return (f"Filter {self.filter_label(f)}'s kernel weight at row {r + 1}, column "
                f"{s + 1}{channel}, the same at every place")

    def gradient_meaning(self, key: Key, me: Label, before: Label) -> str:
        f, t = key
        if t is None:
            return f"the sum of δ over {self.filter_label(f)}'s map"
        return (f"the sum over {self.filter_label(f)}'s {self.places} places of each map "
                f"value's δ times the value under {self.weight_label(f, t)}")

    @property
    def title(self) -> str:
        """The layer's title: 'Convolution', or 'Convolution 2' where several convolve."""
        return self.numbered("Convolution")

    def __str__(self) -> str:
        return f"conv{self.filters}@{self.size}x{self.size}"

    def table_headers(self, before: Label) -> list[str]:
        """The table's column heads: each kernel cell, [row,column] (c1[row,column] …
        where the maps before are several)."""
        heads = []
        for t in range(self.columns):
            c, r, s = self.cell(t)
            heads.append(f"{f'c{c + 1}' if self.channels > 1 else ''}[{r + 1},{s + 1}]")
        return heads

    def row_label(self, f: int, me: Label) -> str:
        """The table's row f: the filter whose kernel it holds."""
        return self.filter_label(f)

    def incoming(self, f: int) -> list[Key]:
        """Filter f's kernel weights, row by row: what its picture draws."""
        return [(f, t) for t in range(self.columns)]

    def reaches(self, key: Key) -> tuple[int, ...]:
        """A kernel weight or bias enters every value of its filter's map."""
        f = key[0]
        return tuple(range(f * self.places, (f + 1) * self.places))

    # The reference.

    def nets(self, a: Sequence[float], w: Sequence[Sequence[float]],
             b: Sequence[float]) -> list[float]:
        """Each map value's net, filter by filter, place by place: Σ_t a_window[t]·k_t + b."""
        z, cells = [], range(1, self.columns)
        for f in range(self.filters):
            k_f, b_f = w[f], b[f]
            for window in self.windows:
                z_p = a[window[0]] * k_f[0]
                for t in cells:
                    z_p += a[window[t]] * k_f[t]
                z.append(z_p + b_f)
        return z

    def back(self, w: Sequence[Sequence[float]], delta: Sequence[float],
             a: Sequence[float], z: Sequence[float]) -> list[float]:
        """What each input gets back: Σ over filters f, and the (cell t, place p) it lay
        under, of k_f[t]·δ_f,p."""
        back, places = [], self.places
        for pairs in self.under:
            terms = [w[f][t] * delta[f * places + p]
                     for f in range(self.filters) for t, p in pairs]
            total = terms[0]
            for term in terms[1:]:
                total += term
            back.append(total)
        return back

    def gradients(self, a: Sequence[Sequence[float]], d: Sequence[Sequence[float]]
                  ) -> tuple[list[list[float]], list[float]]:
        """The mean over a row's passes of each kernel weight's sum over places of
        δ·(the value under it), and of each bias's sum of δs, in the formulas' order."""
        n, places, windows = len(a), self.places, self.windows
        w_gradients, b_gradients = [], []
        for f in range(self.filters):
            start = f * places
            row = []
            for t in range(self.columns):
                g = None
                for a_s, d_s in zip(a, d):
                    for p in range(places):
                        term = d_s[start + p] * a_s[windows[p][t]]
                        g = term if g is None else g + term
                row.append(g / n)
            w_gradients.append(row)
            g = None
            for d_s in d:
                for p in range(places):
                    g = d_s[start + p] if g is None else g + d_s[start + p]
            b_gradients.append(g / n)
        return w_gradients, b_gradients

    # The formulas (see `Dense`).

    def net_formula(self, j: int, input_of: Callable[[int], str],
                    parameter: Callable[[Key], str]) -> str:
        f, p = divmod(j, self.places)
        terms = [f"{input_of(i)}*{parameter((f, t))}" for t, i in enumerate(self.windows[p])]
        return "+".join(terms) + f"+{parameter((f, None))}"

    def back_formula(self, i: int, parameter: Callable[[Key], str],
                     delta_of: Callable[[int], str], input_of: Callable[[int], str],
                     net_of: Callable[[int], str]) -> str:
        return "+".join(f"{parameter((f, t))}*{delta_of(f * self.places + p)}"
                        for f in range(self.filters) for t, p in self.under[i])

    def gradient_terms(self, key: Key, input_of: Callable[[int], str],
                       delta_of: Callable[[int], str]) -> list[str]:
        f, t = key
        start = f * self.places
        if t is None:
            return [delta_of(start + p) for p in range(self.places)]
        return [f"{delta_of(start + p)}*{input_of(window[t])}"
                for p, window in enumerate(self.windows)]
