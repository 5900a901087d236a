"""Standardising a network's inputs: each input column's mean and standard deviation over the
samples, and each input as (x − mean) / deviation, computed in the order the Data sheet's
formulas compute them (sums term by term, left to right).

Inputs on very different scales (the iris flowers' petal widths of a few tenths beside sepal
lengths of several centimetres) make one learning rate too large for some weights and too
small for others; standardised, every input has mean 0 and standard deviation 1. The
deviation is the population's, over n, as scikit-learn's StandardScaler takes it.
"""

import math
from collections.abc import Sequence
from functools import reduce
from operator import add
from typing import NamedTuple

from sheetgen.maths.shape import Network, Sample


class Scaling(NamedTuple):
    means: tuple[float, ...]
    deviations: tuple[float, ...]


def scaling_of(samples: Sequence[Sample]) -> Scaling:
    """Each input's mean, (x₁ + … + xₙ)/n, and deviation, √(((x₁ − m)² + … )/n)."""
    n, means, deviations = len(samples), [], []
    for column in zip(*(sample.inputs for sample in samples)):
        mean = reduce(add, column) / n
        means.append(mean)
        deviations.append(math.sqrt(reduce(add, [(x - mean) ** 2 for x in column]) / n))
    return Scaling(tuple(means), tuple(deviations))


def refusal(network: Network, samples: Sequence[Sample]) -> str | None:
    """Why the samples' inputs cannot be standardised, in one line: an input that is the same
    in every sample, whose deviation is 0; None where they can."""
    columns = zip(*(sample.inputs for sample in samples))
    # The same value throughout, not a deviation of 0: rounding in the mean can leave a
    # constant column a deviation of 1e-17, which would blow it up to ±1.
    flat = next((i for i, column in enumerate(columns) if len(set(column)) == 1), None)
    if flat is None:
        return None
    return (f"--standardize divides each input by its standard deviation, and input "
            f"{network.neuron(0, flat)} is the same in every sample")


def standardized(samples: Sequence[Sample], scaling: Scaling) -> tuple[Sample, ...]:
    """The samples with each input as (x − mean) / deviation, their targets as they are."""
    return tuple(Sample(tuple((x - m) / d for x, m, d in zip(sample.inputs, *scaling)),
                        sample.targets) for sample in samples)
