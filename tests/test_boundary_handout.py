"""The Boundary page as LibreOffice prints it: one page whose words (about 1.2 times their
type size) have a median box of at least 8.5 points and a 10th percentile of at least 7, for
the Playground's presets, the spiral's six stacked maps included; the maps' names and the
inputs on it, the tables left to the screen. On it, and on Gnumeric's, the answer map's axes
carry their tick values: x1's under the map, x2's left of it."""

import re
import subprocess

import pytest
from helpers import poppler
from test_printed_pages import READABLE_LOW, READABLE_MEDIAN, printed_pages

from sheetgen.cli import main

pytestmark = pytest.mark.usefixtures("libreoffice")
RANGES = {"xor": (-1, 2), "circle": (-6, 6), "spiral": (-6, 6)}
"""Each preset's grid's range, on both axes."""
NUMBER = re.compile(r'<word xMin="([^"]+)" yMin="([^"]+)" xMax="([^"]+)" yMax="[^"]+">'
                    r"([-−]?[0-9.]+)</word>")


def assert_ticks_on_both_axes(page: str, low: float, high: float) -> None:
    """A page of `pdftotext -bbox` shows tick values from `low` to `high`, evenly spaced: in a
    row (one top) left to right, and in a column (one right edge) bottom to top; the row is
    under the column and right of it, so the x axis is at the map's bottom."""
    words = [(float(left), float(top), float(right), float(text.replace("−", "-")))
             for left, top, right, text in NUMBER.findall(page)]
    rows = [row for row in (sorted(line) for line in _lines(words, 1))
            if _evenly(low, high, [value for *_, value in row])]
    columns = [column for column in (sorted(line, key=lambda word: -word[1])
                                     for line in _lines(words, 2))
               if _evenly(low, high, [value for *_, value in column])]
    assert len(rows) == 1, f"x1's tick values, {low:g} to {high:g}, in a row: {len(rows)}"
    assert len(columns) == 1, f"x2's tick values in a column: {len(columns)}"
    (row,), (column,) = rows, columns
    assert row[0][1] >= column[0][1], "the x axis is not at the map's bottom"
    assert row[0][0] >= min(left for left, *_ in column)


def _lines(words: list[tuple], side: int) -> list[list[tuple]]:
    """The words in groups that share the coordinate `side` (within half a point)."""
    lines = []
    for word in sorted(words, key=lambda word: word[side]):
        if lines and word[side] - lines[-1][-1][side] <= 0.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _evenly(low: float, high: float, values: list[float]) -> bool:
    steps = {round(b - a, 9) for a, b in zip(values, values[1:])}
    return len(values) >= 3 and values[0] == low and values[-1] == high and len(steps) == 1


@pytest.mark.parametrize("preset, names", [
    ("xor", ("x1", "x2", "h1", "h2")),
    ("circle", ("x1", "x2", "h1", "h4")),
    ("spiral", ("sin(x1)", "sin(x2)", "h1.6", "h2.4"))])
def test_the_boundary_prints_on_one_readable_page(tmp_path, preset, names):
    path = tmp_path / f"{preset}.pdf"
    assert main(["handout", "network", "--preset", preset, "--attempts", "30", "-o", str(path),
                 "-q"]) == 0
    pages = [(heights, text) for sheet, heights, text in printed_pages(path)
             if sheet == "Boundary"]
    assert len(pages) == 1
    ((heights, text),) = pages
    assert heights[len(heights) // 2] >= READABLE_MEDIAN and heights[len(heights) // 10] >= (
        READABLE_LOW), heights
    words = text.split()
    assert all(name in words for name in names)
    assert "Not printed: the weights, verdicts and grid, from cell" in text
    assert "Sample" not in words and "sample" not in words
    (page,) = [page for page in re.findall(r"<page.*?</page>", poppler("pdftotext", "-bbox",
                                                                    str(path), "-"), re.S)
               if re.search(r">—</word>\s*<word[^>]*>Boundary</word>", page)]
    assert_ticks_on_both_axes(page, *RANGES[preset])


@pytest.mark.parametrize("preset", RANGES)
def test_gnumeric_prints_tick_values_on_both_axes(gnumeric, tmp_path, preset):
    """Gnumeric's print of the Boundary sheet: the chart over the answer map shows x1's tick
    values under the map as well as x2's left of it. (It took the x axis' format from the
    chart's x1 data, hidden cells whose format shows nothing, while the axis said General.)"""
    book, pdf = tmp_path / f"{preset}.xlsx", tmp_path / f"{preset}.pdf"
    assert main(["network", "--preset", preset, "--attempts", "30", "-o", str(book),
                 "-q"]) == 0
    subprocess.run([gnumeric.path(), "-O", "sheet=Boundary", "-T", "Gnumeric_pdf:pdf_assistant",
                    str(book), str(pdf)], capture_output=True, check=True, timeout=300)
    assert_ticks_on_both_axes(poppler("pdftotext", "-bbox", str(pdf), "-"), *RANGES[preset])
