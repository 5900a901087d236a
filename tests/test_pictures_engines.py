"""LibreOffice and Gnumeric compute the Pictures sheet — the weights' pictures, the gallery's
pixels, answers and verdicts, the confusion matrix, the samples' table — to within 1e-12 of
the reference at the shown attempt: from files whose every stored result is spoiled (the
canary), after SHOW_ATTEMPT or a pixel is typed into the file, and in a real LibreOffice
session where a person types them; `sheetgen check` fails a file whose Pictures formula was
tampered with; and the sheet prints readably."""

import re

import pytest
from helpers import (
    assert_network_checked,
    edit_in_libreoffice,
    network_canary,
    rewrite_sheet,
    typed_numbers,
)
from openpyxl import load_workbook
from test_printed_pages import READABLE_LOW, READABLE_MEDIAN, printed_pages

from sheetgen import api
from sheetgen.cli import main
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.engines.subjects import cell_agrees
from sheetgen.maths.training import train
from sheetgen.sheets.boundary import Picture
from sheetgen.sheets.network_data import typed_cells
from sheetgen.sheets.network_sheet import describe
from sheetgen.sheets.pictures import GALLERY_MOST, describe_pictures
from sheetgen.sheets.pictures_cells import pictures_values

DIGITS = dict(data="digits", samples=20, test_fraction=0.25, layers=(64, 3, 10),
              activation=("tanh", "softmax"), loss="cross-entropy", attempts=6,
              learning_rate=0.5, batch=5, shuffle=True)

CONV = {**DIGITS, "layers": "8x8,conv2@3x3,maxpool2,10"}
"""The same digits through a convolution: the kernels, the maps and pooled maps, and the
next layer's weights from them are drawn too."""
SHAPES = {"dense": DIGITS, "conv": CONV}

pytestmark = pytest.mark.engines


def written(tmp_path, options=DIGITS, shown=None):
    path = tmp_path / "p.xlsx"
    api.network(path, **({"show_attempt": shown} if shown else {}), **options)
    return path, api.network_run(**options)


def pictures_sheet(found):
    (name,) = [name for name, _ in found.sheets if name.startswith("Pictures sheet")]
    return name, dict(found.sheets)[name]


@pytest.mark.parametrize("shape", SHAPES)
def test_engine_computes_the_pictures_sheet(engine, tmp_path, shape):
    path, run = written(tmp_path, SHAPES[shape])
    spoiled = network_canary(path, tmp_path, run)
    pictures = describe_pictures(run)
    cells = load_workbook(spoiled, data_only=True)["Pictures"]
    assert cells.cell(*pictures.matrix_cell(1, 1)).value == 12345
    assert cells.cell(*pictures.pixel(pictures.gallery[0], 0)).value == 12345
    if pictures.maps:   # a map value, read from the samples' table
        assert cells.cell(*pictures.pixel(pictures.maps[1].tile, 0)).value == 12345
    assert_network_checked(spoiled, engine.name, run.attempts, False)
    (found,) = api.check(spoiled, engine.name).engines
    title, comparison = pictures_sheet(found)
    assert title == f"Pictures sheet at attempt {run.attempts}"
    assert comparison.mismatch is None and comparison.compared_attempts > 1200


@pytest.mark.parametrize("shape", SHAPES)
def test_engine_follows_an_attempt_typed_into_show_attempt(engine, tmp_path, shape):
    """SHOW_ATTEMPT typed as 2 into the file: the check reads it and compares every picture,
    answer and count with attempt 2's forward passes (a convolution's kernels and maps
    too)."""
    path, run = written(tmp_path, SHAPES[shape])

    def typed(xml: str) -> str:
        xml, count = re.subn(r'(<c r="B3"[^>]*>)<v>[^<]*</v>', r"\g<1><v>2</v>", xml)
        assert count == 1
        return xml
    edited = rewrite_sheet(path, tmp_path / "typed.xlsx", typed, sheets=("Pictures",))
    assert read_network_workbook(edited).picture == Picture(shown=2)
    result = api.check(network_canary(edited, tmp_path, run), engine.name)
    assert result.passed, result.report
    assert pictures_sheet(result.engines[0])[0] == "Pictures sheet at attempt 2"


def test_engine_follows_a_pixel_typed_into_the_data_sheet(engine, tmp_path):
    """Test image 1's first pixel typed as 0.75: the gallery draws it, and every row, answer
    and count follows, as the check's reference, which reads the pixel from the file, says."""
    path, run = written(tmp_path)
    cell = typed_cells(run, True)[0][0]
    edited = rewrite_sheet(path, tmp_path / "typed.xlsx", typed_numbers({cell: 0.75}),
                           sheets=("Data",))
    found = read_network_workbook(edited).run
    assert found.tests[0].inputs[0] == 0.75 != run.tests[0].inputs[0]
    spoiled = network_canary(edited, tmp_path, found)
    result = api.check(spoiled, engine.name)
    assert result.passed, result.report
    assert pictures_sheet(result.engines[0])[1].compared_attempts > 1200
    computed = tmp_path / "computed.xlsx"
    engine.recalculate(spoiled, computed)
    pictures = describe_pictures(found)
    drawn = load_workbook(computed, data_only=True)["Pictures"]
    assert drawn.cell(*pictures.pixel(pictures.gallery[0], 0)).value == 0.75


def test_check_fails_a_tampered_pictures_formula(tmp_path):
    """A confusion count that counts one too many: LibreOffice computes what the formula
    says, which is not the reference's count, and the check names the cell."""
    path, run = written(tmp_path)
    pictures = describe_pictures(run)
    row, column = pictures.matrix_cell(1, 1)
    cell = load_workbook(path)["Pictures"].cell(row, column).coordinate

    def tamper(xml: str) -> str:
        xml, count = re.subn(f'(<c r="{cell}"[^>]*><f>[^<]*),1\\)</f>', r"\g<1>,1)+1</f>", xml)
        assert count == 1
        return xml
    tampered = rewrite_sheet(path, tmp_path / "tampered.xlsx", tamper, sheets=("Pictures",))
    result = api.check(tampered, "libreoffice")
    assert not result.passed
    title, comparison = pictures_sheet(result.engines[0])
    assert comparison.mismatch is not None and comparison.mismatch.cell == cell


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_user_types_an_attempt_and_a_pixel(gnumeric, tmp_path):
    """A person types 3 into SHOW_ATTEMPT and a pixel of the first test image in LibreOffice
    and saves: every cell of the Pictures sheet is the reference's at attempt 3 with that
    pixel, as LibreOffice saved it and as Gnumeric computes the saved file afresh."""
    path, run = written(tmp_path)
    cell = typed_cells(run, True)[0][10]
    edited = edit_in_libreoffice(path, tmp_path / "edited.xlsx",
                                 {"Pictures!B3": 3, f"Data!{cell}": 1.0}, tmp_path)
    found = read_network_workbook(edited).run
    assert found.tests[0].inputs[10] == 1.0 != run.tests[0].inputs[10]
    shown = list(train(found))[2]
    expected = pictures_values(describe_pictures(found, 3), describe(found), shown.weights,
                               shown.biases)
    computed = tmp_path / "gnumeric.xlsx"
    gnumeric.recalculate(network_canary(edited, tmp_path, found), computed)
    for source in (edited, computed):
        drawn = load_workbook(source, data_only=True)["Pictures"]
        assert drawn["B3"].value == 3
        assert [c for c, value in expected.items() if not cell_agrees(drawn[c].value, value)] == []


@pytest.mark.usefixtures("libreoffice")
def test_the_pictures_print_readably(tmp_path):
    """LibreOffice's PDF of the Pictures sheet: its pages' words have a median box of at
    least 8.5 points, the neurons' names, the answers and the matrix on them, the tables left
    to the screen."""
    path = tmp_path / "d.pdf"
    assert main(["handout", "network", "--data", "digits", "--samples", "60",
                 "--test-fraction", "0.5", "--layers", "64,8,10", "--activation",
                 "tanh,softmax", "--loss", "cross-entropy", "--attempts", "20", "-o", str(path),
                 "-q"]) == 0
    pages = [(heights, text) for sheet, heights, text in printed_pages(path)
             if sheet == "Pictures"]
    assert 1 <= len(pages) <= 3
    for heights, _ in pages:
        assert heights[len(heights) // 2] >= READABLE_MEDIAN
        assert heights[len(heights) // 10] >= READABLE_LOW
    words = " ".join(text for _, text in pages).split()
    assert all(name in words for name in ("h1", "h8", "Confusion", "Training", "Test"))
    # 30 test pictures, of which the gallery shows the first GALLERY_MOST, each how sure.
    assert sum(word.endswith("%") for word in words) == min(30, GALLERY_MOST)
    assert "Not printed" in " ".join(words) and "said" not in words
