"""The built-in 8×8 handwritten digits: the package's copy of scikit-learn's file (its source
and licence are in `data/digits.md`), read without scikit-learn. Each pixel, a count from 0 to
16, reaches the network divided by 16.
"""

import gzip
from functools import cache
from importlib.resources import files

from sheetgen.errors import InputError
from sheetgen.maths.datasets import DIGIT_CLASSES, balanced_order, class_targets
from sheetgen.maths.shape import Sample

SIDE = 8
"""An image is SIDE × SIDE pixels."""
SHADES = 16
"""The most a pixel counts; the network reads the count over it, from 0 to 1."""


@cache
def images() -> tuple[tuple[tuple[int, ...], int], ...]:
    """Every image: its pixels, row by row from the top left, and its digit."""
    text = gzip.decompress(files("sheetgen.inputs").joinpath("data", "digits.csv.gz")
                           .read_bytes()).decode("ascii")
    rows = (line.split(",") for line in text.splitlines() if line)
    return tuple((tuple(map(int, cells[:-1])), int(cells[-1])) for cells in rows)


def digit_samples(count: int | None, seed: int, low: float = 0.0,
                  test: bool = False) -> tuple[Sample, ...]:
    """`count` images (all, for None) in the seeded order that keeps the digits balanced
    (see `datasets.balanced_order`); with `test`, the `count` images after those, none of
    them a training one. `low` is a digit's absence in the targets."""
    found = images()
    total = len(found)
    count = total if count is None else count
    start = count if test else 0
    if start + count > total:
        raise InputError(f"argument --test: the digits' {total:,} images hold no {count:,} "
                         f"beside the {count:,} training ones; give --samples "
                         f"{total // 2:,} or fewer")
    order = balanced_order(tuple(label for _, label in found), seed)
    return tuple(Sample(tuple(pixel / SHADES for pixel in found[n][0]),
                        class_targets(found[n][1], len(DIGIT_CLASSES), low))
                 for n in order[start:start + count])
