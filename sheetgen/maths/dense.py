"""The dense layer: every neuron j of the layer sees every neuron i of the layer before, its net
Σ_i a_i·w_ji + b_j. A layer kind is one record, read alike by the reference (`nets`, `back`,
`gradients`), the sheet (`net_formula`, `back_formula`, the gradient terms) and the Notes
(the words), as the activations and losses are.

The layer owns its parameters: `parameters` names them by its own keys, (j, i) for the weight
into neuron j from neuron i of the layer before and (j, None) for neuron j's bias, and every
formula finds their cells through a function of those keys, so that the layer alone knows
which inputs and which parameters feed which neuron. Its weights are w[j][i] and its biases
b[j] (PyTorch's Linear). The activation is not the layer's: the caller applies it to the
nets, and its slope to what `back` carries back.

The reference adds in the formulas' order, term by term and left to right, so that an engine
computing in IEEE-754 doubles lands on the same bits; sums are folded by hand (Python's `sum`
of floats compensates since 3.12), in plain index loops, the fastest for a few elements.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from sheetgen.maths.parameter_table import Key, Label, ParameterTable


@dataclass(frozen=True)
class Dense(ParameterTable):
    """A fully connected layer of `outputs` neurons, each fed by all `inputs` neurons of the
    layer before."""

    inputs: int
    outputs: int

    net_meaning: ClassVar[str] = "each input times its weight, plus the bias"
    """A neuron's net, for its column: 'The net of h1: …'."""
    back_meaning: ClassVar[str] = ("the δ of each neuron it feeds, times the weight between "
                                   "them, summed")
    """What a hidden neuron's δ carries back from this layer, for its column, before '… times
    its slope'."""
    net_words: ClassVar[str] = "each input × the weight from it + the bias"
    """A neuron's net, for the Notes: 'net = …'."""
    back_words: ClassVar[str] = ("Σ over the neurons it feeds of their δ × the weight "
                                 "between them")
    """What a neuron before the layer gets back from it, for the Notes: 'δ = (…) × its own
    slope'."""
    gradient_words: ClassVar[str] = ("∂w = δ of the neuron the weight feeds × the output "
                                     "coming in along it (the article's =J*F); ∂b = δ")
    """Each parameter's gradient from a sample, for the Notes."""

    @property
    def rows(self) -> int:
        return self.outputs

    @property
    def columns(self) -> int:
        return self.inputs

    # A parameter's words, from the labels of the layer's neurons, `me(j)`, and of the
    # neurons before it, `before(i)`.

    def parameter_label(self, key: Key, me: Label, before: Label) -> str:
        """'w h1←x2' for the weight into h1 from x2, 'b h1' for h1's bias."""
        j, i = key
        return f"b {me(j)}" if i is None else f"w {me(j)}←{before(i)}"

    def parameter_header(self, key: Key, me: Label, before: Label) -> str:
        """The column header: 'w x2→h1', 'b h1'."""
        j, i = key
        return f"b {me(j)}" if i is None else f"w {before(i)}→{me(j)}"

    def parameter_name(self, key: Key, me: Label, before: Label) -> str:
        """A parameter's workbook name, from the neurons' plain labels: W_H1_X2 for the weight
        into h1 from x2, B_H1_2 for the bias of h1.2."""
        j, i = key
        kind, names = ("B", [me(j)]) if i is None else ("W", [me(j), before(i)])
        return "_".join([kind, *(name.replace(".", "_").upper() for name in names)])

    def parameter_meaning(self, key: Key, me: Label, before: Label) -> str:
        """Which parameter it is, for its column: 'The weight from x2 into h1'."""
        j, i = key
        return f"The bias of {me(j)}" if i is None else \
            f"The weight from {before(i)} into {me(j)}"

    def gradient_meaning(self, key: Key, me: Label, before: Label) -> str:
        """A parameter's gradient from a sample, for its column: 'δ h1 times x2', 'δ h1'."""
        j, i = key
        return f"δ {me(j)}" if i is None else f"δ {me(j)} times {before(i)}"

    def table_headers(self, before: Label) -> list[str]:
        """The table's column heads: the neurons before, whose weights stand under them."""
        return [before(i) for i in range(self.inputs)]

    def row_label(self, j: int, me: Label) -> str:
        """The table's row j: the neuron whose weights it holds."""
        return me(j)

    def incoming(self, j: int) -> list[Key]:
        """The weights into neuron j, in the order of the neurons before they come from: what
        a picture of the neuron draws, one pixel or one link each."""
        return [(j, i) for i in range(self.inputs)]

    def reaches(self, key: Key) -> tuple[int, ...]:
        """The neurons of the layer whose nets a parameter enters: its own neuron's alone (a
        moved parameter changes these nets, and through them everything after)."""
        return (key[0],)

    # The reference.

    def nets(self, a: Sequence[float], w: Sequence[Sequence[float]],
             b: Sequence[float]) -> list[float]:
        """Each neuron's net from the outputs `a` of the layer before: z_j = a_1·w_j1 + a_2·w_j2
        + … + b_j, as `=F3*G3+I3`."""
        later_inputs = range(1, len(a))
        z = []
        for j in range(len(w)):
            w_j = w[j]
            z_j = a[0] * w_j[0]
            for i in later_inputs:
                z_j += a[i] * w_j[i]
            z_j += b[j]
            z.append(z_j)
        return z

    def back(self, w: Sequence[Sequence[float]], delta: Sequence[float],
             a: Sequence[float], z: Sequence[float]) -> list[float]:
        """What each neuron i of the layer before gets back from the layer's δs, Σ_j w_ji·δ_j:
        its own δ once the caller multiplies it by its activation's slope. (The inputs `a`
        and nets `z` do not enter: a pooling layer's route needs them.)"""
        later_neurons, back = range(1, len(delta)), []
        for i in range(len(w[0])):
            back_i = w[0][i] * delta[0]
            for j in later_neurons:
                back_i += w[j][i] * delta[j]
            back.append(back_i)
        return back

    def gradients(self, a: Sequence[Sequence[float]], d: Sequence[Sequence[float]]
                  ) -> tuple[list[list[float]], list[float]]:
        """The mean over a row's passes s of d loss/d w_ji = δ_j·a_i and d loss/d b_j = δ_j,
        from each pass's inputs a[s][i] and δs d[s][j]: the sum over the passes, in their
        order, divided by their number."""
        n = len(a)
        later_passes = range(1, n)
        a_0, d_0, inputs = a[0], d[0], range(len(a[0]))
        w_gradients, b_gradients = [], []
        for j in range(len(d_0)):
            row = []
            for i in inputs:
                g = d_0[j] * a_0[i]
                for s in later_passes:
                    g += d[s][j] * a[s][i]
                row.append(g / n)
            w_gradients.append(row)
            g = d_0[j]
            for s in later_passes:
                g += d[s][j]
            b_gradients.append(g / n)
        return w_gradients, b_gradients

    # The formulas, from cells or expressions: `input_of(i)` the output i of the layer
    # before, `parameter(key)` a parameter's, `delta_of(j)` the δ of the layer's neuron j,
    # `net_of(j)` its net.

    def net_formula(self, j: int, input_of: Callable[[int], str],
                    parameter: Callable[[Key], str]) -> str:
        """Neuron j's net as `nets` computes it, without the `=`: `A3*B3+C3*D3+E3`."""
        terms = [f"{input_of(i)}*{parameter((j, i))}" for i in range(self.inputs)]
        return "+".join(terms) + f"+{parameter((j, None))}"

    def back_formula(self, i: int, parameter: Callable[[Key], str],
                     delta_of: Callable[[int], str], input_of: Callable[[int], str],
                     net_of: Callable[[int], str]) -> str:
        """What neuron i of the layer before gets back, as `back` computes it: `U3*X3+V3*Y3`."""
        return "+".join(f"{parameter((j, i))}*{delta_of(j)}" for j in range(self.outputs))

    def gradient_terms(self, key: Key, input_of: Callable[[int], str],
                       delta_of: Callable[[int], str]) -> list[str]:
        """A parameter's terms of its gradient from one pass, as `gradients` adds them: δ_j·a_i
        for a weight, δ_j for a bias."""
        j, i = key
        return [delta_of(j)] if i is None else [f"{delta_of(j)}*{input_of(i)}"]
