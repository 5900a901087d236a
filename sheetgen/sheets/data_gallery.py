"""Where the Data sheet draws each sample as its picture, where the inputs are a picture's
pixels (`Network.image`): a gallery right of the samples' tables, several pictures a row, each
a block of W×H small, nearly square cells that read the sample's pixels from the table (a
pixel typed there redraws its picture), the sample's number and class above it; the training
samples' pictures first, then the test samples' under a title of their own.

The gallery shares its rows with the tables left of it, so a pixel is as high as a row of
the table, and its columns about as narrow (see PIXEL_ASPECT).
"""

import math
from dataclasses import dataclass
from functools import cached_property

from openpyxl.utils import get_column_letter

from sheetgen.maths.network import Run
from sheetgen.sheets.network_data import (
    SAMPLES_TITLE_ROW,
    data_width,
    first_order_column,
    input_cells,
    input_range,
    label_cells,
    sample_labels,
    samples_of,
)

PIXEL_ASPECT = math.sqrt(4 / 3)
"""A pixel's width over its height as LibreOffice prints it. LibreOffice gives a character of
a column's width 7 points (DejaVu Sans's digit, standing in for Calibri), Excel and Gnumeric
5.25 (7 pixels), so no width is square in both: this one is 1.15 wide in LibreOffice and
0.87 in Excel and Gnumeric, off by the same factor each way."""
PIXEL_POINTS = 15.0
"""A pixel's width as LibreOffice prints it."""


def pixel_height(width: float) -> float:
    """The height of a pixel `width` points wide in LibreOffice (see PIXEL_ASPECT), in whole
    pixels of a 96 dpi screen, 0.75 points, to which LibreOffice rounds a row's height down."""
    return round(width / PIXEL_ASPECT / 0.75) * 0.75


PIXEL_HEIGHT = pixel_height(PIXEL_POINTS)
"""A pixel's height, 12.75 points: the height of the Data sheet's rows, which the gallery
shares."""
GALLERY_POINTS = 1500.0
"""The most width of a row of pictures: about two pages' width, so that it prints at about half
size, a pixel about 7.5 points and a picture of the 8×8 digits 2 cm across."""
LABEL_ROWS = 2
"""Above each picture, the rows of its number and class; the title's rows too."""
SHADES = 9
"""The greys a pixel is drawn in, white to black."""


@dataclass(frozen=True)
class Gallery:
    """The pictures of a run's samples on the Data sheet, from `column` right."""

    run: Run
    column: int
    """The column of the first picture's left edge, right of every table and a blank column."""

    @property
    def width(self) -> int:
        return self.run.network.image[0]

    @property
    def height(self) -> int:
        return self.run.network.image[1]

    @cached_property
    def per_row(self) -> int:
        """How many pictures a row of the gallery holds, a blank column after each."""
        return max(1, int(GALLERY_POINTS // ((self.width + 1) * PIXEL_POINTS)))

    @property
    def pitch(self) -> int:
        """The rows a row of pictures takes: their labels', then their pixels'."""
        return LABEL_ROWS + self.height

    @property
    def last_column(self) -> int:
        """The column of a full row's last picture's right edge."""
        return self.column + self.per_row * (self.width + 1) - 2

    title_row = SAMPLES_TITLE_ROW
    """The gallery's title, over LABEL_ROWS rows, beside the samples' table's."""

    def top(self, held_out: bool = False) -> int:
        """The first row of the training samples' pictures (the test samples' with
        `held_out`): below the title, or below the training samples' pictures, a blank row
        and the test samples' title."""
        first = self.title_row + LABEL_ROWS
        return self.test_title_row + LABEL_ROWS if held_out else first

    def rows_of(self, held_out: bool = False) -> int:
        """How many rows of pictures the training (or test) samples take."""
        return math.ceil(len(samples_of(self.run, held_out)) / self.per_row)

    @property
    def test_title_row(self) -> int:
        return self.top() + self.rows_of() * self.pitch + 1

    @property
    def end(self) -> int:
        """The gallery's last row."""
        held_out = bool(self.run.tests)
        return self.top(held_out) + self.rows_of(held_out) * self.pitch - 1

    def corner(self, s: int, held_out: bool = False) -> tuple[int, int]:
        """The row and column of sample s's label (from 0; a test sample's with `held_out`):
        its picture's top left is LABEL_ROWS below it."""
        row, place = divmod(s, self.per_row)
        return self.top(held_out) + row * self.pitch, self.column + place * (self.width + 1)

    def shaded_ranges(self) -> list[str]:
        """The ranges of the pictures' pixels, a range a row of pictures (the blank columns
        between them too, which stay white), for their shading."""
        ranges = []
        for held_out in (False, True):
            count = len(samples_of(self.run, held_out))
            for first in range(0, count, self.per_row):
                row, left = self.corner(first, held_out)
                _, right = self.corner(min(first + self.per_row, count) - 1, held_out)
                ranges.append(f"{get_column_letter(left)}{row + LABEL_ROWS}:"
                              f"{get_column_letter(right + self.width - 1)}"
                              f"{row + LABEL_ROWS + self.height - 1}")
        return ranges

    @cached_property
    def bounds(self) -> tuple[float, float]:
        """The values drawn white and black: 0 (or the smallest pixel, where one is below
        it) and the largest pixel of every sample."""
        low, high = input_range(self.run)
        low = min(0.0, low)
        return low, high if high > low else low + 1

    def shade_bounds(self) -> tuple[float, ...]:
        """The tops of the SHADES − 1 lighter greys' ranges: a pixel takes the grey nearest
        its value, of SHADES evenly spaced from white at the low bound to black at the high."""
        low, high = self.bounds
        return tuple(low + (k + 0.5) * (high - low) / (SHADES - 1) for k in range(SHADES - 1))

    def cells(self, held_out: bool = False):
        """Each training (or test) sample's label cell and its pixels' cells, in the order of
        the samples: (label (row, column), its formula or text, its value, and each pixel's
        (row, column, formula, value) from the top left, row by row)."""
        run, width = self.run, self.width
        labels = label_cells(run, held_out)
        named = sample_labels(run, held_out)
        for s, (sources, sample) in enumerate(zip(input_cells(run, held_out),
                                                  samples_of(run, held_out))):
            row, column = self.corner(s, held_out)
            if labels:
                label = (f'="{s + 1}: "&{labels[s]}', f"{s + 1}: {named[labels[s]]}")
            else:
                label = (None, str(s + 1))
            pixels = [(row + LABEL_ROWS + k // width, column + k % width, f"={source}", value)
                      for k, (source, value) in enumerate(zip(sources, sample.inputs))]
            yield (row, column), *label, pixels

    def values(self) -> dict[str, object]:
        """Every label's and pixel's value by its cell, as the formulas give them."""
        found = {}
        for held_out in (False, True):
            for (row, column), _, label, pixels in self.cells(held_out):
                found[f"{get_column_letter(column)}{row}"] = label
                found.update((f"{get_column_letter(c)}{r}", value) for r, c, _, value in pixels)
        return found


def describe_gallery(run: Run) -> Gallery | None:
    """The run's gallery, where its inputs are a picture's pixels; else None."""
    if run.network.image is None:
        return None
    orders = first_order_column(run) + len(run.orders) - 1 if run.orders else 0
    rightmost = max(1 + data_width(run), orders)
    return Gallery(run, rightmost + 2)
