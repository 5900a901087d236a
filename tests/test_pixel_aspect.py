"""The pictures' pixels as LibreOffice and Gnumeric print them: nearly square on the Data
sheet and on the Pictures sheet, measured on each engine's PDF from the pitch of the grey
cells' fills. No column width is square in both (LibreOffice gives a character of width 7
points, DejaVu Sans standing in for Calibri; Gnumeric, as Excel, 5.25), so the pixels are
a little wide in the one and a little narrow in the other (see PIXEL_ASPECT)."""

import re
import subprocess
from collections import Counter

import pytest
from helpers import poppler
from test_printed_pages import printed_pages

from sheetgen.cli import main

OPTIONS = ["--data", "digits", "--samples", "16", "--test-fraction", "0.25", "--layers",
           "64,3,10", "--activation", "tanh,softmax", "--loss", "cross-entropy", "--batch",
           "4", "--attempts", "5", "-q"]
WIDE, NARROW = 1.2, 1 / 1.2
"""LibreOffice's pixels at most 20% wider than high, Gnumeric's at most 20% narrower (they
were 0.75 when the widths were LibreOffice's alone)."""
GREY_FILL = re.compile(r"fill:rgb\(([0-9.]+)%,\1%,\1%\)[^\"]*\" d=\"M ([-0-9.]+) ([-0-9.]+) ")


def pixel_aspect(pdf, page: int) -> float:
    """A pixel's width over its height on a page: the commonest step between the left edges,
    and between the top edges, of the cells filled in greys (not white or black)."""
    svg = poppler("pdftocairo", "-svg", "-f", str(page), "-l", str(page), str(pdf), "-")
    lefts, tops = set(), set()
    for grey, left, top in GREY_FILL.findall(svg):
        if float(grey) not in (0.0, 100.0):
            lefts.add(round(float(left), 1))
            tops.add(round(float(top), 1))
    return _step(lefts) / _step(tops)


def _step(edges: set[float]) -> float:
    ordered = sorted(edges)
    steps = Counter(round(b - a, 1) for a, b in zip(ordered, ordered[1:]) if b - a > 2)
    return steps.most_common(1)[0][0]


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_prints_the_pixels_a_little_wide(tmp_path):
    path = tmp_path / "d.pdf"
    assert main(["handout", "network", *OPTIONS, "-o", str(path)]) == 0
    first = {}   # each sheet's first page
    for number, (sheet, _, _) in enumerate(printed_pages(path), start=1):
        first.setdefault(sheet, number)
    found = {sheet: pixel_aspect(path, first[sheet]) for sheet in ("Data", "Pictures")}
    assert all(1 <= aspect <= WIDE for aspect in found.values()), found


@pytest.mark.parametrize("sheet", ["Data", "Pictures"])
def test_gnumeric_prints_the_pixels_a_little_narrow(gnumeric, tmp_path, sheet):
    book, pdf = tmp_path / "d.xlsx", tmp_path / "d.pdf"
    assert main(["network", *OPTIONS, "-o", str(book)]) == 0
    subprocess.run([gnumeric.path(), "-O", f"sheet={sheet}", "-T",
                    "Gnumeric_pdf:pdf_assistant", str(book), str(pdf)],
                   capture_output=True, check=True, timeout=300)
    assert NARROW <= pixel_aspect(pdf, 1) <= 1
