"""A third engine for the tests: the `formulas` package, which computes a workbook in Python
with Excel's function semantics. It is slow (seconds for a few thousand cells), so the tests
give it small workbooks.

Its results are keyed like "'[file.xlsx]TRAINING'!L32" and held in arrays; `calculate` turns
them into plain values by sheet and cell, and `rows` into the attempt rows the checks compare.
"""

from collections.abc import Callable
from pathlib import Path

from helpers import require_module

from sheetgen.engines.subjects import cell_agrees, compare_network_values, own_summary
from sheetgen.engines.comparison import summary_mismatch
from sheetgen.maths.network import Run
from sheetgen.maths.summary import summarize_run
from sheetgen.sheets.columns import FIRST_ROW, Column
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, describe


def calculate(path: Path) -> dict[tuple[str, str], object]:
    """Every cell's value as `formulas` computes it from the file's formulas alone: the
    results stored in the file are not read."""
    formulas = require_module("formulas", "formulas")
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    cells = {}
    for key, ranged in solution.items():
        sheet, _, cell = key.rpartition("!")
        if ":" in cell:
            continue
        value = ranged.value[0][0]
        cells[sheet.split("]")[1].strip("'").upper(), cell] = (
            value.item() if hasattr(value, "item") else value)
    return cells


def rows(cells: dict[tuple[str, str], object], sheet: str, columns: tuple[Column, ...],
         attempts: int) -> list[dict[str, object]]:
    """The attempt rows of `sheet`, each as {letter: value}, for `compare_values`."""
    return [{col.letter: cells.get((sheet.upper(), f"{col.letter}{row}")) for col in columns}
            for row in range(FIRST_ROW, FIRST_ROW + attempts)]


def column_a(cells: dict[tuple[str, str], object], sheet: str) -> dict[int, object]:
    """Column A of `sheet` by row, where the summaries stand."""
    return {int(cell[1:]): value for (name, cell), value in cells.items()
            if name == sheet.upper() and cell.startswith("A") and cell[1:].isdigit()}


def only_sheet(path: Path, name: str) -> Path:
    """A copy of the workbook that holds only the sheet `name`, its formulas as written and
    the workbook's names, for `formulas` to compute one sheet of a large workbook."""
    import openpyxl
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        if sheet.title != name:
            workbook.remove(sheet)
    copy = path.with_name(f"{path.stem}-{name}{path.suffix}")
    workbook.save(copy)
    return copy


def mismatches(cells: dict[tuple[str, str], object], sheet: str,
               expected: dict[str, float | str],
               same: Callable[[object, float | str], bool] = cell_agrees) -> list[tuple]:
    """The cells of `sheet` whose computed value is not the `expected` one, each as (cell,
    found, expected), by the check's own comparison (a text as it is, a number within 1e-12)
    or `same`: a cell `formulas` did not compute is None, which differs."""
    found = {cell: cells.get((sheet.upper(), cell)) for cell in expected}
    return [(cell, found[cell], value) for cell, value in expected.items()
            if not same(found[cell], value)]


def assert_network_computed(path: Path, run: Run) -> None:
    """`formulas` computes the network workbook at `path`, written for `run`: see
    `assert_network_cells`."""
    assert_network_cells(calculate(path), run)


def assert_network_cells(cells: dict[tuple[str, str], object], run: Run) -> None:
    """The `cells` that `formulas` computed of a network workbook written for `run`: every
    row, the summary and the confusion matrix (where there is one) as the reference has
    them."""
    sheet = describe(run)
    training = rows(cells, "Training", sheet.columns, run.attempts)
    comparison = compare_network_values(training, sheet)
    assert comparison.mismatch is None and comparison.compared_attempts == run.attempts, (
        comparison.mismatch)
    summary = summarize_run(run)
    assert summary_mismatch(column_a(cells, CHARTS_SHEET_NAME),
                            own_summary(sheet, training, summary), sheet.summary) is None
    if sheet.confusion is not None:
        counts = {pair: cells[CHARTS_SHEET_NAME.upper(), cell]
                  for pair, (cell, _) in sheet.confusion.counts.items()}
        assert counts == {pair: summary.confusion.get(pair, 0) for pair in counts}
