"""A network's shape: its layers, their neurons' labels, its weights and biases, its samples."""

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from sheetgen.maths.conv import Conv
from sheetgen.maths.dense import Dense, Label
from sheetgen.maths.features import FEATURES
from sheetgen.maths.pool import Pool
from sheetgen.maths.stack import Layer


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
    stack: tuple[Conv | Pool, ...] = ()
    """The image layers straight after the picture, convolutions and poolings (see `stack`),
    whose sizes are their values' counts; the layers after them are dense."""

    def __post_init__(self):
        if self.input_names and len(self.input_names) != self.typed_inputs:
            raise ValueError(f"{len(self.input_names)} input names for "
                             f"{self.typed_inputs} inputs")
        if self.image and (self.features or self.image[0] * self.image[1] != self.sizes[0]):
            raise ValueError(f"a {self.image[0]}×{self.image[1]} picture is not the "
                             f"network's {self.sizes[0]} inputs")
        if self.stack and (self.image is None or tuple(
                layer.outputs for layer in self.stack) != self.sizes[1:len(self.stack) + 1]):
            raise ValueError("image layers need a picture, and the sizes of their values")

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
        if 0 < layer <= len(self.stack):
            return self.stack[layer - 1].neuron(j)
        return self.plain(layer, j)

    def labels(self, layer: int, plain: bool = False) -> tuple[Label, Label]:
        """The labels of `layer`'s neurons and of the layer before's, by number: what its
        record names its parameters from (`plain` for workbook names)."""
        label = self.plain if plain else self.neuron
        return (lambda j: label(layer, j)), (lambda i: label(layer - 1, i))

    def parameter_words(self, words: str, parameter: "Parameter", plain: bool = False) -> str:
        """What its layer's record says of a parameter (`words` names the record's method:
        parameter_label, parameter_header, parameter_name, parameter_meaning,
        gradient_meaning)."""
        record = self.layers[parameter.layer - 1]
        return getattr(record, words)(parameter.key, *self.labels(parameter.layer, plain))

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
        if layer <= len(self.stack):
            return self.stack[layer - 1].plain_neuron(j)
        if layer == self.last:
            return f"o{j + 1}"
        if len(self.sizes) - len(self.stack) == 3:
            return f"h{j + 1}"
        return f"h{layer - len(self.stack)}.{j + 1}"

    @property
    def layers_text(self) -> str:
        """The layers as `--layers` names them: 2,2,1, or 8x8,conv4@3x3,maxpool2,10."""
        if not self.stack:
            return ",".join(map(str, self.sizes))
        return ",".join([f"{self.image[0]}x{self.image[1]}", *map(str, self.stack),
                         *map(str, self.sizes[len(self.stack) + 1:])])

    @property
    def activations_text(self) -> str:
        """The activations as `--activation` names them: one per layer that has one (a
        pooling layer has none)."""
        return ",".join(name for name, layer in zip(self.activations, self.layers)
                        if layer.activated)

    @property
    def last(self) -> int:
        """The output layer's number (the inputs are layer 0)."""
        return len(self.sizes) - 1

    @cached_property
    def layers(self) -> tuple[Layer, ...]:
        """The layer records, layers 1 to L (index 0 is layer 1), each from the layer before's
        size to its own: the reference, the sheet and the Notes go through them."""
        dense = self.sizes[len(self.stack):]
        return self.stack + tuple(Dense(before, after)
                                  for before, after in zip(dense, dense[1:]))

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
        return self.layers[number - 1].value(parameter.key, weights[number - 1],
                                             biases[number - 1])

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

    @property
    def key(self) -> tuple[int, int | None]:
        """Its key in its layer's record (see `parameter_table`)."""
        return self.neuron, self.source


class Sample(NamedTuple):
    inputs: tuple[float, ...]
    targets: tuple[float, ...]


Weights = tuple[tuple[tuple[float, ...], ...], ...]
"""weights[l][j][i]: into neuron j of layer l + 1 from neuron i of layer l (PyTorch's Linear)."""
Biases = tuple[tuple[float, ...], ...]
"""biases[l][j]: of neuron j of layer l + 1."""


def zero_parameters(network: Network) -> tuple[Weights, Biases]:
    """Every weight and bias 0, in the network's shape: a placeholder where only the shape
    matters."""
    zeros = [layer.zeros() for layer in network.layers]
    return tuple(w for w, _ in zeros), tuple(b for _, b in zeros)


def weights_of(weights: Weights) -> list[float]:
    """Every weight in the row's order, without the biases: what the penalties add up."""
    return [w for layer in weights for w_j in layer for w in w_j]
