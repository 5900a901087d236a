"""The Data sheet draws each sample as its picture where the inputs are a picture's pixels: a
block of W×H small square cells, each a live formula of its pixel in the samples' table,
shaded in greys by conditional formats and its number hidden, the sample's number and class
above it; the pictures follow a typed pixel in LibreOffice and Gnumeric, `sheetgen check`
compares them, and the page prints them (see test_printed_pages)."""

import re
import zipfile

import pytest
from helpers import (
    edit_in_libreoffice,
    network_canary,
    rewrite_sheet,
    sheet_part,
    stored_rows,
    typed_numbers,
    typed_texts,
    with_wrong_results,
)
from openpyxl import load_workbook
from test_images import _letters

from sheetgen import api
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.engines.reading import UnreadableSheet
from sheetgen.sheets.data_gallery import LABEL_ROWS, describe_gallery
from sheetgen.sheets.network_data import SHAPE_CELLS, label_cells, typed_cells

DIGITS = dict(data="digits", samples=16, test_fraction=0.25, layers=(64, 10),
              activation="softmax", loss="cross-entropy", batch=4, attempts=5)
"""Twelve digits to train on and four to test, their pictures in the columns from BZ: the
samples' table takes B to BX (64 pixels, 10 targets, the class), then a blank column."""
GREYS = ["FFFFFFFF", "FFDFDFDF", "FFBFBFBF", "FF9F9F9F", "FF808080", "FF606060", "FF404040",
         "FF202020", "FF000000"]


def written(tmp_path, **options):
    path = tmp_path / "digits.xlsx"
    api.network(path, **{**DIGITS, **options})
    return path, api.network_run(**{**DIGITS, **options})


def test_a_pictures_cells_are_formulas_of_its_pixels_with_its_label_above(tmp_path):
    path, run = written(tmp_path)
    formulas = stored_rows(path, "Data", formulas=True)
    values = stored_rows(path, "Data")
    # Sample 1's pixels, row by row, B8:BM8, from BZ10 (its label in the two rows above).
    assert [formulas[10][letter] for letter in ("BZ", "CA", "CG")] == ["=B8", "=C8", "=I8"]
    assert (formulas[11]["BZ"], formulas[17]["CG"]) == ("=J8", "=BM8")
    assert formulas[8]["BZ"] == '="1: "&BX8'
    assert values[8]["BZ"] == f"1: {values[8]['BX']}" == f"1: {run.classes[_digit(run, 0)]}"
    assert [values[10 + k // 8][_letter(78 + k % 8)] for k in range(64)] == list(
        run.samples[0].inputs)
    # Eleven a row, a blank column between them: sample 2 from CI, sample 12 below sample 1.
    assert (formulas[10]["CI"], formulas[18]["BZ"], formulas[20]["BZ"]) == (
        "=B9", '="12: "&BX19', "=B19")
    # The test samples' under a title of their own, after a blank row.
    assert formulas[31]["BZ"] == '="1: "&BX23' and formulas[33]["BZ"] == "=B23"
    assert values[29]["BZ"] == "The test samples, held out, as pictures"
    assert "The training samples as pictures" in values[6]["BZ"]
    assert values[5][SHAPE_CELLS["image"][0]] == "8x8"


def test_the_pictures_are_shaded_grey_and_their_numbers_hidden(tmp_path):
    path, _ = written(tmp_path)
    with zipfile.ZipFile(path) as package:
        xml = package.read(sheet_part(package, "Data")).decode()
        styles = package.read("xl/styles.xml").decode()
    (shading,) = re.findall(r'<conditionalFormatting sqref="([^"]*)">(.*?)</conditionalFormatting>',
                            xml)
    ranges, rules = shading
    assert ranges == "BZ10:FS17 BZ20:CG27 BZ33:DH40"
    found = re.findall(r'<cfRule type="cellIs" priority="(\d+)" operator="(\w+)" dxfId="(\d+)" '
                       r'stopIfTrue="1"><formula>([^<]*)</formula></cfRule>', rules)
    tops = [(k + 0.5) / 8 for k in range(8)]
    assert [(operator, float(bound)) for _, operator, _, bound in found] == [
        ("lessThan", top) for top in tops] + [("greaterThanOrEqual", tops[-1])]
    dxfs = re.findall(r"<dxf>(.*?)</dxf>", styles)
    assert [re.search(r'bgColor rgb="(\w+)"', dxfs[int(dxf)])[1] for _, _, dxf, _ in found] \
        == GREYS
    formats = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
    xfs = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])
    for cell in ("BZ10", "CD13", "CG17", "BZ33"):
        style = int(re.search(f'<c r="{cell}" s="(\\d+)"', xml)[1])
        assert formats[re.search(r'numFmtId="(\d+)"', xfs[style])[1]] == ";;;", cell


def test_the_pixels_are_nearly_square_and_the_labels_fill_two_rows(tmp_path):
    """15 points wide in LibreOffice (7 points a character), 11.25 in Excel and Gnumeric
    (5.25), 12.75 high: see test_pixel_aspect."""
    path, _ = written(tmp_path)
    sheet = load_workbook(path)["Data"]
    widths = {sheet.column_dimensions[_letter(c)].width for c in range(78, 176)}
    assert widths == {round(15 / 7, 4)}
    assert {sheet.row_dimensions[row].height for row in range(6, 41)} == {12.75}
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"BZ8:CG9", "CI8:CP9", "BZ31:CG32", "BZ6:FS7", "BZ29:FS30"} <= merged


def test_a_picture_of_any_size_reads_its_own_pixels(tmp_path):
    """A 5×7 letter from a file: a pixel's cell is its picture's row and column from the
    top left of the block, reading the sample's typed pixel row by row."""
    data = tmp_path / "letters.csv"
    _letters(data, 5, 7)
    run = api.network_run(data=data, image="5x7", attempts=2)
    gallery = describe_gallery(run)
    assert gallery.per_row == 16 and gallery.pitch == LABEL_ROWS + 7
    for s, ((row, column), formula, label, pixels) in enumerate(gallery.cells()):
        assert (formula, label) == (f'="{s + 1}: "&{label_cells(run)[s]}',
                                    f"{s + 1}: {'LT'[s]}")
        assert [(r - row - LABEL_ROWS, c - column) for r, c, _, _ in pixels] == [
            (r, c) for r in range(7) for c in range(5)]
        assert [formula for *_, formula, _ in pixels] == [f"={cell}" for cell in
                                                          typed_cells(run)[s][:35]]
        assert [value for *_, value in pixels] == list(run.samples[s].inputs)
    # The L's left column and bottom row are lit, the T's top row and middle column.
    (_, _, _, el), (_, _, _, tee) = gallery.cells()
    assert [value for _, c, _, value in el if c == gallery.column] == [1.0] * 7
    assert [value for r, _, _, value in tee if r == gallery.top() + LABEL_ROWS] == [1.0] * 5


def test_no_picture_without_one(tmp_path):
    """Points of the plane, the presets' data, draw none: their workbooks are unchanged
    (test_output_is_current)."""
    assert describe_gallery(api.network_run(preset="circle", attempts=2)) is None
    assert describe_gallery(api.network_run(preset="iris", attempts=2)) is None


def test_the_check_reads_the_picture_back(tmp_path):
    path, run = written(tmp_path)
    found = read_network_workbook(path).run
    assert found.network.image == (8, 8) and found.samples == run.samples
    gallery = describe_gallery(found)
    assert len(gallery.values()) == 16 * 65


@pytest.mark.parametrize("typed", ["9x9", "8", "0x64", "picture"])
def test_a_data_sheet_whose_picture_is_not_the_inputs_is_refused(tmp_path, typed):
    path, _ = written(tmp_path)
    edited = rewrite_sheet(path, tmp_path / "typed.xlsx", typed_texts({"F5": typed}),
                           sheets=("Data",))
    with pytest.raises(UnreadableSheet, match="and its picture in F5$"):
        read_network_workbook(edited)


@pytest.mark.engines
def test_engine_redraws_a_picture_after_a_typed_pixel(engine, tmp_path):
    """Training sample 2's fourth pixel and test sample 1's first typed as 0.75 into the
    file, every stored result spoiled: the engine's picture cells hold the typed pixels, as
    `sheetgen check` (whose reference reads the pixels from the file) finds them, label and
    pixel, 1,040 cells."""
    path, run = written(tmp_path)
    pixel, test_pixel = typed_cells(run)[1][3], typed_cells(run, True)[0][0]
    assert {run.samples[1].inputs[3], run.tests[0].inputs[0]} <= {0.0, 0.0625, 0.125}
    edited = rewrite_sheet(path, tmp_path / "typed.xlsx",
                           typed_numbers({pixel: 0.75, test_pixel: 0.75}), sheets=("Data",))
    found = read_network_workbook(edited).run
    spoiled = with_wrong_results(network_canary(edited, tmp_path, found),
                                 tmp_path / "spoiled-data.xlsx", sheets=("Data",))
    assert stored_rows(spoiled, "Data")[10]["CL"] == 12345
    result = api.check(spoiled, engine.name)
    assert result.passed, result.report
    (comparison,) = [comparison for name, comparison in result.engines[0].sheets
                     if name == "Data sheet, the samples' pictures"]
    assert comparison.mismatch is None and comparison.compared_attempts == 16 * 65
    computed = _recalculated(engine, spoiled, tmp_path)
    assert (computed[10]["CL"], computed[33]["BZ"]) == (0.75, 0.75)


def _recalculated(engine, path, tmp_path):
    out = tmp_path / f"{engine.name}.xlsx"
    engine.recalculate(path, out)
    sheet = load_workbook(out, data_only=True)["Data"]
    return {row: {letter: sheet[f"{letter}{row}"].value for letter in ("BZ", "CL")}
            for row in (10, 33)}


@pytest.mark.usefixtures("libreoffice")
def test_a_pixel_typed_in_libreoffice_redraws_its_picture_there_and_in_gnumeric(gnumeric,
                                                                               tmp_path):
    """A person types 1 into training sample 3's first pixel in LibreOffice and saves: its
    picture's top left cell holds 1, as LibreOffice saved it and as Gnumeric computes that
    file with the Data sheet's stored results spoiled."""
    path, run = written(tmp_path)
    pixel = typed_cells(run)[2][0]
    assert run.samples[2].inputs[0] == 0
    edited = edit_in_libreoffice(path, tmp_path / "edited.xlsx", {f"Data!{pixel}": 1.0},
                                 tmp_path)
    spoiled = with_wrong_results(edited, tmp_path / "spoiled.xlsx", sheets=("Data",))
    computed = tmp_path / "gnumeric.xlsx"
    gnumeric.recalculate(spoiled, computed)
    corner = "CR10"   # sample 3's picture, two pictures right of BZ
    for source, expected in ((path, 0.0), (edited, 1.0), (computed, 1.0)):
        sheet = load_workbook(source, data_only=True)["Data"]
        assert sheet[corner].value == expected, source.name
        assert sheet["CR8"].value == f"3: {run.classes[_digit(run, 2)]}", source.name


def _digit(run, s: int) -> int:
    return run.samples[s].targets.index(1.0)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(column)
