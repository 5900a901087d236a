"""The network drawn as the Playground draws it, in the Boundary sheet's band (see `boundary`):
each link a line of small cells from the neuron it leaves to the neuron it enters, every cell
of it reading the link's weight at the shown attempt, so that its colour (sign and size, see
`WEIGHT_BANDS`) redraws with SHOW_ATTEMPT. A strong link is two cells thick: beside each of
its cells a second one shows the weight only where its size is STRONG or more, 0 else.

Links leave a neuron's right edge and enter the next one's left edge at points spread down
each edge, so that they part near the neurons; where two cross, the later one's cell is drawn.
"""

from typing import NamedTuple

from sheetgen.maths.shape import Parameter
from sheetgen.sheets.boundary import Boundary

WEIGHT_BANDS = (0.0, 0.5, 1.0, 2.0)
"""A link's colour deepens as its weight's size passes each of these, orange below 0 and blue
above (a cell holding 0, or nothing, has no colour)."""
STRONG = 1.0
"""The size of weight from which a link is drawn two cells thick."""


class LinkCell(NamedTuple):
    row: int
    column: int
    parameter: Parameter
    thick: bool
    """Whether this is the second cell of the line, which shows only a STRONG weight."""


class Edge(NamedTuple):
    """Where a neuron's links leave (its right side) or enter (its left side): its rows and
    the column the links start or end at."""

    top: int
    rows: int
    column: int

    def point(self, k: int, count: int) -> int:
        """The row of the k-th of `count` links along this side."""
        return self.top + (k + 1) * self.rows // (count + 1)


def link_cells(boundary: Boundary) -> list[LinkCell]:
    """Every link's cells, layer by layer, the thick ones first so that a line's own cells
    are drawn over them."""
    net, lines = boundary.network, []
    for layer, record in enumerate(net.layers, start=1):
        leaving, entering = _edges(boundary, layer - 1, True), _edges(boundary, layer, False)
        for j, end in enumerate(entering):
            for key in record.incoming(j):
                start = leaving[key[1]]
                lines.append((Parameter(layer, *key),
                              _line((start.point(j, len(entering)), start.column),
                                    (end.point(key[1], len(leaving)), end.column))))
    thick = {(r, c): (p, True) for p, line in lines for r, c in _beside(line)
             if r <= boundary.band_end}   # a flat line along the band's last row
    thin = {(r, c): (p, False) for p, line in lines for r, c in line}
    return [LinkCell(r, c, p, drawn) for (r, c), (p, drawn) in {**thick, **thin}.items()]


def _edges(boundary: Boundary, layer: int, leaving: bool) -> list[Edge]:
    """The sides of a layer's neurons that its links leave (or enter): the inputs' boxes, the
    small maps, or the answer map (the output of a single output)."""
    grid, net = boundary.grid, boundary.network
    if layer == 0:
        return [Edge(top, rows, boundary.map_column) for top, rows in boundary.inputs]
    maps = [m for m in boundary.maps if m.layer == layer and m.neuron is not None]
    if not maps:   # a single output: the answer map, whose chart's margin the links stop at
        answer = boundary.answer
        return [Edge(answer.top, grid * answer.block, boundary.chart_frame.left - 1)]
    assert len(maps) == net.sizes[layer]
    return [Edge(m.top, grid, m.left + grid if leaving else m.left - 1) for m in maps]


def _line(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """The cells of a straight line from `start` to `end` (row, column), one per step of its
    longer way."""
    (r0, c0), (r1, c1) = start, end
    steps = max(abs(r1 - r0), c1 - c0, 1)
    return [(r0 + round((r1 - r0) * t / steps), c0 + round((c1 - c0) * t / steps))
            for t in range(steps + 1)]


def _beside(line: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The cells that make a line two thick: right of a steep line's cells, below a flat
    one's; within the columns the line spans."""
    (r0, c0), (r1, c1) = line[0], line[-1]
    steep = abs(r1 - r0) > c1 - c0
    return [(r, c + 1) if steep else (r + 1, c) for r, c in line if not steep or c < c1]

