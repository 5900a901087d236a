"""A network's shape: its layers, their neurons' labels, its weights and biases, its samples."""

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from sheetgen.maths.dense import Dense
from sheetgen.maths.features import FEATURES


@dataclass(frozen=True)
class Network:
    """The shape: layer sizes from the inputs to the outputs, and each later layer's activation."""

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    outputs: tuple[str, ...] = ()
    """The output neurons' names where they stand for classes (see `classification`);
    empty for o1, o2 …"""
    features: tuple[str, ...] = ()
    """Where the inputs are features of a point of the plane (see `features`), their names,
    one per input; empty where the inputs are the samples' own."""
    input_names: tuple[str, ...] = ()
    """The data's own names for the inputs as typed (a file's header: `sepal length`), one
    per typed input; empty where the data names none."""
    image: tuple[int, int] | None = None
    """(width, height) where the inputs are a picture's pixels, row by row from the top
    left; None where they are not."""

    def __post_init__(self):
        if self.input_names and len(self.input_names) != self.typed_inputs:
            raise ValueError(f"{len(self.input_names)} input names for "
                             f"{self.typed_inputs} inputs")
        if self.image and (self.features or self.image[0] * self.image[1] != self.sizes[0]):
            raise ValueError(f"a {self.image[0]}×{self.image[1]} picture is not the "
                             f"network's {self.sizes[0]} inputs")

    @property
    def typed_inputs(self) -> int:
        """How many inputs a sample has as typed: the point's two coordinates where the
        network takes features of them, else one per input."""
        return 2 if self.features else self.sizes[0]

    def neuron(self, layer: int, j: int) -> str:
        """The neuron's label as headers show it: its class's name for an output that stands
        for one, else its `plain` label."""
        if layer == self.last and self.outputs:
            return self.outputs[j]
        if layer == 0 and self.features:
            return FEATURES[self.features[j]].label
        return self.plain(layer, j)

    def typed_input(self, c: int) -> str:
        """The header of typed input c: x1, x2 …, followed by the data's name for it where
        that says more (`x1 sepal length`, but `x1` for a column named x1)."""
        label = f"x{c + 1}"
        name = self.input_names[c] if self.input_names else ""
        return label if name.casefold() in ("", label) else f"{label} {name}"

    def plain(self, layer: int, j: int) -> str:
        """The neuron's label, fit for a workbook name: x1, x2 … for inputs, o1 … for
        outputs, h1 … for a single hidden layer and h1.1, h2.3 … (layer, neuron) where there
        are several."""
        if layer == 0:
            return FEATURES[self.features[j]].plain.lower() if self.features else f"x{j + 1}"
        if layer == self.last:
            return f"o{j + 1}"
        if len(self.sizes) == 3:
            return f"h{j + 1}"
        return f"h{layer}.{j + 1}"

    @property
    def last(self) -> int:
        """The output layer's number (the inputs are layer 0)."""
        return len(self.sizes) - 1

    @cached_property
    def layers(self) -> tuple[Dense, ...]:
        """The layer records, layers 1 to L (index 0 is layer 1), each from the layer before's
        size to its own: the reference, the sheet and the Notes go through them."""
        return tuple(Dense(before, after) for before, after in zip(self.sizes, self.sizes[1:]))

    @property
    def parameter_count(self) -> int:
        return sum(layer.parameter_count for layer in self.layers)

    def parameters(self) -> list["Parameter"]:
        """Every weight and bias, in a row's order: layer by layer, in its own order (see
        `Dense.parameters`)."""
        return [Parameter(number, *key)
                for number, layer in enumerate(self.layers, start=1)
                for key in layer.parameters()]

    def value(self, parameter: "Parameter", weights: "Weights", biases: "Biases") -> float:
        """A weight's or bias's value among `weights` and `biases`, by its layer's record."""
        number = parameter.layer
        return self.layers[number - 1].value((parameter.neuron, parameter.source),
                                             weights[number - 1], biases[number - 1])

    def weights(self) -> list["Parameter"]:
        """Every weight, without the biases, in a row's order: what the penalties see."""
        return [parameter for parameter in self.parameters() if not parameter.is_bias]


class Parameter(NamedTuple):
    """A weight or a bias: the weight into neuron `neuron` of `layer` from neuron `source` of
    the layer before, or that neuron's bias where `source` is None."""

    layer: int
    neuron: int
    source: int | None

    @property
    def is_bias(self) -> bool:
        return self.source is None


class Sample(NamedTuple):
    inputs: tuple[float, ...]
    targets: tuple[float, ...]


Weights = tuple[tuple[tuple[float, ...], ...], ...]
"""weights[l][j][i]: into neuron j of layer l + 1 from neuron i of layer l (PyTorch's Linear)."""
Biases = tuple[tuple[float, ...], ...]
"""biases[l][j]: of neuron j of layer l + 1."""


def zero_parameters(sizes: tuple[int, ...]) -> tuple[Weights, Biases]:
    """Every weight and bias 0, in the shape of layers of `sizes`: a placeholder where only
    the shape matters."""
    return (tuple(tuple((0.0,) * before for _ in range(after))
                  for before, after in zip(sizes, sizes[1:])),
            tuple((0.0,) * after for after in sizes[1:]))


def weights_of(weights: Weights) -> list[float]:
    """Every weight in the row's order, without the biases: what the penalties add up."""
    return [w for layer in weights for w_j in layer for w in w_j]
