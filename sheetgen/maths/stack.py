"""The image layers of a network, as `--layers 8x8,conv4@3x3,maxpool2,10` names them: the
picture's maps passed from one convolution or pooling layer to the next, each layer's record
built from the maps of the one before."""

from typing import NamedTuple

from sheetgen.maths.conv import Conv
from sheetgen.maths.dense import Dense
from sheetgen.maths.pool import Pool


Layer = Dense | Conv | Pool
"""A layer's record: what the reference, the sheet and the Notes read of it."""


class ImageLayer(NamedTuple):
    """A named image layer before its input is known: `conv` with its filters and kernel
    size, or `maxpool` / `avgpool` with its window's size."""

    kind: str
    size: int
    filters: int = 0

    def __str__(self) -> str:
        if self.kind == "conv":
            return f"conv{self.filters}@{self.size}x{self.size}"
        return f"{self.kind}{self.size}"


class ImageLayers(NamedTuple):
    """`--layers` naming a picture and image layers: its (width, height), the image layers
    in order, then the dense layers' sizes."""

    picture: tuple[int, int]
    named: tuple[ImageLayer, ...]
    dense: tuple[int, ...]

    def __str__(self) -> str:
        return ",".join([f"{self.picture[0]}x{self.picture[1]}", *map(str, self.named),
                         *map(str, self.dense)])

    @property
    def pixels(self) -> int:
        """The picture's pixels: the inputs."""
        return self.picture[0] * self.picture[1]

    def built(self) -> tuple[tuple[int, ...], tuple[Conv | Pool, ...]]:
        """Every layer's size, the pixels' to the outputs', and the image layers' records
        (see `stacked`, whose ValueError it passes on)."""
        stack = stacked(self.picture, self.named)
        return (self.pixels, *(layer.outputs for layer in stack), *self.dense), stack


def stacked(picture: tuple[int, int], named: tuple[ImageLayer, ...]
            ) -> tuple[Conv | Pool, ...]:
    """The records of the `named` image layers over a picture of (width, height) pixels, one
    channel; refuses, with a ValueError, a kernel larger than its input or a pool that does
    not divide its map."""
    maps = (1, picture[1], picture[0])
    convolutions = sum(layer.kind == "conv" for layer in named)
    poolings = len(named) - convolutions
    records, seen = [], {"conv": 0, "pool": 0}
    for layer in named:
        family = "conv" if layer.kind == "conv" else "pool"
        seen[family] += 1
        several = (convolutions if family == "conv" else poolings) > 1
        number = seen[family] if several else None
        if family == "conv":
            record = Conv(*maps, layer.filters, layer.size, number)
        else:
            record = Pool(*maps, layer.size, layer.kind == "avgpool", number)
        records.append(record)
        maps = record.maps
    return tuple(records)
