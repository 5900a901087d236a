"""The TensorFlow Playground's data sets of the plane, generated as its dataset.ts draws them
and from a seed: circle, gauss, spiral and quadrants (the Playground's "xor", the signs of
the two coordinates; the four-point `xor` truth table is another set).

Each point is (x1, x2) with a class: 1 (blue, the Playground's +1) or 0 (orange, its −1).
Noise ν, from 0 to 0.5, blurs where the classes meet. The draws use `Random.random()` alone,
whose sequence for a seed Python promises never to change, from a generator of each set's
own; coordinates are rounded to hundredths, as measured data would be typed.
"""

import math
import random
from collections.abc import Callable

RADIUS = 5.0
"""Every set lies within ±RADIUS on both axes (the spiral and noisy gauss points a little
beyond)."""

CLASSES = ("orange", "blue")
"""The classes of every set of the plane, in the order of their targets: orange for the
Playground's −1, blue for its +1."""

MOST_NOISE = 50
"""--noise is in percent, from 0 to this."""

Point = tuple[float, float, int]
"""(x1, x2, class): class 1 is blue, 0 orange."""


def _uniform(rng: random.Random, low: float, high: float) -> float:
    return low + (high - low) * rng.random()


def _halves(count: int) -> tuple[int, int]:
    """How many points of the first class (blue) and of the second: an odd count gives the
    first one more."""
    return count - count // 2, count // 2


def circle(rng: random.Random, count: int, noise: float) -> list[Point]:
    """Blue points within 2.5 of the centre, orange ones 3.5 to 5 from it; a point is blue
    where it lies within 2.5 once moved by noise, though it is drawn where it was."""
    points = []
    for (low, high), many in zip(((0, RADIUS / 2), (RADIUS * 0.7, RADIUS)), _halves(count)):
        for _ in range(many):
            r, angle = _uniform(rng, low, high), _uniform(rng, 0, 2 * math.pi)
            x, y = r * math.sin(angle), r * math.cos(angle)
            moved_x = x + _uniform(rng, -RADIUS, RADIUS) * noise
            moved_y = y + _uniform(rng, -RADIUS, RADIUS) * noise
            points.append((x, y, int(math.hypot(moved_x, moved_y) < RADIUS / 2)))
    return points


def _normal(rng: random.Random, mean: float, variance: float) -> float:
    """A normal draw by Marsaglia's polar method, as the Playground draws one."""
    while True:
        v1, v2 = 2 * rng.random() - 1, 2 * rng.random() - 1
        s = v1 * v1 + v2 * v2
        if 0 < s <= 1:
            return mean + math.sqrt(variance) * math.sqrt(-2 * math.log(s) / s) * v1


def gauss(rng: random.Random, count: int, noise: float) -> list[Point]:
    """Blue points normal around (2, 2), orange ones around (−2, −2); the variance grows from
    0.5 at no noise to 4 at the most, where the two clouds overlap."""
    variance = 0.5 + 7 * noise
    return [(_normal(rng, centre, variance), _normal(rng, centre, variance), label)
            for (centre, label), many in zip(((2, 1), (-2, 0)), _halves(count))
            for _ in range(many)]


def spiral(rng: random.Random, count: int, noise: float) -> list[Point]:
    """Two arms winding 1.75 times out from the centre, blue the first, orange the second
    (half a turn on), each point moved by up to ν either way on both axes."""
    points = []
    for (turned, label), many in zip(((0.0, 1), (math.pi, 0)), _halves(count)):
        for i in range(many):
            r, t = RADIUS * i / many, 1.75 * 2 * math.pi * i / many + turned
            points.append((r * math.sin(t) + _uniform(rng, -1, 1) * noise,
                           r * math.cos(t) + _uniform(rng, -1, 1) * noise, label))
    return points


def quadrants(rng: random.Random, count: int, noise: float) -> list[Point]:
    """Points anywhere in the square, kept 0.3 off the axes: blue where the two coordinates,
    moved by noise, have the same sign, orange where they differ."""
    points = []
    for _ in range(count):
        x, y = (_away_from_axis(_uniform(rng, -RADIUS, RADIUS)) for _ in range(2))
        moved_x = x + _uniform(rng, -RADIUS, RADIUS) * noise
        moved_y = y + _uniform(rng, -RADIUS, RADIUS) * noise
        points.append((x, y, int(moved_x * moved_y >= 0)))
    return points


def _away_from_axis(value: float, padding: float = 0.3) -> float:
    return value + padding if value > 0 else value - padding


PLANE_SETS: dict[str, Callable[[random.Random, int, float], list[Point]]] = {
    "circle": circle, "gauss": gauss, "spiral": spiral, "quadrants": quadrants}
DEFAULT_SAMPLES = 200
FEWEST_SAMPLES = 4


def points(name: str, count: int, noise_percent: float, seed: int,
           test: bool = False) -> list[Point]:
    """The set's `count` points at `noise_percent` (0 to 50) of noise, for `seed`, each
    coordinate rounded to hundredths; with `test`, points of a test set, drawn from a
    generator of its own so that they are not the training set's."""
    rng = random.Random(f"sheetgen {name}{' test' if test else ''} {seed}")
    return [(round(x, 2), round(y, 2), label)
            for x, y, label in PLANE_SETS[name](rng, count, noise_percent / 100)]
