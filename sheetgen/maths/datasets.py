"""Where a network's samples and starting parameters come from, without reading files: the
built-in data sets (iris's values in `iris.py`) and one-hot targets of class labels; the
article's start, or a seed. (`sheetgen.inputs` reads CSV and .xlsx files of samples and JSON
files of weights and biases.)
"""

import math
import random
from itertools import pairwise

from sheetgen.errors import InputError
from sheetgen.maths import iris, playground
from sheetgen.maths.shape import Biases, Sample, Weights

LIMIT = 1e6
"""Every sample value and parameter lies within ±LIMIT (the workbook's validation uses the
same bound)."""

MAX_SAMPLES = 2000
"""A data set may have at most this many samples, a row each on the Data sheet: all 1,797
digits fit. (In a full batch each sample is also a column block of the Training sheet, which
`sheets.fit` counts before anything is written.)"""


# The built-in data sets.

def class_targets(number: int, outputs: int, low: float = 0.0) -> tuple[float, ...]:
    """The targets of a sample of class `number` (from 0): one-hot, 1.0 at its class and
    `low` elsewhere; with one output (and two classes), `low` for the first class and 1.0 for
    the second. `low` is the bottom of the output's range: 0, or −1 for tanh's."""
    if outputs == 1:
        return (1.0 if number else low,)
    return tuple(1.0 if k == number else low for k in range(outputs))


def _truth_table(*targets: int) -> tuple[Sample, ...]:
    """A two-input logic gate: its targets for (0,0), (0,1), (1,0) and (1,1), in that order."""
    pairs = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
    return tuple(Sample(pair, (float(target),)) for pair, target in zip(pairs, targets))


def plane_samples(name: str, count: int, noise_percent: float, seed: int, outputs: int,
                  low: float = 0.0, test: bool = False) -> tuple[Sample, ...]:
    """The samples of one of the Playground's sets of the plane (see `playground`): the two
    coordinates, and the class's targets, with `low` for a class's absence (−1 where the
    output is tanh's); a test set's with `test`."""
    return tuple(Sample((x, y), class_targets(label, outputs, low))
                 for x, y, label in playground.points(name, count, noise_percent, seed, test))


BUILT_IN: dict[str, tuple[Sample, ...]] = {
    # The article's one sample: the neuron learns to multiply 0.01 by ten.
    "article": (Sample((0.01,), (0.1,)),),
    "xor": _truth_table(0, 1, 1, 0),
    "and": _truth_table(0, 0, 0, 1),
    "or": _truth_table(0, 1, 1, 1),
    # y = 2x + 1, centred on x = 0 so that a linear neuron at rate 0.1 converges quickly.
    "line": tuple(Sample((x,), (2 * x + 1,)) for x in (-1.0, -0.5, 0.0, 0.5, 1.0)),
    # Fisher's 150 flowers: four measurements, and the species one-hot.
    "iris": tuple(Sample(flower[:4], class_targets(flower[4], len(iris.SPECIES)))
                  for flower in iris.FLOWERS),
}

DIGITS = "digits"
"""The 8×8 handwritten digits, which `sheetgen.inputs.digits` reads from the package's file."""
DIGIT_CLASSES = tuple("0123456789")

NAMES = (*BUILT_IN, DIGITS, *playground.PLANE_SETS)
"""Every built-in set: the fixed ones, the digits, then the Playground's sets of the plane,
which are drawn from a seed."""

DRAWN = (DIGITS, *playground.PLANE_SETS)
"""The sets whose samples are drawn for a seed, as many as --samples says."""

CLASSES: dict[str, tuple[str, ...]] = {"iris": iris.SPECIES, DIGITS: DIGIT_CLASSES,
                                       **dict.fromkeys(playground.PLANE_SETS, playground.CLASSES)}
"""The names of the classes of the sets whose targets are class labels, in the order of their
one-hot targets."""

DEFAULT_LAYERS: dict[str, tuple[int, ...]] = {
    "article": (1, 1),
    "xor": (2, 2, 1),
    "and": (2, 2, 1),
    "or": (2, 2, 1),
    "line": (1, 1),
    "iris": (4, 3),
    DIGITS: (64, 10),
    **dict.fromkeys(playground.PLANE_SETS, (2, 1)),
}


# Starting parameters.

def check_sizes(sizes: tuple[int, ...]) -> None:
    if len(sizes) < 2 or any(not isinstance(n, int) or n < 1 for n in sizes):
        raise InputError(f"a network needs at least two layers (inputs and outputs) of at "
                         f"least 1 neuron each, not {','.join(map(str, sizes)) or 'none'}")


def _hundredths(rng: random.Random, bound: int) -> float:
    """One of −bound/100 … bound/100 in steps of 0.01, each as likely."""
    choices = 2 * bound + 1
    # min(): random() * choices can round up to choices itself for random() just below 1.
    return (min(int(rng.random() * choices), choices - 1) - bound) / 100


MOST_ORDERS = 100
"""Shuffled samples take an order for each epoch up to this many, then use them again in
turn: a table of them stays a few columns wide on the Data sheet however long the run."""


def held_out(samples: int, fraction: float, seed: int) -> tuple[int, ...]:
    """Which samples (numbered from 1, in order) a share `fraction` of them, rounded up as
    scikit-learn's train_test_split rounds it, holds out for testing: a seeded random choice,
    the same for a seed on every machine (a Fisher–Yates shuffle with `Random.random()`, the
    first ones chosen), from a generator of its own."""
    order = _shuffled(random.Random(f"sheetgen test {seed}"), samples)
    # Rounded first, so that 0.7 of 10 holds out 7, not the 8 of 7.000000000000001 rounded up.
    return tuple(sorted(order[:math.ceil(round(fraction * samples, 9))]))


def shuffled_orders(samples: int, epochs: int, seed: int) -> tuple[tuple[int, ...], ...]:
    """An order of the samples (numbered from 1) for each of `epochs` epochs, at most
    `MOST_ORDERS`, the same for a seed on every machine. Each is a Fisher–Yates shuffle
    drawn with `Random.random()` alone (whose sequence for a seed Python promises never to
    change), from a generator of its own, so that the initial weights stay those of the
    seed."""
    rng = random.Random(f"sheetgen orders {seed}")
    return tuple(_shuffled(rng, samples) for _ in range(min(epochs, MOST_ORDERS)))


def balanced_order(labels: tuple[int, ...], seed: int) -> tuple[int, ...]:
    """Every sample's number (from 0) in an order that keeps the classes balanced: each
    class's samples shuffled for the seed, then dealt out in turn, one of each class (in the
    classes' order) while any is left. So the first N of it are a seeded subset of N whose
    classes' counts differ by at most one, wherever a class runs short, and the next N are N
    more, none of them the first ones."""
    rng = random.Random(f"sheetgen balanced {seed}")
    classes = sorted(set(labels))
    members = [[n for n, label in enumerate(labels) if label == k] for k in classes]
    shuffled = [[group[i - 1] for i in _shuffled(rng, len(group))] for group in members]
    longest = max(map(len, shuffled))
    return tuple(group[turn] for turn in range(longest) for group in shuffled
                 if turn < len(group))


def _shuffled(rng: random.Random, samples: int) -> tuple[int, ...]:
    """1 to `samples` in a Fisher–Yates shuffle drawn with `rng.random()` alone."""
    order = list(range(1, samples + 1))
    for i in range(samples - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return tuple(order)


def seeded(sizes: tuple[int, ...], seed: int) -> tuple[Weights, Biases]:
    """Random starting weights and biases, the same for a seed on every machine.

    Each is uniform in ±1/√fan_in (PyTorch's Linear default) and has two decimal places, a
    number a class can read and type: it is drawn uniformly from the hundredths within the
    bound, so that rounding never carries it past the bound. The draws go layer by layer, for
    each neuron its weights then its bias, and use only `Random.random()`, the one method whose
    sequence for a seed Python promises never to change.
    """
    check_sizes(sizes)
    return seeded_tables([(after, before) for before, after in pairwise(sizes)], seed)


def seeded_tables(tables: list[tuple[int, int]], seed: int) -> tuple[Weights, Biases]:
    """`seeded`'s draws for layers of any kind, each a table of (rows, columns): a dense
    layer's a row per neuron and a column per input, a convolution's a row per filter and a
    column per kernel cell (its fan-in, as PyTorch's Conv2d bounds it), a pooling layer's
    none."""
    rng = random.Random(seed)
    weights, biases = [], []
    for rows, columns in tables:
        # The largest k with k/100 ≤ 1/√columns, in integers: k² · columns ≤ 100².
        bound = math.isqrt(10_000 // columns) if columns else 0
        layer_weights, layer_biases = [], []
        for _ in range(rows):
            layer_weights.append(tuple(_hundredths(rng, bound) for _ in range(columns)))
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
