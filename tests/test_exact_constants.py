"""Every number a workbook holds is the reference's double itself: typed into a cell, or
stored as the result of a formula that copies it, it reads back the same, bit for bit, so
that an engine computes from the file's own constants exactly what the file stores."""

import re

import pytest
from openpyxl import load_workbook

from sheetgen import api

COPY = re.compile(r"=(?:(?:'([^']+)'|([A-Za-z]+))!)?\$?([A-Z]{1,3})\$?([0-9]+)")


@pytest.mark.parametrize("options", [dict(preset="xor", attempts=40),
                                     dict(preset="circle", attempts=20, samples=30),
                                     dict(preset="iris", attempts=20)])
def test_a_cell_that_copies_a_number_stores_that_number(tmp_path, options):
    path = tmp_path / "w.xlsx"
    api.network(path, **options)
    formulas, values = load_workbook(path), load_workbook(path, data_only=True)
    copies = 0
    for sheet in formulas:
        for row in sheet.iter_rows():
            for cell in row:
                found = COPY.fullmatch(str(cell.value)) if cell.data_type == "f" else None
                if not found:
                    continue
                source = values[found[1] or found[2] or sheet.title][f"{found[3]}{found[4]}"]
                if isinstance(source.value, float):
                    copies += 1
                    assert values[sheet.title][cell.coordinate].value == source.value, \
                        (sheet.title, cell.coordinate, source.coordinate)
    assert copies > 10


def test_the_boundary_grid_keeps_every_digit(tmp_path):
    """The XOR preset's grid of 30 points runs from −0.5 to 1.5: its 28th point needs 17
    significant digits."""
    path = tmp_path / "x.xlsx"
    api.network(path, preset="xor", attempts=40)
    values = load_workbook(path, data_only=True)["Boundary"]
    grid = [cell.value for row in values.iter_rows() for cell in row
            if cell.value == 1.1724137931034484]
    assert grid, "the grid's point 1.1724137931034484 is not written in full"
