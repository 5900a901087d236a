"""`--layers` as typed: dense sizes, 2,2,1, or a picture's WxH, image layers and dense sizes,
8x8,conv4@3x3,maxpool2,10 (see `stack`)."""

import re

from sheetgen.errors import InputError
from sheetgen.maths.stack import ImageLayer, ImageLayers

LAYER_SYNTAX = ("whole numbers separated by commas, such as 2,2,1, or a picture's WxH first and "
                "then image layers, such as 8x8,conv4@3x3,maxpool2,10 (convF@KxK: F filters "
                "of KxK; maxpoolK or avgpoolK: KxK windows)")


def layer_sizes(value: object) -> tuple[int, ...] | ImageLayers:
    """Dense sizes, 2,2,1, or a picture, image layers and dense sizes, 8x8,conv4@3x3,10."""
    if isinstance(value, ImageLayers):
        return value
    text = value if isinstance(value, str) else ",".join(map(str, value)) \
        if isinstance(value, list | tuple) else repr(value)
    parts = [part.strip().lower() for part in text.split(",")]
    picture = re.fullmatch(r"(\d+)x(\d+)", parts[0])
    if picture:
        return _image_layers(text, tuple(map(int, picture.groups())), parts[1:])
    try:
        sizes = tuple(int(part) for part in parts)
    except ValueError:
        raise InputError(f"must be {LAYER_SYNTAX}, not {text!r}") from None
    if len(sizes) < 2:
        raise InputError(f"needs at least two sizes, the inputs and the outputs, not {text!r}")
    if any(size < 1 for size in sizes):
        raise InputError(f"every layer needs at least 1 neuron, not {text!r}")
    return sizes


def _image_layers(text: str, picture: tuple[int, int], parts: list[str]) -> ImageLayers:
    """The image layers and dense sizes after a picture's WxH."""
    named, dense = [], []
    for part in parts:
        conv = re.fullmatch(r"conv(\d+)@(\d+)x(\d+)", part)
        pool = re.fullmatch(r"(maxpool|avgpool)(\d+)", part)
        if conv and conv[2] != conv[3]:
            raise InputError(f"{part!r}: a kernel is square, KxK, such as conv4@3x3")
        layer = ImageLayer("conv", int(conv[2]), int(conv[1])) if conv else \
            ImageLayer(pool[1], int(pool[2])) if pool else None
        if layer is None and not part.isdigit():
            raise InputError(f"{part!r} is not a layer: must be {LAYER_SYNTAX}")
        if layer is not None and dense:
            raise InputError(f"{part!r} comes after the dense layer {dense[-1]}: image "
                             "layers come first, straight after the picture")
        if layer is None:
            dense.append(int(part))
        else:
            named.append(layer)
    if min(picture) < 1 or any(size < 1 for size in dense) or \
            any(min(layer.size, layer.filters if layer.kind == "conv" else 1) < 1
                for layer in named):
        raise InputError(f"every size must be at least 1, not {text!r}")
    if not dense:
        raise InputError(f"needs the outputs' size last, such as {text},10, not {text!r}")
    return ImageLayers(picture, tuple(named), tuple(dense))
