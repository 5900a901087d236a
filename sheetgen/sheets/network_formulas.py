"""The pieces a network's formulas are made of, shared by its columns (`network_columns`) and
its gradient check (`gradient_check`): sums in the reference's order, and the fields that
feed a neuron."""

from sheetgen.maths.fields import Field, Kind, parameter_field
from sheetgen.maths.shape import Parameter


def mean(terms: list[str], count: int) -> str:
    """=(a+b+…)/count, or =a+b+… for one: the reference divides by 1, which changes no bit."""
    total = "+".join(terms)
    return f"=({total})/{count}" if count > 1 else f"={total}"


def input_of(layer: int, i: int, sample: int) -> Field:
    """The field holding input i of `layer` in a sample's pass: the sample's input, or the
    layer before's output."""
    return Field(Kind.INPUT, sample, 0, i) if layer == 1 else Field(Kind.OUT, sample,
                                                                    layer - 1, i)


def weight_of(layer: int, j: int, i: int) -> Field:
    """The field of the weight into neuron j of `layer` from neuron i of the layer before."""
    return parameter_field(Parameter(layer, j, i))


def bias_of(layer: int, j: int) -> Field:
    return parameter_field(Parameter(layer, j, None))
