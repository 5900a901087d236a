"""Convolution and pooling layers (`--layers 8x8,conv2@3x3,maxpool2,10`) in real engines:
LibreOffice and Gnumeric recompute conv workbooks to the reference's numbers from spoiled
stored results (the canary), with no error value anywhere; the `formulas` library computes one
from its formulas alone; `sheetgen check` passes one, follows a kernel edited on the Data sheet
and catches one typed over on the Training sheet; and the Training sheet holds the formulas a
convolution, a pooling and their routing back are, cell for cell.

The workbooks are small, a few attempts over 8 to 10 digits or a few 4×4 pictures of a CSV
file, so that each recalculation takes seconds.
"""

import math
import re
import zipfile
from collections import defaultdict
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from formulas_engine import assert_network_cells, calculate, mismatches
from helpers import (
    assert_matches_reference,
    check,
    network_canary,
    recalculated,
    rewrite_sheet,
    stored_rows,
    typed_numbers,
    with_cell_text,
    with_wrong_results,
    write,
)

from sheetgen import api
from sheetgen.engines.network_reading import read_network_workbook, read_optimizers_sheet
from sheetgen.engines.subjects import compare_network_values
from sheetgen.maths.network import Run
from sheetgen.maths.training import train
from sheetgen.sheets.classified import has_pictures
from sheetgen.sheets.columns import FIRST_ROW
from sheetgen.sheets.network_sheet import describe
from sheetgen.sheets.optimizers_sheet import describe_optimizers
from sheetgen.sheets.pictures import PICTURES_SHEET_NAME, describe_pictures
from sheetgen.sheets.pictures_cells import pictures_values
from sheetgen.sheets.shown import SHOW_CELL

DIGITS = dict(data="digits", loss="cross-entropy", attempts=3)
CASES = {
    "conv-maxpool-softmax-mini-batches": dict(
        DIGITS, samples=8, layers="8x8,conv2@3x3,maxpool2,10", activation="relu,softmax",
        batch=2),
    "two-convs-avgpool-between-tested-adam": dict(
        DIGITS, samples=10, test_fraction=0.2, layers="8x8,conv1@3x3,avgpool2,conv2@2x2,10",
        activation="tanh,relu,softmax", batch=4, optimizer="adam"),
    "conv-tanh-dense-sigmoid-mse-momentum-l2": dict(
        DIGITS, samples=8, layers="8x8,conv1@3x3,maxpool2,10", activation="tanh,sigmoid",
        loss="mse", batch=4, optimizer="momentum", momentum=0.8, l2=0.01),
}
"""Three attempts each: the first row reads the Data sheet's kernels, the second and third
update them, a batch at a time (the second case's Optimizers sheet trains four copies)."""

CELL = re.compile(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)')
ERROR_TEXT = re.compile(r"<v>(?:#[A-Z/0!?]+|Err:\d+)</v>")
"""A worksheet's cell, and the value of one that holds an error in an engine's .xlsx (which
marks its type t="e" too)."""


@cache
def conv_run(name: str) -> Run:
    return api.network_run(**CASES[name])


def picture_csv(path: Path, side: int, classes: tuple[str, ...], samples: int) -> Path:
    """`samples` pictures of side×side pixels, each a sixteenth from 0 to 1 (exact in
    binary), labelled by `classes` in turn; the pixels are named p00, p01 …"""
    names = [f"p{n:02}" for n in range(side * side)]
    lines = [",".join([*names, "label"])]
    for s in range(samples):
        pixels = [((7 * s + 5 * n + n * n) % 17) / 16 for n in range(side * side)]
        lines.append(",".join([*(f"{value:g}" for value in pixels), classes[s % len(classes)]]))
    path.write_text("\n".join(lines) + "\n")
    return path


def conv_column(run: Run) -> str:
    """The first map value's net column of the first convolution."""
    return next(col.letter for col in describe(run).columns
                if re.fullmatch(r"m[\d.]+\[1,1\] net", col.header))


def assert_optimizers_sheet_matches(path: Path, run: Run) -> None:
    """Every block of the Optimizers sheet, as an engine computed it, the reference's."""
    optimizers = describe_optimizers(run)
    rows = read_optimizers_sheet(path, optimizers, True).rows
    assert len(rows) == optimizers.attempts
    for block in optimizers.blocks:
        comparison = compare_network_values(rows, block.sheet)
        assert comparison.mismatch is None, (block.optimizer.name, comparison.mismatch)
        assert comparison.compared_attempts == optimizers.attempts


def error_cells(path: Path) -> list[tuple[str, str]]:
    """(part, cell) of every cell of every worksheet that holds an error value."""
    found = []
    with zipfile.ZipFile(path) as package:
        for part in package.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                found += [(part, cell) for cell, kind, content
                          in CELL.findall(package.read(part).decode())
                          if ' t="e"' in kind or ERROR_TEXT.search(content)]
    return found


# 1. LibreOffice and Gnumeric recompute conv workbooks.

@pytest.mark.parametrize("name", CASES)
def test_engine_recomputes_a_conv_workbook(engine, tmp_path, name):
    run = conv_run(name)
    assert run.network.stack and run.attempts == 3
    spoiled = network_canary(write(tmp_path / "w.xlsx", run), tmp_path, run)
    stored, column = stored_rows(spoiled), conv_column(run)
    maps = [stored[row][column] for row in range(FIRST_ROW, FIRST_ROW + 3)]
    assert maps == [12345] * 3   # the canary, in the maps too
    computed = recalculated(engine, spoiled)
    assert_matches_reference(read_network_workbook(computed, formulas=False), run)
    if run.optimizer != "gd":
        assert_optimizers_sheet_matches(computed, run)
    assert error_cells(computed) == []


def test_the_cases_are_what_their_names_say():
    mini, adam, momentum = (conv_run(name) for name in CASES)
    assert [str(layer) for layer in mini.network.stack] == ["conv2@3x3", "maxpool2"]
    assert (mini.batch, mini.loss, mini.network.activations[-1]) == (
        2, "cross-entropy", "softmax")
    assert [str(layer) for layer in adam.network.stack] == ["conv1@3x3", "avgpool2",
                                                             "conv2@2x2"]
    assert (adam.optimizer, len(adam.samples), len(adam.tests)) == ("adam", 8, 2)
    assert momentum.network.activations == ("tanh", "linear", "sigmoid")
    assert (momentum.optimizer, momentum.loss, momentum.l2) == ("momentum", "mse", 0.01)


# 2. The `formulas` library computes one from its formulas alone.

@pytest.mark.engines
def test_formulas_computes_a_conv_workbook(tmp_path):
    """Two filters over 4×4 pictures, max pooling with its IF(AND(…)) routing, three classes
    in batches of three: every cell of three attempts' rows, the summary and the Pictures
    sheet within 1e-12. `formulas` never reads the stored results: it needs no canary."""
    data = picture_csv(tmp_path / "pictures.csv", 4, ("cat", "dog", "owl"), 6)
    options = {"data": str(data), "image": "4x4", "layers": "4x4,conv2@3x3,maxpool2,3",
               "activation": "relu,softmax", "loss": "cross-entropy", "batch": 3,
               "attempts": 3}
    api.network(tmp_path / "w.xlsx", **options)
    run = api.network_run(**options)
    cells = calculate(tmp_path / "w.xlsx")
    assert_network_cells(cells, run)
    assert cells[PICTURES_SHEET_NAME.upper(), SHOW_CELL] == run.attempts
    shown = list(train(run))[run.attempts - 1]
    expected = pictures_values(describe_pictures(run, run.attempts), describe(run),
                               shown.weights, shown.biases)
    assert len(expected) > 300
    assert mismatches(cells, PICTURES_SHEET_NAME, expected) == []


# 3. `sheetgen check`.

def test_check_passes_a_conv_workbook(engine, tmp_path):
    run = conv_run("conv-maxpool-softmax-mini-batches")
    source = network_canary(write(tmp_path / "w.xlsx", run), tmp_path, run)
    status, report, errors = check(source, engine.name)
    assert (status, errors) == (0, "")
    assert ("layers 8x8,conv2@3x3,maxpool2,10 · relu,softmax · 8 samples, batches of 2 · "
            "learning rate 0.1, loss threshold 1e-12, 3 attempts (rows 3 to 5)") in report
    assert "formulas: all 3 rows and the summary as sheetgen writes them" in report
    assert f"{engine.name}: 3 rows agree within 1e-12" in report
    assert report.endswith("result: OK\n")


def kernel_cells(path: Path) -> tuple[str, str]:
    """The Data sheet's cell of k1[1,1]'s initial value (its name K1_1_1), and the Training
    sheet's column of k1[1,1]."""
    import openpyxl
    book = openpyxl.load_workbook(path)
    data_cell = book.defined_names["K1_1_1"].attr_text.replace("$", "")
    training = next(cell.column_letter for cell in book["Training"][FIRST_ROW - 1]
                    if cell.value == "k1[1,1]")
    return data_cell.removeprefix("Data!"), training


def test_check_follows_a_kernel_edited_on_the_data_sheet(engine, tmp_path):
    """An initial kernel weight typed into the Data sheet is an edit the workbook follows:
    the engine's rows and the check's reference (which reads the initial values from their
    cells) both start from it, and the check passes."""
    run = conv_run("conv-maxpool-softmax-mini-batches")
    source = write(tmp_path / "w.xlsx", run)
    data_cell, _ = kernel_cells(source)
    edited = rewrite_sheet(source, tmp_path / "edited.xlsx", typed_numbers({data_cell: 0.5}),
                           sheets=("Data",))
    kernel = run.weights[0]
    expected = replace(run, weights=(((0.5, *kernel[0][1:]), *kernel[1:]), *run.weights[1:]))
    assert read_network_workbook(edited).run == expected != run
    result = api.check(edited, engine.name)
    assert result.passed, result.report
    assert result.engines[0].training.compared_attempts == 3


def test_check_finds_a_kernel_typed_over_on_the_training_sheet(engine, tmp_path):
    run = conv_run("conv-maxpool-softmax-mini-batches")
    source = write(tmp_path / "w.xlsx", run)
    _, column = kernel_cells(source)
    first = run.weights[0][0][0]
    typed = with_cell_text(source, tmp_path / "typed.xlsx", f"{column}{FIRST_ROW}",
                           f"<f>K1_1_1</f><v>{first!r}</v>", "<v>0.5</v>")
    status, report, _ = check(typed, engine.name)
    assert status == 1
    assert (f"formulas: MISMATCH: {column}{FIRST_ROW} holds 0.5, expected '=K1_1_1'"
            in report)
    assert f"{engine.name}: MISMATCH" in report and report.endswith("result: MISMATCH\n")


# 4. The Training sheet's formulas, for a 4×4 picture.

TINY = dict(image="4x4", loss="cross-entropy", attempts=2)
"""Four 4×4 pictures of two classes in one batch: a 3×3 kernel stands at 2×2 places, and a
pool of 2 takes the four map values to one."""


def tiny_workbook(tmp_path: Path, pool: str, activation: str):
    """The tiny workbook's Training sheet (openpyxl) and its columns by header, each header's
    columns in the order of the batch's places."""
    import openpyxl
    data = picture_csv(tmp_path / "tiny.csv", 4, ("cat", "dog"), 4)
    api.network(tmp_path / "tiny.xlsx", data=str(data), layers=f"4x4,conv1@3x3,{pool}2,2",
                activation=f"{activation},softmax", **TINY)
    sheet = openpyxl.load_workbook(tmp_path / "tiny.xlsx")["Training"]
    columns = defaultdict(list)
    for cell in sheet[FIRST_ROW - 1]:
        if isinstance(cell.value, str):
            columns[cell.value].append(cell.column_letter)
    return sheet, columns


class Cells:
    """The cells of row `row` by header: `one("k1[1,1]")` for a parameter's single column,
    `at("m1[1,1] net", s)` for place s of the batch."""

    def __init__(self, columns: dict[str, list[str]], row: int):
        self.columns, self.row = columns, row

    def at(self, header: str, s: int = 0) -> str:
        return f"{self.columns[header][s]}{self.row}"

    one = at

    def pixel(self, n: int, s: int) -> str:
        return self.at(f"x{n + 1} p{n:02}", s)

    def out(self, y: int, x: int, s: int) -> str:
        return self.at(f"m1[{y + 1},{x + 1}] out", s)

    def net(self, y: int, x: int, s: int) -> str:
        return self.at(f"m1[{y + 1},{x + 1}] net", s)

    def delta(self, y: int, x: int, s: int) -> str:
        return self.at(f"δ m1[{y + 1},{x + 1}]", s)


PLACES = [(y, x) for y in range(2) for x in range(2)]
KERNEL = [(r, c) for r in range(3) for c in range(3)]


def assert_convolution_formulas(sheet, c: Cells) -> None:
    """Each map value is its 9 pixels times the kernel plus the bias; each kernel weight's
    gradient sums δ × the pixel under it over the 4 places and the 4 samples, over 4; the
    bias's, the δs; and the next row moves each by the rate."""
    row = c.row
    for s in range(4):
        for y, x in PLACES:
            products = [f"{c.pixel((y + r) * 4 + x + k, s)}*{c.one(f'k1[{r + 1},{k + 1}]')}"
                        for r, k in KERNEL]
            assert sheet[c.net(y, x, s)].value == "=" + "+".join(products) + f"+{c.one('b k1')}"
    for r, k in KERNEL:
        terms = [f"{c.delta(y, x, s)}*{c.pixel((y + r) * 4 + x + k, s)}"
                 for s in range(4) for y, x in PLACES]
        assert sheet[c.one(f"∂k1[{r + 1},{k + 1}]")].value == f"=({'+'.join(terms)})/4"
        assert sheet[c.one(f"k1[{r + 1},{k + 1}]")].value == f"=K1_{r + 1}_{k + 1}"
        moved = Cells(c.columns, row + 1)
        assert sheet[moved.one(f"k1[{r + 1},{k + 1}]")].value == (
            f"={c.one(f'k1[{r + 1},{k + 1}]')}-{c.one(f'∂k1[{r + 1},{k + 1}]')}*LEARNING_RATE")
    biases = [c.delta(y, x, s) for s in range(4) for y, x in PLACES]
    assert sheet[c.one("∂b k1")].value == f"=({'+'.join(biases)})/4"
    assert sheet[c.one("b k1")].value == "=B_K1"


def assert_dense_after_pool(sheet, c: Cells, s: int) -> None:
    """The output layer reads the pooled value; δ of the pooled value is Σ w × δ."""
    pooled = c.at("p1[1,1] out", s)
    assert sheet[pooled].value == f"={c.at('p1[1,1] net', s)}"
    for name in ("cat", "dog"):
        assert sheet[c.at(f"{name} net", s)].value == (
            f"={pooled}*{c.one(f'w p1[1,1]→{name}')}+{c.one(f'b {name}')}")
    assert sheet[c.at("δ p1[1,1]", s)].value == "=" + "+".join(
        f"{c.one(f'w p1[1,1]→{name}')}*{c.at(f'δ {name}', s)}" for name in ("cat", "dog"))


def test_the_formulas_of_a_convolution_and_a_max_pooling(tmp_path):
    sheet, columns = tiny_workbook(tmp_path, "maxpool", "relu")
    c = Cells(columns, FIRST_ROW)
    assert len(columns["m1[1,1] net"]) == len(columns["δ m1[2,2]"]) == 4
    assert len(columns["k1[1,1]"]) == len(columns["∂k1[3,3]"]) == 1
    assert_convolution_formulas(sheet, c)
    for s in range(4):
        largest = c.at("p1[1,1] net", s)
        outs = [c.out(y, x, s) for y, x in PLACES]
        assert sheet[largest].value == f"=MAX({','.join(outs)})"
        for n, (y, x) in enumerate(PLACES):
            assert sheet[c.out(y, x, s)].value == f"=MAX(0,{c.net(y, x, s)})"
            least = f"{largest}-1e-12*ABS({largest})"   # the route's margin, `pool.TIE`
            tests = [f"{outs[n]}>={least}", *(f"{out}<{least}" for out in outs[:n])]
            test = tests[0] if n == 0 else f"AND({','.join(tests)})"
            assert sheet[c.delta(y, x, s)].value == (
                f"=(IF({test},{c.at('δ p1[1,1]', s)},0))*IF({c.net(y, x, s)}>0,1,0)")
        assert_dense_after_pool(sheet, c, s)


def test_the_formulas_of_an_average_pooling(tmp_path):
    sheet, columns = tiny_workbook(tmp_path, "avgpool", "tanh")
    c = Cells(columns, FIRST_ROW)
    assert_convolution_formulas(sheet, c)
    for s in range(4):
        outs = [c.out(y, x, s) for y, x in PLACES]
        assert sheet[c.at("p1[1,1] net", s)].value == f"=({'+'.join(outs)})/4"
        for y, x in PLACES:
            assert sheet[c.out(y, x, s)].value == f"=TANH({c.net(y, x, s)})"
            assert sheet[c.delta(y, x, s)].value == (
                f"=({c.at('δ p1[1,1]', s)}/4)*(1-{c.out(y, x, s)}^2)")
        assert_dense_after_pool(sheet, c, s)


def test_the_data_sheet_names_each_kernel_cell(tmp_path):
    """K1_1_1 … K1_3_3 and B_K1 name the kernel's row of the Data sheet's table, which holds
    the run's initial kernel."""
    import openpyxl
    tiny_workbook(tmp_path, "maxpool", "relu")
    book = openpyxl.load_workbook(tmp_path / "tiny.xlsx")
    run = api.network_run(data=str(tmp_path / "tiny.csv"), layers="4x4,conv1@3x3,maxpool2,2",
                          activation="relu,softmax", **TINY)
    names = [f"K1_{r + 1}_{k + 1}" for r, k in KERNEL] + ["B_K1"]
    cells = [book.defined_names[name].attr_text for name in names]
    row = cells[0].rpartition("$")[2]
    assert cells == [f"Data!${letter}${row}" for letter in "BCDEFGHIJK"]
    data = book["Data"]
    assert data[f"A{row}"].value == "k1"
    assert [data[f"{letter}{row}"].value for letter in "BCDEFGHIJ"] == list(run.weights[0][0])
    assert data[f"K{row}"].value == run.biases[0][0]


# 5. No error value anywhere once LibreOffice has recalculated.

def with_an_error_on_the_notes_sheet(source: Path, destination: Path) -> Path:
    """A formula that is an error (=1/0) in a new last row of the Notes sheet, to prove that
    `error_cells` sees the engine's errors."""
    def edit(xml: str) -> str:
        return xml.replace("</sheetData>", '<row r="999"><c r="A999"><f>1/0</f></c></row>'
                                           "</sheetData>", 1)
    return rewrite_sheet(source, destination, edit, sheets=("Notes",))


def test_libreoffice_leaves_no_error_value_in_a_conv_workbook(libreoffice, tmp_path):
    """Every stored result of every sheet with formulas spoiled, Data, Optimizers and
    Pictures (where it has one) too: after LibreOffice no cell holds 12345 or an error
    value, but the one planted as a check on the check."""
    run = conv_run("two-convs-avgpool-between-tested-adam")
    sheets = ("Training", "Charts", "Data", "Optimizers") + (
        ("Pictures",) if has_pictures(run) else ())
    spoiled = with_wrong_results(write(tmp_path / "w.xlsx", run), tmp_path / "spoiled.xlsx",
                                 sheets)
    planted = with_an_error_on_the_notes_sheet(spoiled, tmp_path / "planted.xlsx")
    computed = recalculated(libreoffice, planted)
    errors = error_cells(computed)
    assert [cell for _, cell in errors] == ["A999"], errors
    with zipfile.ZipFile(computed) as package:
        parts = [package.read(part).decode() for part in package.namelist()
                  if part.startswith("xl/worksheets/") and part.endswith(".xml")]
    assert not any("<v>12345</v>" in xml for xml in parts)
    assert_matches_reference(read_network_workbook(computed, formulas=False), run)


def test_a_near_tie_in_a_max_pool_routes_alike_in_the_engine_and_the_reference(
        engine, tmp_path):
    """A window whose first value is a hair (one unit in the last place) below its last:
    LibreOffice takes the two as equal, Gnumeric does not. The route's margin (`pool.TIE`)
    sends the whole δ to the first in both, as the reference does, and the kernel's gradient
    (δ times each value under the 1×1 kernel) shows which value got it."""
    near = math.nextafter(0.9, 0)
    data = tmp_path / "near.csv"
    pixels = [[near, 0.25, 0.5, 0.9], [0.9, 0.25, 0.5, near]]   # 2×2 pictures
    data.write_text("a,b,c,d,label\n" + "".join(
        ",".join([*map(repr, row), label]) + "\n" for row, label in zip(pixels, "xy")))
    init = {"layers": [{"kernels": [[[[1.0]]]], "biases": [0.0]},
                       {"weights": [[0.5], [-0.5]], "biases": [0.0, 0.0]}]}
    options = {"data": str(data), "image": "2x2", "layers": "2x2,conv1@1x1,maxpool2,2",
               "activation": "linear,softmax", "loss": "cross-entropy", "init": init,
               "attempts": 2}
    run = api.network_run(**options)
    first = list(train(run))[0]
    assert first.weight_gradients[0][0][0] != 0.0   # the δ reached a value under the kernel
    api.network(tmp_path / "w.xlsx", **options)
    spoiled = network_canary(tmp_path / "w.xlsx", tmp_path, run)
    status, report, errors = check(spoiled, engine.name)
    assert (status, errors) == (0, ""), report
    assert f"{engine.name}: 2 rows agree within 1e-12" in report


def test_a_small_convolutions_gradient_check_agrees_in_the_sheet(engine, tmp_path):
    """With one sample an attempt, a 4×4 picture's gradient check fits Excel's formulas:
    each kernel weight moved up and down by H in the sheet itself gives the slope the chain
    rule's gradient says, and the engine computes both as the reference does."""
    data = picture_csv(tmp_path / "pictures.csv", 4, ("cat", "dog"), 6)
    options = {"data": str(data), "image": "4x4", "layers": "4x4,conv1@3x3,maxpool2,2",
               "activation": "tanh,softmax", "loss": "cross-entropy", "batch": 1,
               "gradient_check": 1e-6, "attempts": 3}
    api.network(tmp_path / "w.xlsx", **options)
    run = api.network_run(**options)
    checked = [a.checks for a in train(run)]
    assert max(check.difference for checks in checked for check in checks) < 1e-6
    spoiled = network_canary(tmp_path / "w.xlsx", tmp_path, run)
    status, report, errors = check(spoiled, engine.name)
    assert (status, errors) == (0, ""), report
    assert f"{engine.name}: 3 rows agree within 1e-12" in report
