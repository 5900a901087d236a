"""Starting weights and biases from a JSON file, or from the same structure given in Python:
{"layers": [{"weights": [[…], …], "biases": […]}, …]}. Everything is checked against the
network's shape, and anything wrong is refused with an `InputError` that names the place in
the file and the problem.
"""

import json
import math
from itertools import pairwise
from pathlib import Path

from sheetgen.errors import InputError
from sheetgen.inputs.text import RANGE, count, quote, read_text, shorten
from sheetgen.maths.conv import Conv
from sheetgen.maths.datasets import LIMIT, check_sizes
from sheetgen.maths.shape import Biases, Weights


class _Literal:
    """A number json would turn into something a sheet cannot hold: its text, to refuse it
    by name. NaN and Infinity (json accepts them), and numbers too large for a double."""

    def __init__(self, text: str):
        self.text = text


_NOT_FINITE_WORDS = ("NaN", "Infinity", "-Infinity")


def _parse_float(text: str) -> float | _Literal:
    value = float(text)
    return value if math.isfinite(value) else _Literal(text)


def _parse_int(text: str) -> int | _Literal:
    # Python refuses to convert integers of more than 4,300 digits; all beyond ±LIMIT anyway.
    return int(text) if len(text) <= 20 else _Literal(text)


def _object(name: str):
    """json's object hook: a dict, refusing a key given twice (json keeps the last one)."""
    def build(pairs: list[tuple[str, object]]) -> dict:
        result = {}
        for key, value in pairs:
            if key in result:
                raise InputError(f"{name} has the key {quote(key)} twice in one object")
            result[key] = value
        return result
    return build


def _keys(found: dict, allowed: tuple[str, ...], where: str) -> None:
    """Refuse unknown keys, a typo's likely sign, and missing ones."""
    listed = " and ".join(f'"{key}"' for key in allowed)
    for key in found:
        if key not in allowed:
            raise InputError(f"{where} has an unknown key {quote(str(key))}; "
                             f"it holds only {listed}")
    for key in allowed:
        if key not in found:
            raise InputError(f'{where} has no "{key}"')


def _parameter(value: object, where: str) -> float:
    if isinstance(value, _Literal):
        if value.text in _NOT_FINITE_WORDS:
            raise InputError(f"{where}: {value.text} is not a finite number "
                             "(NaN and infinity are not allowed)")
        raise InputError(f"{where}: {shorten(value.text)} is outside {RANGE}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        # A Literal inside a list, or, given in Python, any object at all.
        shown = json.dumps(value, ensure_ascii=False,
                           default=lambda other: getattr(other, "text", repr(other)))
        raise InputError(f"{where}: {shorten(shown)} is not a number")
    if isinstance(value, float) and not math.isfinite(value):   # given in Python
        raise InputError(f"{where}: {value} is not a finite number "
                         "(NaN and infinity are not allowed)")
    if not -LIMIT <= value <= LIMIT:
        raise InputError(f"{where}: {value} is outside {RANGE}")
    return float(value)


_LISTS = (list, tuple)
"""A JSON file's lists are lists; in Python a tuple will do as well."""

_SHAPE = '{"layers": [{"weights": [[…], …], "biases": […]}, …]}'


def read_init(path: Path, sizes: tuple[int, ...], stack: tuple = (),
              shape: str = "") -> tuple[Weights, Biases]:
    """Starting weights and biases from a JSON file shaped like
    {"layers": [{"weights": [[…], …], "biases": […]}, …]}: one entry per layer after the
    inputs, weights[j][i] the weight into neuron j of that layer from neuron i of the layer
    before (PyTorch's Linear convention), biases[j] neuron j's bias. Where the network's
    first layers are image layers (`stack`, as `--layers` `shape` names them), a
    convolution's entry is {"kernels": [[[[…]]]], "biases": […]}, kernels[f][c][r][s] as
    PyTorch's Conv2d holds them, and a pooling layer, which has no parameters, has none.
    """
    path = Path(path)
    name = path.name
    check_sizes(sizes)
    text = read_text(path)
    if not text.strip():
        raise InputError(f"{name} is empty")
    try:
        document = json.loads(text, parse_float=_parse_float, parse_int=_parse_int,
                              parse_constant=_Literal, object_pairs_hook=_object(name))
    except json.JSONDecodeError as error:
        raise InputError(f"{name} is not valid JSON: {error.msg} at line {error.lineno}, "
                         f"column {error.colno}") from None
    return init_from(document, name, sizes, stack, shape)


def init_from(document: object, name: str, sizes: tuple[int, ...], stack: tuple = (),
              shape: str = "") -> tuple[Weights, Biases]:
    """The starting weights and biases of a document shaped as `read_init` says, read from a
    file or given in Python (where lists may be tuples too); `name` is the document in
    messages."""
    if stack:
        return _stacked(document, name, sizes, stack, shape)
    check_sizes(sizes)
    if not isinstance(document, dict):
        raise InputError(f"{name} is not a JSON object; it must be shaped like {_SHAPE}")
    _keys(document, ("layers",), name)
    layers = document["layers"]
    if not isinstance(layers, _LISTS):
        raise InputError(f'"layers" in {name} is not a list; it must be shaped like {_SHAPE}')
    if len(layers) != len(sizes) - 1:
        raise InputError(f"{name} has {count(len(layers), 'layer')}; {_shape(sizes)} needs "
                         f"{len(sizes) - 1} (one per layer after the inputs)")
    read = [_layer(layer, number, name, sizes[number - 1:number + 1], _shape(sizes))
            for number, layer in enumerate(layers, start=1)]
    return tuple(weights for weights, _ in read), tuple(biases for _, biases in read)


def _shape(sizes: tuple[int, ...]) -> str:
    return "--layers " + ",".join(map(str, sizes))


def _layer(layer: object, number: int, name: str, sizes: tuple[int, int], shape: str):
    """Layer `number`'s weights and biases (from 1, the first after the inputs), from
    `sizes`, its inputs' and its own."""
    before, after = sizes
    where = f"layer {number} of {name}"
    if not isinstance(layer, dict):
        raise InputError(f'{where} is not an object with "weights" and "biases"')
    _keys(layer, ("weights", "biases"), where)
    rows, biases = layer["weights"], layer["biases"]
    if not isinstance(rows, _LISTS) or not all(isinstance(row, _LISTS) for row in rows):
        raise InputError(f'{where}: "weights" is not a list of rows (lists of numbers), '
                         "one per neuron")
    if len(rows) != after:
        raise InputError(f"{where} has {count(len(rows), 'row')} of weights; {shape} "
                         f"needs {after} (one per neuron), each of {before}")
    for j, row in enumerate(rows):
        if len(row) != before:
            raise InputError(f"{where}: weights[{j}] has {count(len(row), 'number')}; "
                             f"{shape} needs {before} (one per neuron of layer {number - 1})")
    if not isinstance(biases, _LISTS):
        raise InputError(f'{where}: "biases" is not a list of numbers, one per neuron')
    if len(biases) != after:
        given = len(biases)
        raise InputError(f"{where} has {given} bias{'' if given == 1 else 'es'}; {shape} "
                         f"needs {after} (one per neuron)")
    return (tuple(tuple(_parameter(w, f"{where}, weights[{j}][{i}]") for i, w in enumerate(row))
                  for j, row in enumerate(rows)),
            tuple(_parameter(b, f"{where}, biases[{j}]") for j, b in enumerate(biases)))


def _stacked(document: object, name: str, sizes: tuple[int, ...], stack: tuple,
             shape: str) -> tuple[Weights, Biases]:
    """The start of a network whose first layers are image layers: an entry per layer with
    parameters, a convolution's kernels or a dense layer's weights, each with its biases, in
    order; a pooling layer has none, and keeps an empty table."""
    if not isinstance(document, dict):
        raise InputError(f"{name} is not a JSON object; it must be shaped like {_SHAPE}")
    _keys(document, ("layers",), name)
    entries = document["layers"]
    # Each layer: a convolution, a pooling (None: no entry) or a dense layer's two sizes.
    layers = [layer if layer.rows else None for layer in stack] + list(
        pairwise(sizes[len(stack):]))
    owners = [layer for layer in layers if layer is not None]
    if not isinstance(entries, _LISTS) or len(entries) != len(owners):
        given = count(len(entries), "layer") if isinstance(entries, _LISTS) else "no list"
        raise InputError(f'{name} has {given} in "layers"; --layers {shape} needs '
                         f"{len(owners)} (one per convolution and dense layer)")
    tables, entry = [], iter(enumerate(entries, start=1))
    for layer in layers:
        if layer is None:
            tables.append(((), ()))
            continue
        number, given = next(entry)
        read = _kernels if isinstance(layer, Conv) else _layer
        tables.append(read(given, number, name, layer, shape))
    return tuple(w for w, _ in tables), tuple(b for _, b in tables)


def _kernels(layer: object, number: int, name: str, conv: Conv, shape: str):
    """A convolution's kernels[f][c][r][s] and biases[f], as its table: a row per filter,
    its kernel flattened channel, row, column (see `conv`)."""
    where = f"layer {number} of {name}"
    if not isinstance(layer, dict):
        raise InputError(f'{where} is not an object with "kernels" and "biases"')
    _keys(layer, ("kernels", "biases"), where)
    kernels, biases = layer["kernels"], layer["biases"]
    k = conv.size
    wanted = f"{conv.filters} filters × {conv.channels} channel(s) × {k}×{k}"
    flat = _nested(kernels, (conv.filters, conv.channels, k, k))
    if flat is None:
        raise InputError(f'{where}: "kernels" is not {wanted} numbers, as --layers '
                         f"{shape} needs (kernels[filter][channel][row][column])")
    rows = [tuple(_parameter(value, f"{where}, kernels[{f}]")
                  for value in flat[f * conv.columns:(f + 1) * conv.columns])
            for f in range(conv.filters)]
    if not isinstance(biases, _LISTS) or len(biases) != conv.filters:
        raise InputError(f'{where}: "biases" is not a list of {conv.filters} numbers, one '
                         "per filter")
    return tuple(rows), tuple(_parameter(b, f"{where}, biases[{f}]")
                              for f, b in enumerate(biases))


def _nested(value: object, shape: tuple[int, ...]) -> list | None:
    """The numbers of nested lists of exactly `shape`, flattened in order; None otherwise."""
    if not shape:
        return [value]
    if not isinstance(value, _LISTS) or len(value) != shape[0]:
        return None
    parts = [_nested(part, shape[1:]) for part in value]
    return None if None in parts else [number for part in parts for number in part]
