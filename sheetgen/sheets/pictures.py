"""Where the Pictures sheet keeps what it draws, for a network whose samples are pictures
(`Network.image`) of classes: what each first-layer neuron looks for, how the network reads
the test images, and which classes it confuses, live at any attempt.

The named cell SHOW_ATTEMPT (`shown`) picks an attempt, as on the Boundary sheet (a run has
one of the two sheets at most). Below the title, the printed band, all of small square cells:
- each first-layer neuron's incoming weights as a W×H picture, in a diverging scale centred
  on 0 (without a hidden layer, each class's);
- a gallery of the first GALLERY_MOST test images (training images without a test set), each
  drawn by its pixels' shading, with the network's answer and how sure it is, and a ✗ with
  the true class where the answer is wrong;
- the confusion matrix of every training and test sample, and how many are right.
Right of and below the band, unprinted: the shown attempt's weights and biases (`shown`), and
a row per sample that runs it forward at that attempt, which the gallery and the matrix read.
"""

from dataclasses import dataclass
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from sheetgen.maths.network import Run
from sheetgen.maths.shape import Parameter
from sheetgen.sheets.data_gallery import pixel_height
from sheetgen.sheets.shown import Drawn, parameter_table

PICTURES_SHEET_NAME = "Pictures"
IMAGE_CELL = "B4"
"""The pictures' size, W×H, as text: fixed, the formulas are built for it."""
SCALE_ROW, SCALE_COLUMN = 5, 2
SCALE_CELL = f"{get_column_letter(SCALE_COLUMN)}{SCALE_ROW}"
"""The colour scale's end for the weights' pictures: the largest first-layer weight's size
at the shown attempt, live."""
MAPS_SCALE_CELL, CLASSES_SCALE_CELL = "B8", "B9"
"""Where a network with image layers has its maps' colour scale's end (the largest value's
size in the maps drawn) and its dense weights' (the largest weight's from the maps)."""
MAP_SAMPLES = 3
"""The gallery images whose maps the maps' section draws."""
PIXEL_POINTS = 12.0
"""A pixel's width as LibreOffice prints it, in points: every column of the band."""
PIXEL_HEIGHT = pixel_height(PIXEL_POINTS)
"""The pictures' rows' height, 10.5 points."""
BAND_LEFT = 2
"""The band's first column, B: column A holds the labels."""
BAND_COLUMNS = 72
"""About how many small columns a row of pictures takes at most: a landscape page's width at
the print scale that keeps the sheet's text readable."""
SMALLEST_TILE = 6
"""The fewest columns a gallery's tile takes, for its answer and confidence below the image."""
GALLERY_MOST = 24
"""The gallery's images at most, three rows of them: with the weights' pictures and the
matrix, two printed pages. The rest are counted in the matrix alone."""
TITLE_ROW = 9
"""The first section's title, below the title, the attempt, the size and the legend."""
SAMPLE_HEADERS = ("sample", "class", "true", "says", "said", "right", "sure")
"""The samples' table's columns, from its first, `table_column`: the sample, its class and
the class's number, the class the network says and its number, 1 where it is right, and how
sure it is (the picked class's softmax probability, or its output); then each neuron."""


class Tile(NamedTuple):
    """A picture's block, `tile_width` columns from `left`: its pixels' rows from `top`, the
    picture, `across` × `down` pixels, centred across it."""

    title: str
    top: int
    left: int
    across: int
    down: int


class MapTile(NamedTuple):
    """A picture of the maps' section: gallery image `sample`'s pixels (`layer` 0) or one of
    its maps, the values of `layer`'s neurons from `first` on, at the shown attempt."""

    tile: Tile
    sample: int
    layer: int
    first: int


class ClassTile(NamedTuple):
    """The weights into `neuron` of the first dense layer from one map, `channel`, of the last
    image layer: what the neuron looks for in that map."""

    tile: Tile
    neuron: int
    channel: int


@dataclass(frozen=True)
class Pictures(Drawn):
    run: Run
    shown: int
    """The attempt SHOW_ATTEMPT starts at."""
    weights: tuple[Tile, ...]
    """One picture per first-layer neuron, its name in the row above."""
    gallery: tuple[Tile, ...]
    """One per gallery image, the first `len(gallery)` of `gallery_samples`'s; its answer's
    row and its verdict's row below its image."""
    tile_width: int
    weights_title_row: int
    gallery_title_row: int
    matrix_title_row: int
    band_end: int
    """The band's last row: the right answers' counts (the printed page ends with the line
    below it, which says where the tables are)."""
    band_right: int
    parameter_places: dict[Parameter, tuple[int, int]]
    parameter_rows: tuple[tuple[int, int], ...]
    points_title_row: int
    """The samples' table's title: its headers below, then a row per sample."""
    maps: tuple[MapTile, ...] = ()
    """With image layers: a few gallery images and each of their maps, image by image."""
    maps_title_row: int = 0
    class_tiles: tuple[ClassTile, ...] = ()
    """With image layers: the first dense layer's weights from each map, neuron by neuron."""
    classes_title_row: int = 0

    def pixel(self, tile: Tile, pixel: int) -> tuple[int, int]:
        """The row and column of a tile's pixel `pixel` (from 0, row by row)."""
        r, c = divmod(pixel, tile.across)
        return tile.top + r, tile.left + (self.tile_width - tile.across) // 2 + c

    @property
    def width(self) -> int:
        return self.network.image[0]

    @property
    def height(self) -> int:
        return self.network.image[1]

    @property
    def classes(self) -> tuple[str, ...]:
        return self.run.classes

    @property
    def gallery_held_out(self) -> bool:
        """Whether the gallery shows test images (else training ones, without a test set)."""
        return bool(self.run.tests)

    def gallery_index(self, k: int) -> int:
        """The samples' table's index of the gallery's `k`-th image."""
        return k + (len(self.run.samples) if self.gallery_held_out else 0)

    def column(self, header: str) -> int:
        """The column of one of the samples' table's SAMPLE_HEADERS."""
        return self.table_column + SAMPLE_HEADERS.index(header)

    def letter(self, header: str) -> str:
        return get_column_letter(self.column(header))

    def span(self, header: str, held_out: bool | None = None) -> str:
        """The absolute range of a column of the samples' table: every sample's, or the
        training or (`held_out`) test samples' alone."""
        count = len(self.run.samples)
        first, last = {None: (0, len(self.points) - 1), False: (0, count - 1),
                       True: (count, len(self.points) - 1)}[held_out]
        letter = self.letter(header)
        return f"${letter}${self.point_row(first)}:${letter}${self.point_row(last)}"

    @property
    def neuron_columns(self) -> dict[tuple[int, int], int]:
        """The column of each neuron's value in the samples' table, layer by layer."""
        net, first = self.network, self.column(SAMPLE_HEADERS[-1]) + 1
        neurons = [(layer, j) for layer in range(1, len(net.sizes))
                   for j in range(net.sizes[layer])]
        return {neuron: first + k for k, neuron in enumerate(neurons)}

    def matrix_cell(self, true: int, said: int) -> tuple[int, int]:
        """The row and column of the count of samples of class `true` the network says are
        class `said` (both from 1); each count takes two small columns, merged."""
        return self.matrix_title_row + 1 + true, BAND_LEFT + 2 * (said - 1)

    @property
    def accuracy_rows(self) -> tuple[int, ...]:
        """The rows below the matrix counting the right answers: the training samples', and
        the test samples' where there are."""
        first = self.matrix_title_row + len(self.classes) + 3
        return tuple(range(first, first + 1 + bool(self.run.tests)))

    def weights_range(self, layer: int = 1) -> str:
        """A layer's weights (not its biases) in the table, absolute."""
        record = self.network.layers[layer - 1]
        first, last = (self.parameter_places[Parameter(layer, j, i)]
                       for j, i in ((0, 0), (record.rows - 1, record.columns - 1)))
        return f"${get_column_letter(first[1])}${first[0]}:${get_column_letter(last[1])}${last[0]}"


def gallery_count(run: Run) -> int:
    return min(GALLERY_MOST, len(run.tests or run.samples))


def describe_pictures(run: Run, shown: int | None = None) -> Pictures:
    """Where everything of the run's Pictures sheet stands, at attempt `shown` (None: the
    last): the band's sections, then the tables right of it and below it."""
    net = run.network
    width, height = net.image
    tile = max(width, SMALLEST_TILE)
    across = max(1, BAND_COLUMNS // (tile + 1))

    def tiles(titles: list[str], shape: tuple[int, int], top: int, pitch: int
              ) -> tuple[tuple[Tile, ...], int]:
        """Tiles in rows of `across`, each `pitch` rows from the one above; the row after."""
        placed = tuple(Tile(title, top + (k // across) * pitch,
                            BAND_LEFT + (k % across) * (tile + 1), *shape)
                       for k, title in enumerate(titles))
        return placed, top + -(-len(titles) // across) * pitch
    weights_title = TITLE_ROW + (2 if net.stack else 0)   # below the two more scales
    first = net.layers[0]
    shape = (first.size, first.size) if net.stack else (width, height)
    weights, after = tiles([first.row_label(j, net.labels(1)[0]) for j in range(first.rows)],
                           shape, weights_title + 2, shape[1] + 2)
    count = gallery_count(run)
    maps, classes_title, class_tiles = (), 0, ()
    maps_title = after if net.stack else 0
    if net.stack:
        maps, after = _maps(run, tiles, maps_title + 2, min(MAP_SAMPLES, count))
        classes_title = after
        class_tiles, after = _class_tiles(net, tiles, classes_title + 2)
    gallery_title = after
    numbers = [f"test {s}" if run.tests else f"sample {s}" for s in range(1, count + 1)]
    gallery, after = tiles(numbers, (width, height), gallery_title + 1, height + 3)
    matrix_title = after
    classes = len(run.classes)
    band_end = matrix_title + classes + 3 + bool(run.tests)
    every = weights + gallery + tuple(m.tile for m in maps) + tuple(c.tile for c in class_tiles)
    band_right = max(max(t.left for t in every) + tile - 1, BAND_LEFT - 1 + 2 * classes)
    places, rows, row = parameter_table(net, band_end + 3, band_right + 2)
    return Pictures(run, run.attempts if shown is None else shown, weights, gallery, tile,
                    weights_title, gallery_title, matrix_title, band_end, band_right, places,
                    rows, row, maps, maps_title, class_tiles, classes_title)


def _maps(run: Run, tiles, top: int, samples: int) -> tuple[tuple[MapTile, ...], int]:
    """The maps' section from `top`: for each of the first `samples` gallery images, a row
    of its picture and every map of every image layer, each layer's maps in order."""
    net, placed = run.network, []
    width, height = net.image
    name = "test" if run.tests else "sample"
    for k in range(samples):
        layers = [(f"{name} {k + 1}", (width, height), 0, 0)] + [
            (layer.map_label(c), (layer.out_width, layer.out_height), number, c * layer.places)
            for number, layer in enumerate(net.stack, start=1) for c in range(layer.maps[0])]
        pitch = max(shape[1] for _, shape, _, _ in layers) + 2
        row_tiles, after = tiles([title for title, *_ in layers], (0, 0), top, pitch)
        placed += [MapTile(t._replace(across=shape[0], down=shape[1]), k, layer, first)
                   for t, (_, shape, layer, first) in zip(row_tiles, layers)]
        top = after
    return tuple(placed), top


def _class_tiles(net, tiles, top: int) -> tuple[tuple[ClassTile, ...], int]:
    """The first dense layer's weights from each map of the last image layer, from `top`:
    a picture per neuron and map, the neuron's pictures side by side."""
    number = len(net.stack) + 1
    dense, last, me = net.layers[number - 1], net.stack[-1], net.labels(number)[0]
    pairs = [(j, c) for j in range(dense.outputs) for c in range(last.maps[0])]
    placed, after = tiles([f"{me(j)} ← {last.map_label(c)}" for j, c in pairs],
                          (last.out_width, last.out_height), top, last.out_height + 2)
    return tuple(ClassTile(t, j, c) for t, (j, c) in zip(placed, pairs)), after
