"""The Boundary page as LibreOffice prints it: one page whose words (about 1.2 times their
type size) have a median box of at least 8.5 points and a 10th percentile of at least 7, for
the Playground's presets, the spiral's six stacked maps included; the maps' names and the
inputs on it, the tables left to the screen."""

import pytest
from test_printed_pages import READABLE_LOW, READABLE_MEDIAN, printed_pages

from sheetgen.cli import main

pytestmark = pytest.mark.usefixtures("libreoffice")


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
