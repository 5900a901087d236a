"""Samples given in Python, as a list of (inputs, targets) pairs, each a sequence of numbers or
a single number: `[((0, 0), 0), ((0, 1), 1), …]`. Checked as a CSV file's are."""

import math
from collections.abc import Sequence
from numbers import Real

from sheetgen.errors import InputError
from sheetgen.inputs.text import RANGE, count
from sheetgen.maths.datasets import LIMIT, MAX_SAMPLES
from sheetgen.maths.shape import Sample


def samples_from_pairs(pairs: object) -> tuple[Sample, ...]:
    """The samples of a sequence of (inputs, targets) pairs, every pair as wide as the first."""
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Sequence):
        raise InputError(f"must be a data set's name, a .csv or .xlsx file or a list of "
                         f"(inputs, targets) pairs, not {pairs!r}")
    if not 1 <= len(pairs) <= MAX_SAMPLES:
        raise InputError(f"has {count(len(pairs), 'pair')}; a data set needs from 1 to "
                         f"{MAX_SAMPLES:,} samples")
    samples = tuple(_sample(pair, number) for number, pair in enumerate(pairs, start=1))
    first = samples[0]
    for number, sample in enumerate(samples, start=1):
        for part, mine, theirs in (("inputs", sample.inputs, first.inputs),
                                   ("targets", sample.targets, first.targets)):
            if len(mine) != len(theirs):
                raise InputError(f"pair {number} has {count(len(mine), 'number')} of "
                                 f"{part}; pair 1 has {len(theirs)}")
    return samples


def _sample(pair: object, number: int) -> Sample:
    if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise InputError(f"pair {number} is not (inputs, targets): {pair!r}")
    return Sample(*(_numbers(part, f"pair {number}'s {name}")
                    for part, name in zip(pair, ("inputs", "targets"))))


def _numbers(part: object, where: str) -> tuple[float, ...]:
    """A number, or a sequence of at least one, each finite and within ±LIMIT."""
    values = part if isinstance(part, Sequence) and not isinstance(part, str | bytes) \
        else (part,)
    if not values:
        raise InputError(f"{where} are empty")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, Real):
            raise InputError(f"{where}: {value!r} is not a number")
        if not math.isfinite(value):
            raise InputError(f"{where}: {value!r} is not a finite number "
                             "(NaN and infinity are not allowed)")
        if not -LIMIT <= value <= LIMIT:
            raise InputError(f"{where}: {value!r} is outside {RANGE}")
    return tuple(float(value) for value in values)
