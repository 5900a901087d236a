"""The committed workbook in output/ is exactly what the current code generates."""

import zipfile
from pathlib import Path

from sheetgen.cli import main

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
