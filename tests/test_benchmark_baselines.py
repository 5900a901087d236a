"""The benchmark's baselines write the cells sheetgen writes.

`benchmarks/generate.py` compares sheetgen with openpyxl, XlsxWriter and PyExcelerate writing
the same Training-sheet cells. Each baseline's file is read back here, small, and every attempt
row's formulas must be sheetgen's own; XlsxWriter's, which stores results, must also store
sheetgen's results, to the bit.
"""

import importlib.util
from pathlib import Path

import pytest
from helpers import require_module
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from sheetgen.sheets.columns import FIRST_ROW, SHEET_NAME, Column

ATTEMPTS = 30
GENERATE = Path(__file__).parent.parent / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def generate():
    """benchmarks/generate.py as a module (the benchmarks folder is not a package)."""
    spec = importlib.util.spec_from_file_location("generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.filterwarnings("ignore:Workbook contains no stylesheet")   # PyExcelerate's
@pytest.mark.parametrize("baseline", ["openpyxl", "XlsxWriter", "PyExcelerate"])
@pytest.mark.parametrize("sheet", ["article", "xor", "xor, Adam", "xor, gradient check"])
def test_a_baseline_writes_sheetgens_cells(generate, tmp_path: Path, sheet: str, baseline: str):
    chosen = next(each for each in generate.BASELINES if each.name == baseline)
    require_module(chosen.package, chosen.package)
    ours, theirs = tmp_path / "sheetgen.xlsx", tmp_path / f"{baseline}.xlsx"
    generate.write_with_sheetgen(generate.SHEETS[sheet], ATTEMPTS, ours)
    chosen.write(generate.SHEETS[sheet], ATTEMPTS, theirs)
    columns = generate.SHEETS[sheet].columns(ATTEMPTS)[0]
    expected = attempt_rows(ours, columns, data_only=False)
    assert len(expected) == ATTEMPTS and all(None not in row for row in expected)
    assert attempt_rows(theirs, columns, data_only=False) == expected
    if baseline == "XlsxWriter":
        assert attempt_rows(theirs, columns, data_only=True) == \
            attempt_rows(ours, columns, data_only=True)


def attempt_rows(path: Path, columns: tuple[Column, ...], data_only: bool) -> list[list]:
    """The table's cells in each attempt row of the Training sheet: the formulas (openpyxl
    reads a shared one as each cell's own) and constants, or the stored values."""
    positions = [column_index_from_string(col.letter) - 1 for col in columns]
    workbook = load_workbook(path, read_only=True, data_only=data_only)
    try:
        rows = workbook[SHEET_NAME].iter_rows(min_row=FIRST_ROW,
                                              max_row=FIRST_ROW + ATTEMPTS - 1,
                                              max_col=max(positions) + 1, values_only=True)
        return [[row[position] for position in positions] for row in rows]
    finally:
        workbook.close()


def test_a_missing_package_is_named_in_one_line(generate, monkeypatch):
    monkeypatch.setattr(generate, "find_spec",
                        lambda name: None if name == "pyexcelerate" else object())
    with pytest.raises(SystemExit) as stopped:
        generate.require_baselines()
    assert str(stopped.value) == ("benchmarks/generate.py: pyexcelerate not installed: "
                                  "pip install -e '.[bench]', or run with --no-baseline")


@pytest.mark.parametrize("script", ["presets.py", "grading.py"])
def test_the_other_benchmarks_import_what_they_use(script, monkeypatch):
    """A benchmark is run by hand, seldom: one whose imports have gone stale fails here
    first. (`libreoffice_typing.py` runs in LibreOffice's own Python.)"""
    monkeypatch.syspath_prepend(str(GENERATE.parent))
    spec = importlib.util.spec_from_file_location(script[:-3], GENERATE.with_name(script))
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
