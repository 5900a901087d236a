"""Where a network's samples and starting parameters come from: a built-in data set or a CSV
file of samples; the article's start, a JSON file of weights and biases, or a seed.

Everything read from a file is checked before it reaches a sheet. Anything wrong is refused
with a `DataError` whose message is one line that names the file, the place in it and the
problem, the way the rest of sheetgen fails.
"""

import csv
import io
import json
import math
import random
import re
from itertools import pairwise
from pathlib import Path

from sheetgen.maths.network import Biases, Sample, Weights

LIMIT = 1e6
"""Every sample value and parameter lies within ±LIMIT (the workbook's validation uses the
same bound)."""

MAX_SAMPLES = 1000
"""A data set may have at most this many samples: in a full batch each sample is a column
block of the sheet, and more would not fit."""

RANGE = f"±{LIMIT:,.0f}"


class DataError(ValueError):
    """Bad data, init file or shape; str(error) is ONE line that says exactly what is wrong
    and where (file name, row/line, column), with no traceback-like content."""

    def __init__(self, message: str):
        # A file name or a quoted cell could in principle hold a line break: keep one line.
        super().__init__(" ".join(message.splitlines()))


# The built-in data sets.

def _truth_table(*targets: int) -> tuple[Sample, ...]:
    """A two-input logic gate: its targets for (0,0), (0,1), (1,0) and (1,1), in that order."""
    pairs = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
    return tuple(Sample(pair, (float(target),)) for pair, target in zip(pairs, targets))


BUILT_IN: dict[str, tuple[Sample, ...]] = {
    # The article's one sample: the neuron learns to multiply 0.01 by ten.
    "article": (Sample((0.01,), (0.1,)),),
    "xor": _truth_table(0, 1, 1, 0),
    "and": _truth_table(0, 0, 0, 1),
    "or": _truth_table(0, 1, 1, 1),
    # y = 2x + 1, centred on x = 0 so that a linear neuron at rate 0.1 converges quickly.
    "line": tuple(Sample((x,), (2 * x + 1,)) for x in (-1.0, -0.5, 0.0, 0.5, 1.0)),
}

DEFAULT_LAYERS: dict[str, tuple[int, ...]] = {
    "article": (1, 1),
    "xor": (2, 2, 1),
    "and": (2, 2, 1),
    "or": (2, 2, 1),
    "line": (1, 1),
}


# Reading files.

def _read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (a byte order mark, as Excel writes one, dropped)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"cannot read {path}: there is no such file") from None
    except IsADirectoryError:
        raise DataError(f"cannot read {path}: it is a directory") from None
    except PermissionError:
        raise DataError(f"cannot read {path}: permission denied") from None
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataError(f"{path.name} is not UTF-8 text: line {line} holds the byte "
                        f"0x{data[error.start]:02X}; save it as UTF-8 (in Excel: CSV UTF-8)"
                        ) from None


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _quote(text: str) -> str:
    """Text from a file, shown in a message: quoted, escaped onto one line, and shortened."""
    return json.dumps(_shorten(text), ensure_ascii=False)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


# CSV: a header row, then one sample per row.

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A plain decimal number, "1", "-0.5", ".5", "1e-3". Python's float() takes more (NaN,
infinity, "1_000", digits of other scripts), none of which a sheet should receive."""

_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)


class _Table:
    """A CSV file's rows that are not blank, each with the line it ends on."""

    def __init__(self, path: Path):
        self.name = path.name
        text = _read_text(path)
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[tuple[int, list[str]]] = []
        try:
            for cells in reader:
                cells = [cell.strip() for cell in cells]
                if any(cells):  # an empty line reads as [], a line of commas as ["", ""…]
                    rows.append((reader.line_num, cells))
        except csv.Error as error:
            raise DataError(f"{self.name}, line {reader.line_num}: {error}") from None
        if not rows:
            raise DataError(f"{self.name} is empty")
        (self.header_line, self.header), self.rows = rows[0], rows[1:]
        if all(_NUMBER.fullmatch(cell) for cell in self.header):
            raise DataError(f"{self.name} has no header row: line {self.header_line} holds "
                            "numbers; add a first line naming the columns (like x1,x2,target)")
        if not self.rows:
            raise DataError(f"{self.name} has a header (line {self.header_line}) "
                            "but no data rows")

    @property
    def width(self) -> int:
        return len(self.header)

    def column(self, c: int) -> str:
        """Column c (from 0) in a message: its number from 1 and its name, if it has one."""
        name = self.header[c]
        return f"column {c + 1} ({_quote(name)})" if name else f"column {c + 1}"

    def split(self, inputs: int | None, outputs: int | None) -> tuple[int, int]:
        """How many columns are inputs and how many targets: as given, or (width − 1, 1)."""
        for given in (inputs, outputs):
            if given is not None and given < 1:
                raise DataError(f"a network needs at least 1 input and 1 output, not {given}")
        columns = _count(self.width, "column")
        if inputs is None and outputs is None:
            if self.width < 2:
                raise DataError(f"{self.name} has {columns}; it needs at least 2, the inputs "
                                "then the target, separated by commas")
            return self.width - 1, 1
        if inputs is None:
            if self.width <= outputs:
                raise DataError(f"{self.name} has {columns}; {_count(outputs, 'target')} "
                                "leave none for the inputs")
            return self.width - outputs, outputs
        if outputs is None:
            if self.width <= inputs:
                raise DataError(f"{self.name} has {columns}; {_count(inputs, 'input')} "
                                "leave none for the target")
            return inputs, self.width - inputs
        if inputs + outputs != self.width:
            raise DataError(f"{self.name} has {columns}; --layers {inputs},…,{outputs} needs "
                            f"{_count(inputs, 'input')} and {_count(outputs, 'target')} "
                            f"({inputs + outputs} columns)")
        return inputs, outputs

    def number(self, line: int, c: int, text: str) -> float:
        where = f"{self.name}, line {line}, {self.column(c)}"
        if not text:
            raise DataError(f"{where}: the cell is empty")
        if _NOT_FINITE.fullmatch(text):
            raise DataError(f"{where}: {_quote(text)} is not a finite number "
                            "(NaN and infinity are not allowed)")
        if not _NUMBER.fullmatch(text):
            raise DataError(f"{where}: {_quote(text)} is not a number")
        value = float(text)  # "1e400" gives infinity, which the bound refuses with the text
        if not -LIMIT <= value <= LIMIT:
            raise DataError(f"{where}: {_quote(text)} is outside {RANGE}")
        return value


def read_csv(path: Path, inputs: int | None = None,
             outputs: int | None = None) -> tuple[Sample, ...]:
    """The samples of a CSV file: a header row, then one sample per row, the first `inputs`
    columns its inputs and the last `outputs` its targets.

    Either count may be None: it is then what the row width leaves; with both None the last
    column is the one target. Blank lines, spaces around a cell and a byte order mark are
    ignored.
    """
    table = _Table(Path(path))
    inputs, outputs = table.split(inputs, outputs)
    if len(table.rows) > MAX_SAMPLES:
        raise DataError(f"{table.name} has {len(table.rows):,} samples; at most "
                        f"{MAX_SAMPLES:,} fit in a sheet")
    samples = []
    for line, cells in table.rows:
        if len(cells) != table.width:
            raise DataError(f"{table.name}, line {line} has {_count(len(cells), 'cell')}; "
                            f"the header (line {table.header_line}) has {table.width}")
        values = [table.number(line, c, text) for c, text in enumerate(cells)]
        samples.append(Sample(tuple(values[:inputs]), tuple(values[inputs:])))
    return tuple(samples)


def default_layers_for_csv(path: Path) -> tuple[int, ...]:
    """(columns − 1, 1): all but the last column are inputs, the last the target, and no
    hidden layer."""
    table = _Table(Path(path))
    return table.split(None, None)


# Starting parameters.

def _check_sizes(sizes: tuple[int, ...]) -> None:
    if len(sizes) < 2 or any(not isinstance(n, int) or n < 1 for n in sizes):
        raise DataError(f"a network needs at least two layers (inputs and outputs) of at "
                        f"least 1 neuron each, not {','.join(map(str, sizes)) or 'none'}")


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
                raise DataError(f"{name} has the key {_quote(key)} twice in one object")
            result[key] = value
        return result
    return build


def _keys(found: dict, allowed: tuple[str, ...], where: str) -> None:
    """Refuse unknown keys, a typo's likely sign, and missing ones."""
    listed = " and ".join(f'"{key}"' for key in allowed)
    for key in found:
        if key not in allowed:
            raise DataError(f"{where} has an unknown key {_quote(key)}; "
                            f"it holds only {listed}")
    for key in allowed:
        if key not in found:
            raise DataError(f'{where} has no "{key}"')


def _parameter(value: object, where: str) -> float:
    if isinstance(value, _Literal):
        if value.text in _NOT_FINITE_WORDS:
            raise DataError(f"{where}: {value.text} is not a finite number "
                            "(NaN and infinity are not allowed)")
        raise DataError(f"{where}: {_shorten(value.text)} is outside {RANGE}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        shown = json.dumps(value, ensure_ascii=False, default=lambda literal: literal.text)
        raise DataError(f"{where}: {_shorten(shown)} is not a number")
    if not -LIMIT <= value <= LIMIT:
        raise DataError(f"{where}: {value} is outside {RANGE}")
    return float(value)


_SHAPE = '{"layers": [{"weights": [[…], …], "biases": […]}, …]}'


def read_init(path: Path, sizes: tuple[int, ...]) -> tuple[Weights, Biases]:
    """Starting weights and biases from a JSON file shaped like
    {"layers": [{"weights": [[…], …], "biases": […]}, …]}: one entry per layer after the
    inputs, weights[j][i] the weight into neuron j of that layer from neuron i of the layer
    before (PyTorch's Linear convention), biases[j] neuron j's bias.
    """
    path = Path(path)
    name = path.name
    _check_sizes(sizes)
    shape = "--layers " + ",".join(map(str, sizes))
    text = _read_text(path)
    if not text.strip():
        raise DataError(f"{name} is empty")
    try:
        document = json.loads(text, parse_float=_parse_float, parse_int=_parse_int,
                              parse_constant=_Literal, object_pairs_hook=_object(name))
    except json.JSONDecodeError as error:
        raise DataError(f"{name} is not valid JSON: {error.msg} at line {error.lineno}, "
                        f"column {error.colno}") from None
    if not isinstance(document, dict):
        raise DataError(f"{name} is not a JSON object; it must be shaped like {_SHAPE}")
    _keys(document, ("layers",), name)
    layers = document["layers"]
    if not isinstance(layers, list):
        raise DataError(f'"layers" in {name} is not a list; it must be shaped like {_SHAPE}')
    if len(layers) != len(sizes) - 1:
        raise DataError(f"{name} has {_count(len(layers), 'layer')}; {shape} needs "
                        f"{len(sizes) - 1} (one per layer after the inputs)")
    weights, biases = [], []
    for number, layer in enumerate(layers, start=1):
        before, after = sizes[number - 1], sizes[number]
        where = f"layer {number} of {name}"
        if not isinstance(layer, dict):
            raise DataError(f'{where} is not an object with "weights" and "biases"')
        _keys(layer, ("weights", "biases"), where)
        rows, layer_biases = layer["weights"], layer["biases"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise DataError(f'{where}: "weights" is not a list of rows (lists of numbers), '
                            "one per neuron")
        if len(rows) != after:
            raise DataError(f"{where} has {_count(len(rows), 'row')} of weights; {shape} "
                            f"needs {after} (one per neuron), each of {before}")
        for j, row in enumerate(rows):
            if len(row) != before:
                raise DataError(f"{where}: weights[{j}] has {_count(len(row), 'number')}; "
                                f"{shape} needs {before} (one per neuron of layer {number - 1})")
        if not isinstance(layer_biases, list):
            raise DataError(f'{where}: "biases" is not a list of numbers, one per neuron')
        if len(layer_biases) != after:
            count = len(layer_biases)
            raise DataError(f"{where} has {count} bias{'' if count == 1 else 'es'}; {shape} "
                            f"needs {after} (one per neuron)")
        weights.append(tuple(
            tuple(_parameter(w, f"{where}, weights[{j}][{i}]") for i, w in enumerate(row))
            for j, row in enumerate(rows)))
        biases.append(tuple(_parameter(b, f"{where}, biases[{j}]")
                            for j, b in enumerate(layer_biases)))
    return tuple(weights), tuple(biases)


def _hundredths(rng: random.Random, bound: int) -> float:
    """One of −bound/100 … bound/100 in steps of 0.01, each as likely."""
    choices = 2 * bound + 1
    # min(): random() * choices can round up to choices itself for random() just below 1.
    return (min(int(rng.random() * choices), choices - 1) - bound) / 100


def seeded(sizes: tuple[int, ...], seed: int) -> tuple[Weights, Biases]:
    """Random starting weights and biases, the same for a seed on every machine.

    Each is uniform in ±1/√fan_in (PyTorch's Linear default) and has two decimal places, a
    number a class can read and type: it is drawn uniformly from the hundredths within the
    bound, so that rounding never carries it past the bound. The draws go layer by layer, for
    each neuron its weights then its bias, and use only `Random.random()`, the one method whose
    sequence for a seed Python promises never to change.
    """
    _check_sizes(sizes)
    rng = random.Random(seed)
    weights, biases = [], []
    for before, after in pairwise(sizes):
        # The largest k with k/100 ≤ 1/√before, in integers: k² · before ≤ 100².
        bound = math.isqrt(10_000 // before)
        layer_weights, layer_biases = [], []
        for _ in range(after):
            layer_weights.append(tuple(_hundredths(rng, bound) for _ in range(before)))
            layer_biases.append(_hundredths(rng, bound))
        weights.append(tuple(layer_weights))
        biases.append(tuple(layer_biases))
    return tuple(weights), tuple(biases)


def article_start(sizes: tuple[int, ...], data_name: str) -> tuple[Weights, Biases] | None:
    """The article's weight and bias, 0.5 and 0.5, for its own network on its own sample;
    None for any other network or data, which start from a seed or a file instead."""
    if data_name == "article" and tuple(sizes) == (1, 1):
        return (((0.5,),),), ((0.5,),)
    return None
