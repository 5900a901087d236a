"""How large a workbook will be and how long it will take, known before a row is computed,
and the one decision every command that writes a workbook takes from it: refuse one past
`LARGEST` unless it is allowed, and say so first when a write will take a while.

The estimate counts cells from the sheets' descriptions alone: a row's values (`fields`, or
the article's `COLUMNS`) times the attempts, and the rows of the Sweep or Optimizers sheet,
which stop at `MOST_ATTEMPTS`. It neither computes the reference nor lays a row out, so that
a refusal comes at once, however many attempts were asked for.

Where the constants come from. The bytes a cell takes in the file (deflated, as written at
`workbook.COMPRESS_LEVEL`; the worksheet's XML is four to five times larger) were measured
part by part on workbooks written by this version: the article's sheet at 20,000 and 100,001
attempts (8.80 and 8.82 bytes a cell; 8.59 for the benchmark's 1,048,574), and network
Training sheets of the xor, iris, overfit, circle and spiral presets, full batch, shuffled
batches, held-out tests, Adam and the gradient check, from 200 to 30,000 attempts (15.4 to
17.9 bytes a cell, 16.3 the median, taken up to 16.5 so that the estimate errs high; the
benchmark's iris at 10,000 attempts, 16.1). A cell's cost is mostly its stored result's 17
digits, which do not compress; a sheet whose values settle and repeat row after row (the
article's, whose input and target columns never change) compresses better. The Sweep sheet
took 17.4 bytes a cell, the Optimizers sheet 16.3 to 17.2 (xor and circle with Adam), as a
network's Training sheet does. The other parts (the Charts, Data, Boundary and Notes sheets,
the styles, the charts) took 15 to 360 kB. The rates are the
benchmark's (docs/speed.md), whole commands on this project's 2-core machine:
0.34 to 0.51 million cells a second, and 0.14 million with the gradient check, whose every
row computes each loss again twice per weight and bias. Speeds differ from machine to
machine; the time said is a rough guide, the size a close one (within about 10% for
workbooks past a few MB).
"""

import math
from dataclasses import dataclass, replace

from sheetgen.errors import InputError
from sheetgen.maths.fields import fields
from sheetgen.maths.network import Run
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.optimizers import GRADIENT_DESCENT, OPTIMIZERS
from sheetgen.sheets import sweep
from sheetgen.sheets.columns import COLUMNS, SHEET_NAME

LARGEST = 1_000_000_000
"""The largest workbook written without --allow-large, about as much as spreadsheet programs
open: the 100,000-attempt iris workbook, 8 GB, opened in none. The benchmark's
largest, iris at 10,000 attempts (857 MB), is still written."""
LONG_RUN = 10.0
"""Seconds past which a write says first how long it will take."""

ARTICLE_BYTES_PER_CELL = 8.8
"""The article's own Training sheet, a cell (see above)."""
NETWORK_BYTES_PER_CELL = 16.5
"""A network's Training sheet, a cell."""
SWEEP_BYTES_PER_CELL = 17.4
OTHER_PARTS_BYTES = 100_000
"""Everything but the streamed sheets' rows."""
CELLS_PER_SECOND = 400_000
CHECKED_CELLS_PER_SECOND = 140_000
"""With the gradient check."""


@dataclass(frozen=True)
class Estimate:
    """A workbook's cells and size, from its description: what a row holds, and how many."""

    attempts: int
    row_cells: int
    """The cells of one Training-sheet row."""
    side_cells: int
    """The cells of one row of the Sweep or the Optimizers sheet (0 for none), whose rows
    stop at `sweep.MOST_ATTEMPTS`."""
    bytes_per_cell: float
    side_bytes_per_cell: float
    cells_per_second: float

    def cells(self, attempts: int | None = None) -> int:
        """Every attempt row's cells, at `attempts` (by default the run's)."""
        attempts = self.attempts if attempts is None else attempts
        return attempts * self.row_cells + min(attempts, sweep.MOST_ATTEMPTS) * self.side_cells

    def size(self, attempts: int | None = None) -> float:
        """The file's bytes, at `attempts` (by default the run's)."""
        attempts = self.attempts if attempts is None else attempts
        return (OTHER_PARTS_BYTES + attempts * self.row_cells * self.bytes_per_cell
                + min(attempts, sweep.MOST_ATTEMPTS) * self.side_cells
                * self.side_bytes_per_cell)

    @property
    def seconds(self) -> float:
        return self.cells() / self.cells_per_second

    def most_attempts(self) -> int:
        """The most attempts whose workbook is within `LARGEST`."""
        side_rows = sweep.MOST_ATTEMPTS
        row = self.row_cells * self.bytes_per_cell
        side = self.side_cells * self.side_bytes_per_cell
        if self.size(side_rows) > LARGEST:
            return int((LARGEST - OTHER_PARTS_BYTES) // (row + side))
        return side_rows + int((LARGEST - self.size(side_rows)) // row)

    def refusal(self) -> str:
        fitting = _rounded_down(self.most_attempts())
        return (f"the workbook would be about {_bytes(self.size())} ({self.attempts:,} attempts"
                f" × {self.row_cells:,} cells on the {SHEET_NAME} sheet), and spreadsheet "
                f"programs open up to about {_bytes(LARGEST)}: use at most {fitting:,} "
                "attempts, or write it anyway with --allow-large")

    def announcement(self) -> str | None:
        """The first line of a write expected to take longer than `LONG_RUN`, or None."""
        if self.seconds <= LONG_RUN:
            return None
        return (f"writing about {_count(self.cells())} cells (about {_bytes(self.size())}), "
                f"expected to take about {_duration(self.seconds)}")


def estimate(source: Parameters | Run, exercise: bool = False) -> Estimate:
    """The estimate for the article's sheet (`Parameters`) or a network's (`Run`), as
    written, or as an exercise (which has no Sweep or Optimizers sheet; one without its
    answers stores no results and is smaller than said)."""
    if isinstance(source, Parameters):
        side = 0 if exercise else len(sweep.COLUMNS)
        return Estimate(source.attempts, len(COLUMNS), side, ARTICLE_BYTES_PER_CELL,
                        SWEEP_BYTES_PER_CELL, CELLS_PER_SECOND)
    compared = source.rule is not GRADIENT_DESCENT and not exercise
    side = sum(len(fields(replace(source, optimizer=name, gradient_step=None)))
               for name in OPTIMIZERS) if compared else 0
    rate = CELLS_PER_SECOND if source.gradient_step is None else CHECKED_CELLS_PER_SECOND
    return Estimate(source.attempts, len(fields(source)), side, NETWORK_BYTES_PER_CELL,
                    NETWORK_BYTES_PER_CELL, rate)


def allowed(estimated: Estimate, allow_large: bool = False) -> Estimate:
    """The estimate, unless its workbook is past `LARGEST` and not allowed: then refused, in
    one line that says how large and what to do."""
    if estimated.size() > LARGEST and not allow_large:
        raise InputError(estimated.refusal())
    return estimated


def _rounded(number: float) -> float:
    """Two significant figures: as far as an estimate goes."""
    return float(f"{number:.2g}")


def _rounded_down(count: int) -> int:
    """A count cut down to two significant figures (11,357 to 11,000), and at least 1."""
    scale = 10 ** max(len(str(count)) - 2, 0)
    return max(count // scale * scale, 1)


def _shown(number: float) -> str:
    """A rounded number as people write it: 880, 8.8, 1,300."""
    number = _rounded(number)
    return f"{number:,.0f}" if number >= 10 or number.is_integer() else f"{number:g}"


def _bytes(size: float) -> str:
    """880 MB, 8.8 GB: in GB from what would round to 1,000 MB."""
    return f"{_shown(size / 1e6)} MB" if _rounded(size / 1e6) < 1000 else \
        f"{_shown(size / 1e9)} GB"


def _count(cells: int) -> str:
    return f"{_shown(cells / 1e6)} million" if cells >= 1e6 else f"{_shown(cells)}"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{_shown(seconds)} seconds"
    if seconds < 90 * 60:
        return f"{math.floor(seconds / 60 + 0.5)} minutes"
    return f"{_shown(seconds / 3600)} hours"
