"""The committed workbook in output/ is exactly what the current code generates."""

import zipfile
from pathlib import Path

import pytest
from helpers import poppler

from sheetgen.cli import main
from sheetgen.inputs.presets import NETWORK_PRESETS

COMMITTED = Path(__file__).parent.parent / "output" / "single_neuron_training.xlsx"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_committed_workbook_is_regenerated_unchanged(tmp_path):
    fresh = tmp_path / "fresh.xlsx"
    assert main(["-o", str(fresh), "--quiet"]) == 0
    # Part by part, uncompressed: a different zlib may pack the same content differently.
    assert parts(fresh) == parts(COMMITTED), (
        "output/ is stale: run `sheetgen` in the repository and commit the result")


@pytest.mark.parametrize("preset", ["xor", "iris", "circle", "spiral", "digits", "digits-conv"])
def test_committed_preset_workbook_is_regenerated_unchanged(tmp_path, preset):
    fresh = tmp_path / "fresh.xlsx"
    assert main(["network", "--preset", preset, "-o", str(fresh), "--quiet"]) == 0
    committed = COMMITTED.with_name(f"{NETWORK_PRESETS[preset].name}.xlsx")
    assert parts(fresh) == parts(committed), (
        f"output/ is stale: run `sheetgen network --preset {preset}` in the repository and "
        "commit the result")


@pytest.mark.usefixtures("libreoffice")
def test_committed_handout_is_printed_from_the_current_workbook(tmp_path):
    """The PDF carries LibreOffice's timestamps, so its text is compared, page by page."""
    fresh = tmp_path / "fresh.pdf"
    assert main(["handout", "-o", str(fresh), "--quiet"]) == 0
    assert pdf_text(fresh) == pdf_text(COMMITTED.with_suffix(".pdf")), (
        "output/ is stale: run `sheetgen handout` in the repository and commit the result")


def pdf_text(path: Path) -> str:
    return poppler("pdftotext", "-layout", str(path), "-")
